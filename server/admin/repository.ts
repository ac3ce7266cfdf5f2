import { database } from '../cloud';

/** Collections the admin jobs write. */
export const SCENES = 'scenes';
export const ARTICLES = 'articles';
export const CAMPAIGNS = 'campaigns';
export const ADMINS = 'admins';
export const JOB_CURSORS = 'job_cursors';
export const KEYWORD_REPLIES = 'keyword_replies';

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
