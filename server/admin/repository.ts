import { database } from '../cloud';
import { isDuplicateKeyError } from '../db-errors';

/** Collections the admin jobs write. */
export const SCENES = 'scenes';
export const ARTICLES = 'articles';
export const CAMPAIGNS = 'campaigns';
export const ADMINS = 'admins';
export const JOB_CURSORS = 'job_cursors';
export const KEYWORD_REPLIES = 'keyword_replies';

/** One document by `_id`, or null (`doc().get()` throws on a missing document). */
export async function byId<T>(collection: string, id: string): Promise<T | null> {
  const result = (await database().collection(collection).where({ _id: id }).limit(1).get()) as unknown as { data: T[] };
  return result.data[0] ?? null;
}

/** Inserts unless the `_id` exists; true when this call created it. The database decides, whatever the concurrency. */
export async function insertOnce(collection: string, doc: { _id: string } & Record<string, unknown>): Promise<boolean> {
  try {
    await database().collection(collection).add({ data: doc });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** Every document of a collection, paged past the 1,000-per-get limit. */
export async function listAll<T>(collection: string, query: Record<string, unknown> = {}): Promise<T[]> {
  const all: T[] = [];
  for (;;) {
    const page = (await database()
      .collection(collection)
      .where(query)
      .orderBy('_id', 'asc')
      .skip(all.length)
      .limit(1000)
      .get()) as unknown as { data: T[] };
    all.push(...page.data);
    if (page.data.length < 1000) return all;
  }
}
