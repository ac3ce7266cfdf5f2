import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planMerge } from './merge';
import { type MemberDoc, newMemberDoc } from './member';

const date = fc.date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true });
const member: fc.Arbitrary<MemberDoc> = fc
  .record({
    id: fc.stringMatching(/^[0-9a-f]{8}$/),
    unionid: fc.option(fc.constant('u-1'), { nil: null }),
    follows: fc.boolean(),
    created: date,
  })
  .map(({ id, unionid, follows, created }) => ({ ...newMemberDoc(id, `o-${id}`, unionid, created), followsMp: follows }));

describe('planMerge', () => {
  it('keeps a unionid and a follow that either side had, and the earlier creation time', () => {
    fc.assert(
      fc.property(member, member, (from, into) => {
        const update = planMerge(from, into);
        expect(update.followsMp).toBe(from.followsMp || into.followsMp);
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
