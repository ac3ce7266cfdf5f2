import { DuetError } from '../../core/errors';
import { followStateToCarry, isMergeSettled, MEMBER_OWNED_COLLECTIONS, planMerge } from '../../core/member/merge';
import type { MemberDoc } from '../../core/member/member';
import { log } from '../log';
import { findAdmin, insertAdmin } from './admin-repository';
import {
  finalMemberId,
  findMember,
  findUnsettledMerges,
  movePoints,
  repointIdentities,
  repointOwned,
  updateFollowState,
  updateMember,
} from './repository';

/**
 * Heals one person who became two members: `fromId` is marked merged into `intoId` first (from
 * then on every reader lands on `intoId`), then everything of `fromId` moves. The moving part is
 * convergent — `settleMerge` may run any number of times, and the scheduler's sweep runs it again
 * until the merge is settled — so a write that raced the merge is moved too, and a merge cut off by
 * a timeout is finished.
 */
export async function mergeMembers(fromId: string, intoId: string, now: Date): Promise<void> {
  if (fromId === intoId) return;
  const [from, into] = await Promise.all([findMember(fromId), findMember(intoId)]);
  if (!from || !into) throw new DuetError('NOT_FOUND', `cannot merge ${fromId} into ${intoId}: member missing`);
  if (from.mergedInto && from.mergedInto !== intoId) {
    throw new DuetError('CONFLICT', `member ${fromId} is already merged into ${from.mergedInto}, not ${intoId}`);
  }
  if (!from.mergedInto) await updateMember(fromId, { mergedInto: intoId, mergedAt: now, updatedAt: now });
  await settleMerge({ ...from, mergedInto: intoId }, now);
  log('info', { event: 'member.merged', from: fromId, into: intoId });
}

/** Moves what a merged-away member still holds to the member it became. Idempotent. */
export async function settleMerge(from: MemberDoc, now: Date): Promise<void> {
  if (!from.mergedInto) return;
  const intoId = await finalMemberId(from.mergedInto);
  // Before anything it owned moves: from now on claims by `into` count its coupons instead of assuming none.
  await updateMember(intoId, { hasAbsorbed: true });
  await repointIdentities(from._id, intoId);
  await movePoints(from._id, intoId, now);
  for (const collection of MEMBER_OWNED_COLLECTIONS) await repointOwned(collection, from._id, intoId);
  if (await findAdmin(from._id)) await insertAdmin({ _id: intoId, memberId: intoId, addedAt: now, addedBy: `merge:${from._id}` });
  const into = await findMember(intoId);
  if (!into) throw new DuetError('NOT_FOUND', `member ${intoId} (merged into) does not exist`);
  const fields = Object.fromEntries(Object.entries(planMerge(from, into)).filter(([, value]) => value !== undefined));
  if (Object.keys(fields).length > 0) await updateMember(intoId, { ...fields, updatedAt: now });
  // Only over an older follow state: a merge never undoes an unsubscribe `into` got meanwhile.
  const carried = followStateToCarry(from, into);
  if (carried) await updateFollowState(intoId, { ...carried.fields, updatedAt: now }, carried.at);
}

/**
 * The scheduler's sweep: every merge not yet settled is settled again; one past its settle window
 * (no write can still be in flight for it) is marked settled. Returns the counts.
 */
export async function sweepMerges(now: Date, limit = 50): Promise<{ swept: number; settled: number }> {
  let settled = 0;
  const pending = await findUnsettledMerges(limit);
  for (const member of pending) {
    await settleMerge(member, now);
    if (!member.mergeSettledAt && isMergeSettled(member, now)) {
      await updateMember(member._id, { mergeSettledAt: now });
      settled += 1;
    }
  }
  return { swept: pending.length, settled };
}
