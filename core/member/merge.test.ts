import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { followStateToCarry, isMergeSettled, MERGE_SETTLE_MS, planMerge } from './merge';
import { type MemberDoc, newMemberDoc } from './member';

const date = fc.date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true });
const member: fc.Arbitrary<MemberDoc> = fc
  .record({
    id: fc.stringMatching(/^[0-9a-f]{8}$/),
    unionid: fc.option(fc.constant('u-1'), { nil: null }),
    follows: fc.boolean(),
    created: date,
  })
  .map(({ id, unionid, follows, created }) => ({ ...newMemberDoc(id, unionid, created), followsMp: follows }));

describe('planMerge', () => {
  it('keeps a unionid either side had and the earlier creation time, and leaves the follow state alone', () => {
    fc.assert(
      fc.property(member, member, (from, into) => {
        const update = planMerge(from, into);
        expect(update.followsMp).toBeUndefined();
        expect(update.unionid).toBe(into.unionid ?? from.unionid);
        const created = update.createdAt ?? into.createdAt;
        expect(new Date(created).getTime()).toBe(Math.min(from.createdAt.getTime(), into.createdAt.getTime()));
      }),
    );
  });

  it('is idempotent: planning again on the merged result changes nothing more', () => {
    fc.assert(
      fc.property(member, member, (from, into) => {
        const merged = { ...into, ...planMerge(from, into) };
        expect({ ...merged, ...planMerge(from, merged) }).toEqual(merged);
      }),
    );
  });
});

describe('followStateToCarry', () => {
  const at = (iso: string) => new Date(iso);
  const base = newMemberDoc('m', null, at('2030-01-01T00:00:00Z'));

  it('carries the state of the later push only', () => {
    fc.assert(
      fc.property(date, date, fc.boolean(), fc.boolean(), (fromAt, intoAt, fromFollows, intoFollows) => {
        const from = { ...base, followsMp: fromFollows, mpFollowStateAt: fromAt };
        const into = { ...base, _id: 'n', followsMp: intoFollows, mpFollowStateAt: intoAt };
        const carried = followStateToCarry(from, into);
        if (fromAt.getTime() > intoAt.getTime()) expect(carried).toEqual({ at: fromAt, fields: { followsMp: fromFollows } });
        else expect(carried).toBeNull();
      }),
    );
  });

  it('never turns an unsubscribe into a follow because the other side once followed (no OR)', () => {
    const from = { ...base, followsMp: true, followedAt: at('2030-01-01T00:00:00Z'), mpFollowStateAt: at('2030-01-01T00:00:00Z') };
    const into = {
      ...base,
      _id: 'n',
      followsMp: false,
      unfollowedAt: at('2030-01-02T00:00:00Z'),
      mpFollowStateAt: at('2030-01-02T00:00:00Z'),
    };
    expect(followStateToCarry(from, into)).toBeNull();
    expect(followStateToCarry(into, { ...base, _id: 'x' })).toEqual({
      at: at('2030-01-02T00:00:00Z'),
      fields: { followsMp: false, unfollowedAt: at('2030-01-02T00:00:00Z') },
    });
  });
});

describe('isMergeSettled', () => {
  it('settles a merge once its window has passed, never one without a merge time', () => {
    const mergedAt = new Date('2030-01-01T00:00:00Z');
    expect(isMergeSettled({ mergedAt }, new Date(mergedAt.getTime() + MERGE_SETTLE_MS - 1))).toBe(false);
    expect(isMergeSettled({ mergedAt }, new Date(mergedAt.getTime() + MERGE_SETTLE_MS))).toBe(true);
    expect(isMergeSettled({}, new Date('2040-01-01T00:00:00Z'))).toBe(false);
  });
});
