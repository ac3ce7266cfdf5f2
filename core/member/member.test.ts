import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemberView } from '../contracts/member';
import { DEFAULT_NICKNAME, displayNickname, identityKey, memberNumberOf, newMemberDoc, toMemberView, unionidKey } from './member';

const openid = fc.stringMatching(/^[A-Za-z0-9_-]{6,40}$/);
const appid = fc.stringMatching(/^wx[0-9a-f]{16}$/);
/**
 * The key format is unambiguous only for appids without `:` and other than `unionid`. The server
 * keys by WeChat appids (mini-program, 公众号) and by `mini` when the caller has no appid, so the
 * generators cover those plus any other string of that shape, including prefixes of each other.
 */
const colonFree = fc.string().filter((text) => !text.includes(':'));
const anyAppid = fc.oneof(
  appid,
  fc.constant('mini'),
  colonFree.filter((text) => text !== 'unionid'),
);
/** Openids and unionids from a caller we do not trust to be well formed: colons, prefixes, empty. */
const hostileOpenid = fc.oneof(
  openid,
  fc.string(),
  fc.array(fc.constantFrom(':', 'unionid', 'unionid:', 'mini', 'wx', 'a', ''), { maxLength: 6 }).map((parts) => parts.join('')),
);

describe('member rules', () => {
  it('identity keys of different (appid, openid) pairs never collide', () => {
    fc.assert(
      fc.property(anyAppid, hostileOpenid, anyAppid, hostileOpenid, (a1, o1, a2, o2) => {
        const same = a1 === a2 && o1 === o2;
        expect(identityKey(a1, o1) === identityKey(a2, o2)).toBe(same);
      }),
    );
  });

  it('identity keys do not collide even where the plain concatenations would', () => {
    // (a, b + c) and (a + b, c) hold the same characters, cut in another place.
    fc.assert(
      fc.property(colonFree, colonFree.filter(Boolean), hostileOpenid, (a, b, c) => {
        expect(identityKey(a, b + c)).not.toBe(identityKey(a + b, c));
      }),
    );
    expect(identityKey('wx1', '23')).not.toBe(identityKey('wx12', '3'));
    expect(identityKey('mini', 'unionid:x')).not.toBe(identityKey('miniunionid', ':x'));
  });

  it('an identity key splits back into its appid and openid at the first colon', () => {
    fc.assert(
      fc.property(anyAppid, hostileOpenid, (a, o) => {
        const key = identityKey(a, o);
        const cut = key.indexOf(':');
        expect([key.slice(0, cut), key.slice(cut + 1)]).toEqual([a, o]);
      }),
    );
  });

  it('no identity key is ever a unionid key, even for an openid that looks like one', () => {
    fc.assert(
      fc.property(anyAppid, hostileOpenid, hostileOpenid, (a, o, unionid) => {
        expect(identityKey(a, o)).not.toBe(unionidKey(unionid));
        expect(identityKey(a, `unionid:${unionid}`)).not.toBe(unionidKey(unionid));
        expect(identityKey(a, unionidKey(unionid))).not.toBe(unionidKey(unionid));
      }),
    );
  });

  it('unionid keys of different unionids never collide', () => {
    fc.assert(
      fc.property(hostileOpenid, hostileOpenid, (u1, u2) => {
        expect(unionidKey(u1) === unionidKey(u2)).toBe(u1 === u2);
        expect(unionidKey(u1).startsWith('unionid:')).toBe(true);
      }),
    );
    expect(unionidKey('a:b')).not.toBe(unionidKey('a'));
    expect(unionidKey('')).toBe('unionid:');
  });

  it('the default nickname is 微信用户, with no piece of the openid, also for names an earlier version made', () => {
    fc.assert(
      fc.property(openid, (o) => {
        expect(newMemberDoc('m1', null, new Date(0)).nickname).toBe(DEFAULT_NICKNAME);
        expect(displayNickname(`微信用户${o.slice(-4)}`)).toBe(DEFAULT_NICKNAME);
      }),
    );
    expect(displayNickname('小鹿')).toBe('小鹿');
    expect(displayNickname('微信用户们好久不见')).toBe('微信用户们好久不见');
  });

  it('a member number is 10 digits, stable, and spread over ids', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{32}$/), fc.string({ minLength: 1, maxLength: 40 }), (hexId, otherId) => {
        for (const id of [hexId, otherId]) {
          expect(memberNumberOf(id)).toMatch(/^\d{10}$/);
          expect(memberNumberOf(id)).toBe(memberNumberOf(id));
        }
      }),
    );
    const numbers = new Set(Array.from({ length: 2000 }, (_, i) => memberNumberOf(`${i.toString(16).padStart(12, '0')}${'a'.repeat(20)}`)));
    expect(numbers.size).toBe(2000);
  });

  it('a new member starts with no points, not following, and its unionid only when known', () => {
    fc.assert(
      fc.property(fc.option(fc.stringMatching(/^o[A-Za-z0-9_-]{10,28}$/)), fc.date({ noInvalidDate: true }), (unionid, now) => {
        const doc = newMemberDoc('m1', unionid, now);
        expect(doc.points).toBe(0);
        expect(doc.followsMp).toBe(false);
        expect('unionid' in doc).toBe(Boolean(unionid));
        expect(doc.nickname).toBe(DEFAULT_NICKNAME);
      }),
    );
  });

  it('the view of any new member satisfies the contract the app parses', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ minLength: 1 })), fc.date({ noInvalidDate: true, min: new Date(0) }), (unionid, now) => {
        const view = toMemberView(newMemberDoc('m1', unionid, now));
        expect(MemberView.safeParse(view).success).toBe(true);
        expect(view.unionid).toBe(unionid ?? null);
      }),
    );
  });
});
