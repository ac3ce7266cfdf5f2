import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wechatError } from '../wechat-errors';
import {
  chooseChannel,
  DEFAULT_DISPATCH_POLICY,
  type DispatchPolicy,
  formatClockTime,
  judgeSend,
  markLanding,
  nextAttemptAt,
  parseClockTime,
  quietHoursEnd,
  type Reach,
} from './dispatch';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * The Shanghai wall-clock minute of a moment, read through Intl (the tz database), not through the
 * fixed +8 h offset the code under test uses: an independent oracle.
 */
const SHANGHAI = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
function shanghaiMinute(at: Date): number {
  const [hh, mm] = SHANGHAI.format(at).split(':').map(Number);
  return hh * 60 + mm;
}

function insideWindow(minute: number, quiet: { start: number; end: number }): boolean {
  if (quiet.start === quiet.end) return false;
  return quiet.start < quiet.end ? minute >= quiet.start && minute < quiet.end : minute >= quiet.start || minute < quiet.end;
}

/** When a promotional notice may go: the end of the quiet hours, or now when there are none. */
const sendableAt = (now: Date, quiet: DispatchPolicy['quietHours']) => quietHoursEnd(now, quiet) ?? now;

const moment = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true });
const clockMinute = fc.integer({ min: 0, max: 24 * 60 - 1 });
const anyWindow = fc.record({ start: clockMinute, end: clockMinute });
/** Windows that cross midnight (start after end, like 22:00–08:00) and ones that do not. */
const wrapping = anyWindow.filter((w) => w.start > w.end);
const sameDay = anyWindow.filter((w) => w.start < w.end);

