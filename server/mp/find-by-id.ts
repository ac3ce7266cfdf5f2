import { database } from '../cloud';

/** One document by `_id`, or null (`doc().get()` throws on a missing document). */
export async function findById<T>(collection: string, id: string): Promise<T | null> {
  const result = (await database().collection(collection).where({ _id: id }).limit(1).get()) as unknown as { data: T[] };
  return result.data[0] ?? null;
}
