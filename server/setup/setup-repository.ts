import { database } from '../cloud';

/**
 * The doctor's reads and scratch writes, on collections named by cloud/schema.json rather than by
 * COLLECTIONS: it checks what the schema declares, including collections no code uses yet.
 */

/** A one-document read: throws what the platform answers for a missing or unreadable collection. */
export async function readOneDocument(collection: string): Promise<void> {
  await database().collection(collection).limit(1).field({ _id: true }).get();
}

/** One scratch document (`doctorProbe: true`) with the given fields; a unique index may refuse it. */
export async function insertProbe(collection: string, id: string, fields: Record<string, string>): Promise<void> {
  await database()
    .collection(collection)
    .add({ data: { _id: id, ...fields, doctorProbe: true } });
}

/** Removes the scratch documents, whichever of them were written. */
export async function removeProbes(collection: string, ids: string[]): Promise<void> {
  const db = database();
  await db
    .collection(collection)
    .where({ _id: db.command.in(ids) })
    .remove();
}
