import { COLLECTIONS } from '../collections';
import { findById, insertOnce } from '../documents';

/**
 * `admins`: members who may run console jobs (`_id` = member id). Kept by the member feature because
 * a merge must carry it: an admin stays an admin when their two members become one.
 */
const ADMINS = COLLECTIONS.admins;

export function findAdmin(memberId: string): Promise<{ _id: string } | null> {
  return findById<{ _id: string }>(ADMINS, memberId);
}

export function insertAdmin(doc: { _id: string; memberId: string; addedAt: Date; addedBy: string }): Promise<boolean> {
  return insertOnce(ADMINS, doc);
}
