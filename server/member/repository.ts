import type { IdentityDoc, MemberDoc } from '../../core/member/member';
import { database } from '../cloud';
import { isDuplicateKeyError } from '../db-errors';

const MEMBERS = 'members';
const IDENTITIES = 'identities';

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
async function insertOnce(collection: string, doc: { _id: string }): Promise<boolean> {
  try {
    await database().collection(collection).add({ data: doc });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

export function insertIdentity(doc: IdentityDoc): Promise<boolean> {
  return insertOnce(IDENTITIES, doc);
}

export function insertMember(doc: MemberDoc): Promise<boolean> {
  return insertOnce(MEMBERS, doc);
}
