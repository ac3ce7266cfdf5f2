import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
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
