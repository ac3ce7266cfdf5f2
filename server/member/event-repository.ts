import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { insertOnce } from '../documents';

/** `events`: the funnel's raw rows (visit, follow, scan, ...), written by every feature where it changes state. */
const EVENTS = COLLECTIONS.events;

export async function insertEvent(doc: Record<string, unknown> & { _id: string }): Promise<void> {
  await database().collection(EVENTS).add({ data: doc });
}

/** An event with a dedupe key as its `_id`: written once however often its source is handled. */
export function insertEventOnce(doc: Record<string, unknown> & { _id: string }): Promise<boolean> {
  return insertOnce(EVENTS, doc);
}