describe('quietHoursEnd (Asia/Shanghai)', () => {
  it('22:00–08:00: waits to 08:00 the next morning from the evening, to 08:00 the same day after midnight', () => {
    const quiet = DEFAULT_DISPATCH_POLICY.quietHours;
    expect(quiet).toEqual({ start: 22 * 60, end: 8 * 60 });
    // 22:00 and 23:59 Shanghai on 3 December → 08:00 on the 4th.
    expect(quietHoursEnd(new Date('2026-12-03T22:00:00+08:00'), quiet)).toEqual(new Date('2026-12-04T08:00:00+08:00'));
    expect(quietHoursEnd(new Date('2026-12-03T23:59:59.999+08:00'), quiet)).toEqual(new Date('2026-12-04T08:00:00+08:00'));
    // 00:00 and 07:59 on the 4th → 08:00 on the 4th; 08:00 itself and 21:59 are outside.
    expect(quietHoursEnd(new Date('2026-12-04T00:00:00+08:00'), quiet)).toEqual(new Date('2026-12-04T08:00:00+08:00'));
    expect(quietHoursEnd(new Date('2026-12-04T07:59:59.999+08:00'), quiet)).toEqual(new Date('2026-12-04T08:00:00+08:00'));
    expect(quietHoursEnd(new Date('2026-12-04T08:00:00+08:00'), quiet)).toBeNull();
    expect(quietHoursEnd(new Date('2026-12-04T21:59:59.999+08:00'), quiet)).toBeNull();
    // Across the year: 31 December 23:30 → 1 January 08:00.
    expect(quietHoursEnd(new Date('2026-12-31T23:30:00+08:00'), quiet)).toEqual(new Date('2027-01-01T08:00:00+08:00'));
  });

  it('12:00–14:00 (same day): inside waits to 14:00, outside is null; no window, or start = end, never waits', () => {
    const quiet = { start: 12 * 60, end: 14 * 60 };
    expect(quietHoursEnd(new Date('2026-12-04T12:00:00+08:00'), quiet)).toEqual(new Date('2026-12-04T14:00:00+08:00'));
    expect(quietHoursEnd(new Date('2026-12-04T13:59:00+08:00'), quiet)).toEqual(new Date('2026-12-04T14:00:00+08:00'));
    expect(quietHoursEnd(new Date('2026-12-04T11:59:59.999+08:00'), quiet)).toBeNull();
    expect(quietHoursEnd(new Date('2026-12-04T14:00:00+08:00'), quiet)).toBeNull();
    expect(quietHoursEnd(new Date('2026-12-04T12:30:00+08:00'), null)).toBeNull();
    expect(quietHoursEnd(new Date('2026-12-04T12:30:00+08:00'), { start: 750, end: 750 })).toBeNull();
  });

  for (const [label, windows] of [
    ['windows that cross midnight', wrapping],
    ['windows within one day', sameDay],
    ['any window', anyWindow],
  ] as const) {
    it(`${label}: the send time is ≥ now, outside the window, now itself when now is outside, within 24 h`, () => {
      fc.assert(
        fc.property(moment, windows, (now, quiet) => {
          const end = quietHoursEnd(now, quiet);
          const at = sendableAt(now, quiet);
          const inside = insideWindow(shanghaiMinute(now), quiet);
          expect(end === null).toBe(!inside);
          expect(at.getTime()).toBeGreaterThanOrEqual(now.getTime());
          expect(at.getTime() - now.getTime()).toBeLessThanOrEqual(DAY_MS);
          expect(insideWindow(shanghaiMinute(at), quiet)).toBe(false);
          if (!inside) expect(at).toEqual(now);
          else {
            // The window's end on the Shanghai clock, to the minute, and no later than the first minute outside.
            expect(at.getTime()).toBeGreaterThan(now.getTime());
            expect(at.getTime() % MINUTE_MS).toBe(0);
            expect(shanghaiMinute(at)).toBe(quiet.end);
            expect(insideWindow(shanghaiMinute(new Date(at.getTime() - 1)), quiet)).toBe(true);
          }
        }),
        { numRuns: 2000 },
      );
    });
  }

  it('every minute from now to the end of the window is quiet: the wait is never longer than the window', () => {
    fc.assert(
      fc.property(moment, anyWindow, (now, quiet) => {
        const end = quietHoursEnd(now, quiet);
        if (!end) return;
        for (let t = now.getTime(); t < end.getTime(); t += MINUTE_MS) expect(insideWindow(shanghaiMinute(new Date(t)), quiet)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseClockTime and formatClockTime', () => {
  it('round-trip every minute of the day, and every valid HH:mm', () => {
    fc.assert(
      fc.property(clockMinute, (minutes) => {
        const text = formatClockTime(minutes);
        expect(text).toMatch(/^\d\d:\d\d$/);
        expect(parseClockTime(text)).toBe(minutes);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (hh, mm) => {
        const text = `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
        expect(formatClockTime(parseClockTime(text) as number)).toBe(text);
      }),
    );
  });

  it('refuses anything that is not HH:mm of a real clock', () => {
    for (const bad of ['24:00', '7:00', '07:60', '07:5', ' 07:00', '07:00 ', '0700', '07-00', '', '-1:00', '07:00:00', '１２:００']) {
      expect(parseClockTime(bad), bad).toBeNull();
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), (text) => {
        const parsed = parseClockTime(text);
        if (parsed === null) return;
        expect(parsed).toBeGreaterThanOrEqual(0);
        expect(parsed).toBeLessThan(24 * 60);
        expect(formatClockTime(parsed)).toBe(text);
      }),
    );
  });
});

describe('nextAttemptAt', () => {
  const policy: fc.Arbitrary<DispatchPolicy> = fc
    .record({
      maxAttempts: fc.integer({ min: 1, max: 20 }),
      backoffMs: fc.integer({ min: 1, max: 3_600_000 }),
      backoffFactor: fc.double({ min: 1, max: 16, noNaN: true }),
      extra: fc.integer({ min: 0, max: 86_400_000 }),
    })
    .map(({ extra, ...p }) => ({ ...p, maxBackoffMs: p.backoffMs + extra, quietHours: null }));

  it('the defaults: 1 min, 4 min, 16 min, 1 h, then no fifth retry', () => {
    const now = new Date('2026-12-03T02:00:00Z');
    const waits = [1, 2, 3, 4].map((n) => (nextAttemptAt(n, now) as Date).getTime() - now.getTime());
    expect(waits).toEqual([60_000, 240_000, 960_000, 3_600_000]);
    expect(nextAttemptAt(5, now)).toBeNull();
    expect(nextAttemptAt(6, now)).toBeNull();
  });

  it('is later than now, never beyond the cap, non-decreasing in attempts, and null from maxAttempts on', () => {
    fc.assert(
      fc.property(policy, moment, (p, now) => {
        let previous = 0;
        for (let attempts = 0; attempts <= p.maxAttempts + 2; attempts++) {
          const next = nextAttemptAt(attempts, now, p);
          if (attempts >= p.maxAttempts) {
            expect(next).toBeNull();
            continue;
          }
          expect(next).not.toBeNull();
          const wait = (next as Date).getTime() - now.getTime();
          expect(wait).toBeGreaterThan(0);
          expect(wait).toBeLessThanOrEqual(p.maxBackoffMs);
          expect(wait).toBeGreaterThanOrEqual(Math.min(p.backoffMs, p.maxBackoffMs));
          expect(wait).toBeGreaterThanOrEqual(previous);
          previous = wait;
        }
      }),
    );
  });
});

describe('judgeSend', () => {
  it('reads each answer as the dispatcher must act on it', () => {
    expect(judgeSend(0)).toEqual({ outcome: 'sent' });
    expect(judgeSend(null)).toEqual({ outcome: 'retry', errcode: null });
    expect(judgeSend(43101)).toEqual({ outcome: 'grant_used' });
    expect(judgeSend(43004)).toEqual({ outcome: 'not_following' });
    for (const errcode of [47003, 40037, 41030, 40003, 40165, 48001, 45015, -604101]) {
      expect(judgeSend(errcode), String(errcode)).toEqual({ outcome: 'failed', errcode });
    }
    for (const errcode of [-1, 45009, 45047, 40001, 42001, 50001, -2]) {
      expect(judgeSend(errcode), String(errcode)).toEqual({ outcome: 'retry', errcode });
    }
  });

  it('retries exactly what the errcode table calls retryable; a refusal as given is never retried', () => {
    const errcode = fc.oneof(
      fc.integer({ min: -700_000, max: 100_000 }),
      fc.integer({ min: 40_000, max: 49_999 }),
      fc.constantFrom(0, -1, 43101, 43004, 47003, 40037, 41030, 45009),
    );
    fc.assert(
      fc.property(errcode, (code) => {
        const verdict = judgeSend(code);
        if (code === 0) {
          expect(verdict.outcome).toBe('sent');
          return;
        }
        expect(verdict.outcome).not.toBe('sent');
        if (code === 43101 || code === 43004) {
          expect(verdict.outcome).toBe(code === 43101 ? 'grant_used' : 'not_following');
          return;
        }
        expect(verdict).toEqual({ outcome: wechatError(code).retryable ? 'retry' : 'failed', errcode: code });
        // WeChat refusing the request as given (an unlisted 4xxxx) is never worth trying again.
        if (code >= 40_000 && code < 50_000 && code !== 45009 && code !== 45047 && code !== 40001 && code !== 42001) {
          expect(verdict.outcome).toBe('failed');
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('chooseChannel', () => {
  const reach: fc.Arbitrary<Reach> = fc.record({
    miniOpenid: fc.option(fc.constant('o-mini-x'), { nil: null }),
    grant: fc.option(fc.record({ remaining: fc.integer({ min: -2, max: 3 }), banned: fc.boolean() }), { nil: null }),
    follows: fc.boolean(),
    mpOpenid: fc.option(fc.constant('o-mp-x'), { nil: null }),
  });

  it('never picks the subscription message without a usable grant, nor the 公众号 without a template and a follower', () => {
    fc.assert(
      fc.property(reach, fc.boolean(), fc.boolean(), (r, hasMpTemplate, subscribeRefused) => {
        const decision = chooseChannel(r, hasMpTemplate, { subscribeRefused });
        const grantUsable = !subscribeRefused && !!r.miniOpenid && !!r.grant && !r.grant.banned && r.grant.remaining > 0;
        const mpUsable = r.follows && !!r.mpOpenid && hasMpTemplate;
        if ('channel' in decision && decision.channel === 'subscribe') expect(grantUsable).toBe(true);
        if ('channel' in decision && decision.channel === 'mp') expect(mpUsable && !grantUsable).toBe(true);
        // Whoever can be reached is reached: a skip means neither channel was open.
        if ('skip' in decision) expect(grantUsable || mpUsable).toBe(false);
        if (grantUsable) expect(decision).toEqual({ channel: 'subscribe' });
        else if (mpUsable) expect(decision).toEqual({ channel: 'mp' });
        if ('skip' in decision && decision.skip === 'no_openid') expect(!r.miniOpenid && !r.mpOpenid).toBe(true);
        if ('skip' in decision && decision.skip === 'grant_used') expect(subscribeRefused).toBe(true);
        if ('skip' in decision && decision.skip === 'no_mp_template') expect(r.follows && !!r.mpOpenid && !hasMpTemplate).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('markLanding', () => {
  const segment = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
  const pagePath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
  const queryValue = fc.string({ maxLength: 12 }).map(encodeURIComponent);
  const query = fc.array(fc.tuple(segment, queryValue), { maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
  const page = fc.tuple(pagePath, fc.option(query, { nil: undefined })).map(([p, q]) => (q ? `${p}?${q}` : p));
  const channel = fc.constantFrom('subscribe' as const, 'mp' as const);
  const kind = fc.oneof(fc.constantFrom('order.paid', 'coupon.expiring', 'campaign'), fc.string({ maxLength: 16 }));

  it('keeps the page path and its query, and adds from=notice_sub|notice_mp and nk=<kind>', () => {
    expect(markLanding('packages/order/detail/index?id=a1', 'subscribe', 'order.paid')).toBe(
      'packages/order/detail/index?id=a1&from=notice_sub&nk=order.paid',
    );
    expect(markLanding('pages/index/index?from=article&nk=x&id=2', 'mp', 'campaign')).toBe(
      'pages/index/index?id=2&from=notice_mp&nk=campaign',
    );
    expect(markLanding('pages/index/index', 'mp', 'campaign')).toBe('pages/index/index?from=notice_mp&nk=campaign');
    fc.assert(
      fc.property(page, channel, kind, (p, ch, k) => {
        const marked = markLanding(p, ch, k);
        const [path, original = ''] = p.split(/\?(.*)/s);
        expect(marked.split('?')[0]).toBe(path);
        const params = [...new URLSearchParams(marked.slice(marked.indexOf('?') + 1))];
        const before = [...new URLSearchParams(original)];
        // A marker the page had already is replaced; every other parameter stays, in order.
        const kept = before.filter(([key]) => key !== 'from' && key !== 'nk');
        if (kept.length === before.length) expect(marked.startsWith(p)).toBe(true);
        expect(params.slice(0, kept.length)).toEqual(kept);
        expect(params.slice(kept.length)).toEqual([
          ['from', ch === 'subscribe' ? 'notice_sub' : 'notice_mp'],
          ['nk', k],
        ]);
      }),
      { numRuns: 1000 },
    );
  });

  // A page handed over already marked (a broadcast page copied from a sent message) keeps one marker.
  it('is idempotent: marking a marked page changes nothing', () => {
    fc.assert(
      fc.property(page, channel, kind, (p, ch, k) => {
        const once = markLanding(p, ch, k);
        expect(markLanding(once, ch, k)).toBe(once);
      }),
    );
  });
});
