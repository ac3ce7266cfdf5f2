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
