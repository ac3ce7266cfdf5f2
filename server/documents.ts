import { DuetError } from '../core/errors';
import { database } from './cloud';
import { isDuplicateKeyError } from './db-errors';

/** One document by `_id`, or null: `doc().get()` throws on a missing document. */
export async function findById<T>(collection: string, id: string): Promise<T | null> {
  const result = (await database().collection(collection).where({ _id: id }).limit(1).get()) as unknown as { data: T[] };
  return result.data[0] ?? null;
}

/**
 * Inserts unless the `_id` exists; true when this call created it. The database decides,
 * whatever the concurrency: this is how every "once" rule of Duet is enforced.
 */
export async function insertOnce<T extends { _id: string }>(collection: string, doc: T): Promise<boolean> {
  try {
    await database().collection(collection).add({ data: doc });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** What one server-side query returns at most. */
export const MAX_PER_QUERY = 1000;

/** Documents by `_id` in one query (duplicates asked once; the server SDK answers 100 unless told otherwise). */
export async function findByIds<T>(collection: string, ids: readonly string[]): Promise<T[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  if (unique.length > MAX_PER_QUERY) throw new DuetError('INTERNAL', `at most ${MAX_PER_QUERY} ids per query, got ${unique.length}`);
  const _ = database().command;
  const result = (await database()
    .collection(collection)
    .where({ _id: _.in(unique) })
    .limit(unique.length)
    .get()) as unknown as { data: T[] };
  return result.data;
}

/** How many documents a `where(...).update(...)` changed: 1 means a conditional write won. */
export function updatedCount(result: unknown): number {
  return Number((result as { stats?: { updated?: number } }).stats?.updated ?? 0);
}
