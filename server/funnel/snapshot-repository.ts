import type { Dimension, Model } from '../../core/funnel/attribution';
import type { FunnelEventDoc } from '../../core/funnel/events';
import type { SnapshotDoc } from '../../core/funnel/report';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { MAX_PER_QUERY, updatedCount } from '../documents';

/**
 * What the nightly snapshot and the funnel report read and write: runs (`funnel_runs`, moved only
 * by conditional writes), the day's events by member bucket, the day's new members, and the day
 * documents (`funnel_daily`).
 */

/** Writes `fields` on the run only while it is still at `at` (its day, step and start): true when this call moved it. */
export async function moveRun(runId: string, at: Record<string, unknown>, fields: Record<string, unknown>): Promise<boolean> {
  const result = await database()
    .collection(COLLECTIONS.funnelRuns)
    .where({ _id: runId, ...at })
    .update({ data: fields });
  return updatedCount(result) === 1;
}

export interface JoinedMemberRow {
  _id: string;
  firstTouch?: unknown;
  mergedInto?: string;
}

/** Members created in [start, end), a page in `_id` order after `cursor`. */
export async function joinedMembersPage(start: Date, end: Date, cursor: string): Promise<JoinedMemberRow[]> {
  const _ = database().command;
  const page = (await database()
    .collection(COLLECTIONS.members)
    .where({ createdAt: _.gte(start).and(_.lt(end)), _id: _.gt(cursor) })
    .orderBy('_id', 'asc')
    .field({ _id: true, firstTouch: true, mergedInto: true })
    .limit(MAX_PER_QUERY)
    .get()) as unknown as { data: JoinedMemberRow[] };
  return page.data;
}

const EVENT_FIELDS = {
  _id: true,
  kind: true,
  memberId: true,
  at: true,
  orderAt: true,
  touch: true,
  firstTouch: true,
  fen: true,
  attributed: true,
};

/**
 * One page of a day's member bucket in `_id` order after `cursor` (index day_bucket; the first page
 * asks `_id > ''` so the database walks the index in `_id` order).
 */
export async function bucketPage(day: string, bucket: string, cursor: string): Promise<FunnelEventDoc[]> {
  const _ = database().command;
  const page = (await database()
    .collection(COLLECTIONS.events)
    .where({ day, bucket, _id: _.gt(cursor) })
    .orderBy('_id', 'asc')
    .field(EVENT_FIELDS)
    .limit(MAX_PER_QUERY)
    .get()) as unknown as { data: FunnelEventDoc[] };
  return page.data;
}

/** Whether the day has any event: its first `_id` (index day_id), not a count of them all. */
export async function dayHasEvents(day: string): Promise<boolean> {
  const _ = database().command;
  const page = (await database()
    .collection(COLLECTIONS.events)
    .where({ day, _id: _.gt('') })
    .orderBy('_id', 'asc')
    .field({ _id: true })
    .limit(1)
    .get()) as unknown as { data: unknown[] };
  return page.data.length > 0;
}

/** One day document, written whole. */
export async function writeSnapshot(doc: SnapshotDoc): Promise<void> {
  const { _id, ...data } = doc;
  await database().collection(COLLECTIONS.funnelDaily).doc(_id).set({ data });
}

/** The day documents of one model and dimension in [from, to]: one query (at most 1,000 days). */
export async function readSnapshots(model: Model, by: Dimension, from: string, to: string): Promise<SnapshotDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(COLLECTIONS.funnelDaily)
    .where({ model, by, day: _.gte(from).and(_.lte(to)) })
    .limit(MAX_PER_QUERY)
    .get()) as unknown as { data: SnapshotDoc[] };
  return result.data;
}
