import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { isDuplicateKeyError } from '../db-errors';
import { insertOnce } from '../documents';
import { finalMemberId } from './repository';

/**
 * `events`: the funnel's raw rows (visit, follow, scan, ...), written by every feature where it changes state,
 * always for the member the person is now (a merged-away id is resolved first).
 */
const EVENTS = COLLECTIONS.events;

export async function insertEvent(doc: Record<string, unknown> & { _id: string; memberId: string }): Promise<void> {
  await database()
    .collection(EVENTS)
    .add({ data: { ...doc, memberId: await finalMemberId(doc.memberId) } });
}

/**
 * An event with a dedupe key as its `_id`: written once however often its source is handled.
 * `current`: the caller just read the member inside a transaction and knows it is not merged away.
 */
export async function insertEventOnce(doc: Record<string, unknown> & { _id: string; memberId: string }, current = false): Promise<boolean> {
  return insertOnce(EVENTS, { ...doc, memberId: current ? doc.memberId : await finalMemberId(doc.memberId) });
}

/**
 * Many events, each once: one insert for the lot; when one of them exists already (a duplicate
 * refuses the batch), each is inserted on its own so the others still land.
 */
export async function insertEventsOnce(docs: Array<Record<string, unknown> & { _id: string; memberId: string }>): Promise<void> {
  if (docs.length === 0) return;
  try {
    await database().collection(EVENTS).add({ data: docs });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await Promise.all(docs.map((doc) => insertOnce(EVENTS, doc)));
  }
}
