import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { HOME_PAGE } from '../pages';
import { pagePathOf } from './card';
import { dedupeKeyOf, hasDoctypeOrEntity, type MpPush, QRSCENE_PREFIX, readPush, sceneKeyOf } from './push';
import { buildTextReply } from './reply';
import { mpArrival, PLAIN_FOLLOW_CHANNEL, UNKNOWN_QR_CHANNEL } from './scene-touch';
import { checkTimestamp, MAX_PUSH_AGE_S, MAX_PUSH_SKEW_AHEAD_S, signatureBase } from './signature';

const token = fc.stringMatching(/^[A-Za-z0-9]{3,32}$/);
const digits = fc.stringMatching(/^\d{1,10}$/);

describe('signature base', () => {
  it('is the same for any order of token, timestamp and nonce', () => {
    fc.assert(
      fc.property(token, digits, digits, fc.integer({ min: 0, max: 5 }), (t, ts, n, k) => {
        const permutations = [
          [t, ts, n],
          [t, n, ts],
          [ts, t, n],
          [ts, n, t],
          [n, t, ts],
          [n, ts, t],
        ];
        const [a, b, c] = permutations[k];
        expect(signatureBase(a, b, c)).toBe(signatureBase(t, ts, n));
      }),
    );
  });

  it('sorts as strings, the way WeChat does', () => {
    expect(signatureBase('token', '1700000000', '42')).toBe('1700000000' + '42' + 'token');
  });
});

describe('timestamp freshness', () => {
  it('accepts exactly the window and refuses outside it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }), fc.integer({ min: -3600, max: 3600 }), (nowS, offset) => {
        const check = checkTimestamp(String(nowS - offset), nowS * 1000 + 500);
        expect(check.ok).toBe(offset <= MAX_PUSH_AGE_S && -offset <= MAX_PUSH_SKEW_AHEAD_S);
      }),
    );
  });
  it('refuses what is not a number', () => {
    expect(checkTimestamp('12a', Date.now()).ok).toBe(false);
    expect(checkTimestamp('', Date.now()).ok).toBe(false);
  });
});

const base = { ToUserName: 'gh_1', FromUserName: 'o-mp-x', CreateTime: '1700000000' };

describe('reading pushes', () => {
  it('classifies events without regard to case and keeps MsgId exact', () => {
    expect(readPush({ ...base, MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_a' })).toMatchObject({
      ok: true,
      push: { kind: 'subscribe', eventKey: 'qrscene_a' },
    });
    expect(readPush({ ...base, MsgType: 'event', Event: 'SCAN', EventKey: 'a' })).toMatchObject({ push: { kind: 'scan' } });
    expect(readPush({ ...base, MsgType: 'event', Event: 'CLICK', EventKey: 'K' })).toMatchObject({
      push: { kind: 'click', eventKey: 'K' },
    });
    expect(readPush({ ...base, MsgType: 'event', Event: 'VIEW', EventKey: 'https://x' })).toMatchObject({
      push: { kind: 'other', event: 'VIEW' },
    });
    expect(readPush({ ...base, MsgType: 'text', Content: 'hi', MsgId: '24000000000000000001' })).toMatchObject({
      push: { kind: 'text', msgId: '24000000000000000001' },
    });
    expect(readPush({ ...base, MsgType: 'text', Content: 'hi' }).ok).toBe(false);
    expect(readPush({ MsgType: 'event' }).ok).toBe(false);
    expect(readPush({ ...base, CreateTime: 'yesterday', MsgType: 'event', Event: 'subscribe' }).ok).toBe(false);
  });
});

const pushArb: fc.Arbitrary<MpPush> = fc
  .oneof(
    fc.record({ kind: fc.constant('subscribe' as const), eventKey: fc.string() }),
    fc.record({ kind: fc.constant('scan' as const), eventKey: fc.string() }),
    fc.record({ kind: fc.constant('click' as const), eventKey: fc.string() }),
    fc.record({ kind: fc.constant('unsubscribe' as const) }),
    fc.record({ kind: fc.constant('text' as const), content: fc.string(), msgId: digits }),
  )
  .chain((p) =>
    fc
      .record({ toUserName: fc.constant('gh_1'), fromUserName: fc.stringMatching(/^o[\w-]{5,28}$/), createTime: digits })
      .map((b) => ({ ...b, ...p }) as MpPush),
  );

describe('dedupe keys', () => {
  it('a retry (same push) has the same key; messages are keyed by MsgId alone', () => {
    fc.assert(
      fc.property(pushArb, digits, (p, otherTime) => {
        expect(dedupeKeyOf({ ...p })).toBe(dedupeKeyOf(p));
        if (p.kind === 'text') expect(dedupeKeyOf({ ...p, createTime: otherTime })).toBe(dedupeKeyOf(p));
      }),
    );
  });
  it('events differ by sender, time and event', () => {
    const click: MpPush = { kind: 'click', eventKey: 'K', toUserName: 'gh', fromUserName: 'o-a', createTime: '1' };
    const keys = new Set([
      dedupeKeyOf(click),
      dedupeKeyOf({ ...click, fromUserName: 'o-b' }),
      dedupeKeyOf({ ...click, createTime: '2' }),
      dedupeKeyOf({ kind: 'unsubscribe', toUserName: 'gh', fromUserName: 'o-a', createTime: '1' }),
    ]);
    expect(keys.size).toBe(4);
  });
});

describe('qrscene_ handling', () => {
  const at = { toUserName: 'gh', fromUserName: 'o-a', createTime: '1' };
  it('subscribe strips the prefix exactly once; SCAN keeps its key whatever it starts with', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (key) => {
        expect(sceneKeyOf({ ...at, kind: 'subscribe', eventKey: `${QRSCENE_PREFIX}${key}` })).toBe(key);
        expect(sceneKeyOf({ ...at, kind: 'scan', eventKey: key })).toBe(key);
        expect(sceneKeyOf({ ...at, kind: 'scan', eventKey: `${QRSCENE_PREFIX}${key}` })).toBe(`${QRSCENE_PREFIX}${key}`);
      }),
    );
  });
  it('a plain follow has no scene', () => {
    expect(sceneKeyOf({ ...at, kind: 'subscribe', eventKey: '' })).toBeNull();
    expect(sceneKeyOf({ ...at, kind: 'subscribe', eventKey: QRSCENE_PREFIX })).toBeNull();
    expect(sceneKeyOf({ ...at, kind: 'subscribe', eventKey: 'not-a-qr' })).toBeNull();
  });
});

