import { mergeAttribution } from './attribution';
import type { MemberDoc } from './member';

/** Collections whose documents belong to a member through `memberId`; a merge moves them. */
export const MEMBER_OWNED_COLLECTIONS = [
  'coupons',
  'orders',
  'refunds',
  'events',
  'points_ledger',
  'exchanges',
  'subscribe_grants',
] as const;

/**
 * A merged-away member is watched this long after its merge: a write that was in flight when the
 * merge began (a function runs at most 60 s) lands on it and is moved by the next sweep. After
 * that the merge is settled.
 */
export const MERGE_SETTLE_MS = 10 * 60_000;

/** Whether a merged-away member is past its settle window at `now`. */
export function isMergeSettled(member: Pick<MemberDoc, 'mergedAt'>, now: Date): boolean {
  if (!member.mergedAt) return false;
  return now.getTime() - new Date(member.mergedAt).getTime() >= MERGE_SETTLE_MS;
}

/**
 * What the surviving member (`into`) looks like after absorbing `from`, apart from points and
 * owned documents (moved by the repository, as often as needed) and the follow state (see
 * `followStateToCarry`). Pure and idempotent: planning again with the same inputs yields the same fields.
 */
export function planMerge(from: MemberDoc, into: MemberDoc): Partial<MemberDoc> {
  const update: Partial<MemberDoc> = { ...mergeAttribution(into, from) };
  const unionid = into.unionid ?? from.unionid;
  if (unionid) update.unionid = unionid;
  const mpOpenid = into.mpOpenid ?? from.mpOpenid;
  if (mpOpenid) update.mpOpenid = mpOpenid;
  // The older member is who the person has been all along: keep the earlier creation time.
  if (new Date(from.createdAt).getTime() < new Date(into.createdAt).getTime()) update.createdAt = from.createdAt;
  // "Once per member" facts survive the merge with their earliest time: the pack is not granted again,
  // and a member who paid once is not new again.
  for (const field of ['newMemberPackAt', 'firstPaidAt'] as const) {
    const earliest = earlier(into[field], from[field]);
    if (earliest && earliest !== into[field]) update[field] = earliest;
  }
  return update;
}

/**
 * The follow state `from` knows better than `into`: the one set by the later 公众号 push. Null when
 * `into`'s is as recent or `from` has none. Written conditionally (only over an older state), so a
 * merge never undoes an unsubscribe that `into` received meanwhile.
 */
export function followStateToCarry(from: MemberDoc, into: MemberDoc): { at: Date; fields: Partial<MemberDoc> } | null {
  if (!from.mpFollowStateAt) return null;
  const fromAt = new Date(from.mpFollowStateAt).getTime();
  if (into.mpFollowStateAt && new Date(into.mpFollowStateAt).getTime() >= fromAt) return null;
  const fields: Partial<MemberDoc> = { followsMp: Boolean(from.followsMp) };
  if (from.followedAt) fields.followedAt = from.followedAt;
  if (from.unfollowedAt) fields.unfollowedAt = from.unfollowedAt;
  if (from.mpOpenid) fields.mpOpenid = from.mpOpenid;
  return { at: new Date(fromAt), fields };
}

function earlier(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b;
  if (!b) return a;
  return new Date(b).getTime() < new Date(a).getTime() ? b : a;
}
