import { mergeAttribution } from './attribution';
import type { MemberDoc } from './member';

/** Collections whose documents belong to a member through `memberId`; a merge moves them. */
export const MEMBER_OWNED_COLLECTIONS = ['coupons', 'orders', 'events', 'points_ledger', 'exchanges', 'subscribe_grants'] as const;

/**
 * What the surviving member (`into`) looks like after absorbing `from`, apart from points (moved
 * in a transaction of their own, exactly once) and owned documents (re-pointed by the repository).
 * Pure and idempotent: planning again with the same inputs yields the same fields.
 */
export function planMerge(from: MemberDoc, into: MemberDoc): Partial<MemberDoc> {
  const update: Partial<MemberDoc> = {
    ...mergeAttribution(into, from),
    followsMp: Boolean(into.followsMp || from.followsMp),
  };
  const unionid = into.unionid ?? from.unionid;
  if (unionid) update.unionid = unionid;
  const mpOpenid = into.mpOpenid ?? from.mpOpenid;
  if (mpOpenid) update.mpOpenid = mpOpenid;
  const followedAt = into.followedAt ?? from.followedAt;
  if (followedAt) update.followedAt = followedAt;
  // The older member is who the person has been all along: keep the earlier creation time.
  if (new Date(from.createdAt).getTime() < new Date(into.createdAt).getTime()) update.createdAt = from.createdAt;
  return update;
}