describe('arrival of a follow or scan', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('known scene, unknown value, plain follow', () => {
    expect(
      mpArrival('a1', { article: 'x', campaign: 'c', channel: 'poster', page: '/packages/a/index', params: { b: '2', a: '1 2' } }, now),
    ).toEqual({
      touch: { scene: 'a1', article: 'x', campaign: 'c', channel: 'poster', at: now },
      pagepath: 'packages/a/index?a=1%202&b=2',
    });
    expect(mpArrival('zz', null, now)).toEqual({ touch: { scene: 'zz', channel: UNKNOWN_QR_CHANNEL, at: now }, pagepath: HOME_PAGE });
    expect(mpArrival(null, null, now)).toEqual({ touch: { channel: PLAIN_FOLLOW_CHANNEL, at: now }, pagepath: HOME_PAGE });
    expect(mpArrival('a1', { channel: 'poster', page: 'packages/a/index' }, now, false).pagepath).toBe(HOME_PAGE);
  });
  it('page paths never start with a slash', () => {
    fc.assert(
      fc.property(fc.string(), (page) => {
        expect(pagePathOf(page).startsWith('/')).toBe(false);
      }),
    );
  });
});

describe('passive replies and unsafe bodies', () => {
  const parser = new XMLParser({ processEntities: false, parseTagValue: false, trimValues: false });
  it('a text reply carries any content intact, even "]]>"', () => {
    fc.assert(
      fc.property(fc.string(), (content) => {
        // XML 1.0 has no control characters (a reply never carries them).
        const clean = [...content].filter((ch) => ch >= ' ' || ch === '\n' || ch === '\t').join('');
        const xml = buildTextReply({ to: 'o-a', from: 'gh_1', createTime: 1, content: clean });
        expect(String(parser.parse(xml).xml.Content ?? '')).toBe(clean);
      }),
    );
  });
  it('spots DOCTYPE and ENTITY declarations in any case', () => {
    expect(hasDoctypeOrEntity('<!DOCTYPE x><xml/>')).toBe(true);
    expect(hasDoctypeOrEntity('<xml><!entity a "b"></xml>')).toBe(true);
    expect(hasDoctypeOrEntity('<xml><Content><![CDATA[DOCTYPE]]></Content></xml>')).toBe(false);
  });
});
