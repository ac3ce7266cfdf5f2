import type { IdentityDoc, MemberDoc } from '../../core/member/member';
import { database } from '../cloud';
import { findById, insertOnce } from '../documents';
import { withTransaction } from '../transaction';

export const MEMBERS = 'members';
export const IDENTITIES = 'identities';

export function findIdentity(key: string): Promise<IdentityDoc | null> {
  return findById<IdentityDoc>(IDENTITIES, key);
}

export function findMember(memberId: string): Promise<MemberDoc | null> {
  return findById<MemberDoc>(MEMBERS, memberId);
}

/**
 * Claims an identity for a member: the first claim wins, later ones read the winner.
 * Returns the identity as stored.
 */
export async function claimIdentity(doc: IdentityDoc): Promise<IdentityDoc> {
  const existing = await findIdentity(doc._id);
  if (existing) return existing;
  if (await insertOnce(IDENTITIES, doc)) return doc;
  const winner = await findIdentity(doc._id);
  if (!winner) throw new Error(`identity ${doc._id} vanished after a duplicate insert`);
  return winner;
}

export function insertMember(doc: MemberDoc): Promise<boolean> {
  return insertOnce(MEMBERS, doc);
}

export async function updateMember(memberId: string, fields: Record<string, unknown>): Promise<void> {
  await database().collection(MEMBERS).doc(memberId).update({ data: fields });
}

export async function repointIdentities(fromMemberId: string, toMemberId: string): Promise<void> {
  await database()
    .collection(IDENTITIES)
    .where({ memberId: fromMemberId })
    .update({ data: { memberId: toMemberId } });
}

export async function repointOwned(collection: string, fromMemberId: string, toMemberId: string): Promise<void> {
  await database()
    .collection(collection)
    .where({ memberId: fromMemberId })
    .update({ data: { memberId: toMemberId } });
}

/**
 * Moves `from`'s points balance to `into` exactly once, in one transaction: a retried or
 * concurrent merge finds `pointsMovedTo` already set and moves nothing.
 */
export async function movePoints(fromMemberId: string, intoMemberId: string): Promise<void> {
  await withTransaction(async (tx: any) => {
    const from = (await tx.collection(MEMBERS).doc(fromMemberId).get()).data as MemberDoc & { pointsMovedTo?: string };
    if (from.pointsMovedTo) return;
    const into = (await tx.collection(MEMBERS).doc(intoMemberId).get()).data as MemberDoc;
    await tx
      .collection(MEMBERS)
      .doc(intoMemberId)
      .update({ data: { points: Number(into.points ?? 0) + Number(from.points ?? 0) } });
    await tx
      .collection(MEMBERS)
      .doc(fromMemberId)
      .update({ data: { points: 0, pointsMovedTo: intoMemberId } });
  });
}
