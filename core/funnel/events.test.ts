import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markLanding } from '../notice/dispatch';
import { checkEvent, creditOf, eventId, eventTouch, FUNNEL_KINDS, landingOf } from './events';

const kind = fc.constantFrom(...FUNNEL_KINDS);
/** Parts as hostile as a client can make them: colons, percent signs, escapes that look already escaped, empty. */
const part = fc.oneof(
  fc.string(),
  fc.array(fc.constantFrom(':', '%', '%3A', '%25', 'a', ''), { maxLength: 5 }).map((bits) => bits.join('')),
);

describe('funnel event ids', () => {
  it('never collide: different kinds, or one kind with different parts of the same count, make different ids', () => {
    fc.assert(
      fc.property(kind, kind, fc.integer({ min: 1, max: 4 }), fc.array(part, { minLength: 8, maxLength: 8 }), (k1, k2, n, parts) => {
        const a = parts.slice(0, n);
        const b = parts.slice(4, 4 + n);
        const same = k1 === k2 && a.every((p, i) => p === b[i]);
        expect(eventId(k1, ...a) === eventId(k2, ...b)).toBe(same);
      }),
    );
  });

  it('are the same for the same step: the dedupe key is a function of what the step is', () => {
    fc.assert(
      fc.property(kind, fc.array(part, { minLength: 1, maxLength: 4 }), (k, parts) => {
        expect(eventId(k, ...parts)).toBe(eventId(k, ...[...parts]));
      }),
    );
  });

  it('keep the last part as it is (ledger keys and notice ids read as they are)', () => {
    expect(eventId('points_earned', 'checkin:m1:2026-12-03')).toBe('points_earned:checkin:m1:2026-12-03');
    expect(eventId('notice_sent', 'order.paid:o1')).toBe('notice_sent:order.paid:o1');
    expect(eventId('group_joined', 'g:1', 'm1')).toBe('group_joined:g%3A1:m1');
  });
});

describe('landing markers', () => {
  const page = fc.stringMatching(/^[a-z]+(\/[a-z]+){0,3}$/);
  const query = fc.array(fc.tuple(fc.constantFrom('id', 'from', 'nk', 'tab'), fc.stringMatching(/^[a-z0-9]{1,6}$/)), { maxLength: 3 });
  const noticeKind = fc.stringMatching(/^[a-z_]{1,12}(\.[a-z_]{1,12})?$/);

  it('read back what markLanding wrote, whatever the page already carried', () => {
    fc.assert(
      fc.property(page, query, fc.constantFrom('subscribe' as const, 'mp' as const), noticeKind, (path, pairs, channel, nk) => {
        const base = pairs.length ? `${path}?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : path;
        const marked = markLanding(base, channel, nk);
        const params = new URLSearchParams(marked.slice(marked.indexOf('?') + 1));
        expect(landingOf({ from: params.get('from') ?? undefined, nk: params.get('nk') ?? undefined })).toEqual({
          channel: channel === 'subscribe' ? 'notice_sub' : 'notice_mp',
          noticeKind: nk,
        });
      }),
    );
  });

  it('are no landing without both halves, with another source, or with a kind that is no kind', () => {
    expect(landingOf({})).toBeNull();
    expect(landingOf({ from: 'notice_sub' })).toBeNull();
    expect(landingOf({ nk: 'order.paid' })).toBeNull();
    expect(landingOf({ from: 'qr', nk: 'order.paid' })).toBeNull();
    expect(landingOf({ from: 'notice_mp', nk: 'order paid<script>' })).toBeNull();
    expect(landingOf({ from: 'notice_mp', nk: 'x'.repeat(65) })).toBeNull();
  });
});

describe('credit', () => {
  const optional = fc.option(fc.string({ minLength: 1 }), { nil: undefined });
  const touch = fc.record({
    scene: optional,
    article: optional,
    campaign: optional,
    channel: fc.string({ minLength: 1 }),
    sharer: optional,
    at: fc.date({ noInvalidDate: true }),
  });

  it('stores every touch field (null when unknown) and normalizing twice changes nothing', () => {
    fc.assert(
      fc.property(touch, (t) => {
        const once = eventTouch(t);
        expect(once && Object.keys(once).sort()).toEqual(['article', 'at', 'campaign', 'channel', 'scene', 'sharer']);
        expect(eventTouch(once as never)).toEqual(once);
        expect(once?.article ?? undefined).toBe(t.article);
      }),
    );
  });

  it('is none (direct) for a member who never arrived through anything', () => {
    expect(creditOf({})).toEqual({ touch: null, firstTouch: null });
    expect(eventTouch({ at: new Date() })).toBeNull();
  });
});

describe('event checks', () => {
  it('take money only in whole fen ≥ 0, and paid and refunded steps only with their fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (fen) => {
        expect(checkEvent({ kind: 'order_paid', fen })).toBeNull();
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ max: -1 }),
          fc.double({ noNaN: true }).filter((x) => !Number.isInteger(x)),
        ),
        (fen) => {
          expect(checkEvent({ kind: 'order_refunded', fen })).not.toBeNull();
        },
      ),
    );
    expect(checkEvent({ kind: 'order_paid' })).not.toBeNull();
    expect(checkEvent({ kind: 'visit' })).toBeNull();
  });

  it('take points signed as the kind says', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), (delta) => {
        expect(checkEvent({ kind: 'points_earned', delta }) === null).toBe(delta > 0);
        expect(checkEvent({ kind: 'points_spent', delta }) === null).toBe(delta < 0);
      }),
    );
  });
});
