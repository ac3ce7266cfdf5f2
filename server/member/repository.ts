import type { IdentityDoc, MemberDoc } from '../../core/member/member';
import { database } from '../cloud';
import { isDuplicateKeyError } from '../db-errors';
import { withTransaction } from '../transaction';

export const MEMBERS = 'members';
export const IDENTITIES = 'identities';

/** Reads one document by `_id`, or null: `doc().get()` throws on a missing document. */
async function getById<T>(collection: string, id: string): Promise<T | null> {
  const result = (await database().collection(collection).where({ _id: id }).limit(1).get()) as unknown as { data: T[] };
  return result.data[0] ?? null;
}

export function findIdentity(key: string): Promise<IdentityDoc | null> {
  return getById<IdentityDoc>(IDENTITIES, key);
}

export function findMember(memberId: string): Promise<MemberDoc | null> {
  return getById<MemberDoc>(MEMBERS, memberId);
}

/** Inserts unless the `_id` exists; returns whether this call created it. */
export async function insertOnce(collection: string, doc: { _id: string }): Promise<boolean> {
  try {
    await database().collection(collection).add({ data: doc });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
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
