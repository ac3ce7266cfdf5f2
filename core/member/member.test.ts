import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemberView } from '../contracts/member';
import { defaultNickname, identityKey, newMemberDoc, toMemberView } from './member';

const openid = fc.stringMatching(/^[A-Za-z0-9_-]{6,40}$/);
const appid = fc.stringMatching(/^wx[0-9a-f]{16}$/);

describe('member rules', () => {
  it('identity keys of different (appid, openid) pairs never collide', () => {
    fc.assert(
      fc.property(appid, openid, appid, openid, (a1, o1, a2, o2) => {
        const same = a1 === a2 && o1 === o2;
        expect(identityKey(a1, o1) === identityKey(a2, o2)).toBe(same);
      }),
    );
  });

  it('a new member starts with no points, not following, and its unionid only when known', () => {
    fc.assert(
      fc.property(openid, fc.option(fc.stringMatching(/^o[A-Za-z0-9_-]{10,28}$/)), fc.date({ noInvalidDate: true }), (o, unionid, now) => {
        const doc = newMemberDoc('m1', o, unionid, now);
        expect(doc.points).toBe(0);
        expect(doc.followsMp).toBe(false);
        expect('unionid' in doc).toBe(Boolean(unionid));
        expect(doc.nickname).toBe(defaultNickname(o));
      }),
    );
  });

  it('the view of any new member satisfies the contract the app parses', () => {
    fc.assert(
      fc.property(openid, fc.option(fc.string({ minLength: 1 })), fc.date({ noInvalidDate: true, min: new Date(0) }), (o, unionid, now) => {
        const view = toMemberView(newMemberDoc('m1', o, unionid, now));
        expect(MemberView.safeParse(view).success).toBe(true);
        expect(view.unionid).toBe(unionid ?? null);
      }),
    );
  });
});
