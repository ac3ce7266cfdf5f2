import { describe, expect, it } from 'vitest';
import type { IdentityDoc, MemberDoc } from '../member/member';
import { identityKeysOf, planFollower, remainingFollowers, resumeOffset } from './follower-sync';

const MP = 'wx-mp';
const now = new Date('2030-01-01T00:00:00Z');
const at = new Date('2029-06-01T00:00:00Z');
const subscribed = at.getTime() / 1000;

const identity = (_id: string, memberId: string): IdentityDoc => ({ _id, memberId, kind: 'app', createdAt: at });
const member = (_id: string, fields: Partial<MemberDoc> = {}): MemberDoc => ({
  _id,
  nickname: 'x',
  followsMp: false,
  points: 0,
  createdAt: at,
  updatedAt: at,
  ...fields,
});
const maps = (identities: IdentityDoc[], members: MemberDoc[]) =>
  [new Map(identities.map((i) => [i._id, i])), new Map(members.map((m) => [m._id, m]))] as const;

describe('planFollower', () => {
  it('does nothing for someone WeChat no longer has as a follower, or did not answer for', () => {
    const [ids, members] = maps([], []);
    expect(planFollower(MP, { openid: 'o1', subscribe: 0 }, ids, members, now)).toEqual({ kind: 'notFollowing' });
    expect(planFollower(MP, undefined, ids, members, now)).toEqual({ kind: 'notFollowing' });
  });

  it('skips a known follower whose member is current, agrees on the unionid and follows', () => {
    const [ids, members] = maps([identity(`${MP}:o1`, 'm1')], [member('m1', { followsMp: true, unionid: 'u1' })]);
    expect(planFollower(MP, { openid: 'o1', subscribe: 1, unionid: 'u1' }, ids, members, now)).toEqual({ kind: 'unchanged' });
    // No unionid from WeChat: the known member is enough.
    expect(planFollower(MP, { openid: 'o1', subscribe: 1 }, ids, members, now)).toEqual({ kind: 'unchanged' });
  });

  it('marks a known follower whose member does not follow, was merged away or lacks the unionid', () => {
    const facts = { openid: 'o1', subscribe: 1, unionid: 'u1', subscribe_time: subscribed };
    const marked = { kind: 'marked', unionid: 'u1', followedAt: at };
    for (const stored of [member('m1'), member('m1', { followsMp: true, mergedInto: 'm2' }), member('m1', { followsMp: true })]) {
      const [ids, members] = maps([identity(`${MP}:o1`, 'm1')], [stored]);
      expect(planFollower(MP, facts, ids, members, now)).toEqual(marked);
    }
  });

  it('binds a new follower to the member their unionid names, or creates one, at their own follow time', () => {
    const [ids, members] = maps([identity('unionid:u1', 'm1')], []);
    expect(planFollower(MP, { openid: 'o1', subscribe: 1, unionid: 'u1', subscribe_time: subscribed }, ids, members, now)).toEqual({
      kind: 'bound',
      unionid: 'u1',
      followedAt: at,
    });
    expect(planFollower(MP, { openid: 'o2', subscribe: 1, unionid: 'u2', subscribe_time: subscribed }, ids, members, now)).toEqual({
      kind: 'created',
      unionid: 'u2',
      followedAt: at,
    });
    // Without a follow time, the run's own time.
    expect(planFollower(MP, { openid: 'o3', subscribe: 1 }, ids, members, now)).toEqual({
      kind: 'created',
      unionid: null,
      followedAt: now,
    });
  });

  it('looks up each 公众号 identity and each unionid given, in one list', () => {
    expect(identityKeysOf(MP, [{ openid: 'o1', unionid: 'u1' }, { openid: 'o2' }])).toEqual([`${MP}:o1`, 'unionid:u1', `${MP}:o2`]);
  });
});

describe('resumeOffset', () => {
  const page = ['a', 'b', 'c', 'd', 'e'];
  it('continues right after the last follower handled, wherever the page shifted it', () => {
    expect(resumeOffset(page, 3, 'c', 100)).toBe(3);
    expect(resumeOffset(['a', 'c', 'd', 'e'], 3, 'c', 100)).toBe(2);
  });
  it('backs off when that follower left the list: handling one twice is harmless, skipping one is not', () => {
    expect(resumeOffset(['a', 'b', 'd', 'e'], 3, 'c', 2)).toBe(1);
    expect(resumeOffset(['d', 'e'], 3, 'c', 100)).toBe(0);
  });
  it('starts a page at 0 and never past its end', () => {
    expect(resumeOffset(page, 0, '', 100)).toBe(0);
    expect(resumeOffset(['a'], 3, '', 100)).toBe(1);
  });
});

describe('remainingFollowers', () => {
  it('is 0 only once the end of the list was seen', () => {
    expect(remainingFollowers(100, 40, false)).toBe(60);
    expect(remainingFollowers(100, 100, false)).toBe(1);
    expect(remainingFollowers(100, 120, false)).toBe(1);
    expect(remainingFollowers(100, 98, true)).toBe(0);
  });
});
