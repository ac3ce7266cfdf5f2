import { MEMBER_OWNED_COLLECTIONS, planMerge } from '../../core/member/merge';
import type { MemberDoc } from '../../core/member/member';
import { DuetError } from '../../core/errors';
import { log } from '../log';
import { findMember, movePoints, repointIdentities, repointOwned, updateMember } from './repository';

/**
 * Heals one person who became two members: everything of `fromId` moves to `intoId` and
 * `fromId` keeps resolving to `intoId` through `mergedInto`. Every step is idempotent, so a
 * merge interrupted by a timeout is finished by the next login, follow or payment that meets it.
 */
export async function mergeMembers(fromId: string, intoId: string, now: Date): Promise<void> {
  if (fromId === intoId) return;
  const [from, into] = await Promise.all([findMember(fromId), findMember(intoId)]);
  if (!from || !into) throw new DuetError('NOT_FOUND', `cannot merge ${fromId} into ${intoId}: member missing`);
  if (from.mergedInto && from.mergedInto !== intoId) {
    throw new DuetError('CONFLICT', `member ${fromId} is already merged into ${from.mergedInto}, not ${intoId}`);
  }
  // Mark first: from now on every reader of `fromId` lands on `intoId`.
  if (!from.mergedInto) await updateMember(fromId, { mergedInto: intoId, mergedAt: now, updatedAt: now });
  await repointIdentities(fromId, intoId);
  await movePoints(fromId, intoId);
  for (const collection of MEMBER_OWNED_COLLECTIONS) await repointOwned(collection, fromId, intoId);
  await updateMember(intoId, { ...toStored(planMerge(from, into)), updatedAt: now });
  log('info', { event: 'member.merged', from: fromId, into: intoId });
}

function toStored(fields: Partial<MemberDoc>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
