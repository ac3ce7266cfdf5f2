import { DuetError } from '../../core/errors';
import { placeOf } from '../../core/funnel/place';
import { type Credit, checkEvent, creditOf, type EventFields, type FunnelEventDoc } from '../../core/funnel/events';
import type { MemberDoc } from '../../core/member/member';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { isDuplicateKeyError } from '../db-errors';
import { insertOnce } from '../documents';
import { finalMember } from './repository';

/**
 * `events`: the funnel's raw rows (core/funnel/events.ts, README there), written by every feature
 * where it changes state, once: the `_id` is the step's dedupe key.
 */
const EVENTS = COLLECTIONS.events;

/** An event without its member and credit: what the writer knows about the step itself. */
export type EventDraft = EventFields;

/**
 * Whose step it is and what it is credited to:
 * - `member`: read in this invocation — its id and touches as read. A merge racing the call is
 *   healed by the merge sweep, which moves a merged-away member's events for ten minutes after;
 * - `memberId` with `credit`: a document of the member read in this invocation carries the credit
 *   (an order keeps the one it was made under, so its payment and refunds are credited alike);
 * - `memberId` alone: the member is read (following merges) for its id and touches.
 */
export type EventOwner = { member: Pick<MemberDoc, '_id' | 'lastTouch' | 'firstTouch'> } | { memberId: string; credit?: Credit };

/** Writes one funnel event unless its `_id` exists: true when this call wrote it. */
export async function recordFunnelEvent(draft: EventDraft, owner: EventOwner): Promise<boolean> {
  return insertOnce(EVENTS, placed(await eventDoc(draft, owner)));
}

/** The full document of an event (the member read when the owner says nothing more). */
async function eventDoc(draft: EventDraft, owner: EventOwner): Promise<FunnelEventDoc> {
  const problem = checkEvent(draft);
  if (problem) throw new DuetError('INTERNAL', `event ${draft._id}: ${problem}`);
  if ('member' in owner) return { ...draft, memberId: owner.member._id, ...creditOf(owner.member) };
  if (owner.credit) return { ...draft, memberId: owner.memberId, ...owner.credit };
  const { id, member } = await finalMember(owner.memberId);
  return { ...draft, memberId: id, ...creditOf(member ?? {}) };
}

/** The event with the day and member bucket the nightly snapshot reads it by (core/funnel/place.ts). */
function placed(doc: FunnelEventDoc): FunnelEventDoc {
  return { ...doc, ...placeOf(doc) };
}

/**
 * Many events, each once: one insert for the lot; when one of them exists already (a duplicate
 * refuses the batch), each is inserted on its own so the others still land.
 */
export async function insertEventsOnce(docs: FunnelEventDoc[]): Promise<void> {
  if (docs.length === 0) return;
  try {
    await database()
      .collection(EVENTS)
      .add({ data: docs.map(placed) });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await Promise.all(docs.map((doc) => insertOnce(EVENTS, placed(doc))));
  }
}
