import type { Lease } from '../../core/lease';
import { type DatacubeDoc, emptyState, type PullState, stateOf } from '../../core/funnel/datacube';
import { snapshotId } from '../../core/funnel/report';
import type { SnapshotRow } from '../../core/funnel/tally';
import type { Model } from '../../core/funnel/attribution';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, MAX_PER_QUERY } from '../documents';
import { findCursor, releaseJobLease, takeJobLease } from '../jobs/repository';

/**
 * `mp_datacube`: the 公众号's own numbers, one document per API and day (`<api>|<day>`, index
 * `api_day`), written whole so a day pulled again overwrites itself. The pull keeps its place in
 * `job_cursors` (`pull-datacube`): `through`, `pending`, `quotaUntil` of `PullState`.
 */
const DATACUBE = COLLECTIONS.mpDatacube;
export const PULL_CURSOR = 'pull-datacube';

export async function readPullState(): Promise<{ exists: boolean; state: PullState }> {
  const doc = await findCursor<Partial<PullState>>(PULL_CURSOR);
  return { exists: doc !== null, state: doc ? stateOf(doc) : emptyState() };
}

/** The pull's lease (its cursor created on the first run): one pull at a time, by hand or scheduled. */
export function takePullLease(now: Date, durationMs: number, create: boolean): Promise<Lease | null> {
  return takeJobLease(PULL_CURSOR, now, durationMs, create);
}

/** Gives the lease back with the state in the same write (each field replaced whole). */
export function releasePullLease(lease: Lease, state: PullState | null, now: Date): Promise<boolean> {
  if (!state) return releaseJobLease(PULL_CURSOR, lease);
  const _ = database().command;
  return releaseJobLease(PULL_CURSOR, lease, {
    job: 'pullDatacube',
    through: _.set(state.through),
    pending: _.set(state.pending),
    quotaUntil: _.set(state.quotaUntil),
    updatedAt: now,
  });
}

/** One document per API and day, written whole (`set`): pulling a day again overwrites it. */
export async function putDatacubeDocs(docs: readonly DatacubeDoc[]): Promise<void> {
  await Promise.all(docs.map(({ _id, ...fields }) => database().collection(DATACUBE).doc(_id).set({ data: fields })));
}

/**
 * The `getarticleread` days of [from, to] that are stored, each with only the readers of `msgids`
 * (projected: a day lists every article read that day). One request for up to 1,000 days.
 */
export async function findArticleReads(
  from: string,
  to: string,
  msgids: readonly string[],
): Promise<Array<{ day: string; reads: Record<string, number> }>> {
  const _ = database().command;
  const projection: Record<string, boolean> = { day: true };
  for (const msgid of msgids) projection[`reads.${msgid}`] = true;
  const result = (await database()
    .collection(DATACUBE)
    .where({ api: 'getarticleread', day: _.gte(from).and(_.lte(to)) })
    .field(projection)
    .limit(MAX_PER_QUERY)
    .get()) as unknown as { data: Array<{ day: string; reads?: Record<string, number> }> };
  return result.data.map((doc) => ({ day: doc.day, reads: doc.reads ?? {} }));
}

export interface ArticleLink {
  _id: string;
  title?: string;
  /** The 公众号 articles (msgids, `<msg_data_id>_<index>`) this article was published as. */
  mpMsgids?: unknown;
}

export function findArticleLink(id: string): Promise<ArticleLink | null> {
  return findById<ArticleLink>(COLLECTIONS.articles, id);
}

/**
 * The `by: 'article'` snapshots of `days` under `model`, each with only the row of `article`. A
 * day's whole table is read (`total` left out): the SDK declares no elemMatch projection. One
 * request for up to 1,000 days.
 */
export async function findArticleSnapshots(
  days: readonly string[],
  model: Model,
  article: string,
): Promise<Array<{ day: string; windowDays?: number; row: SnapshotRow | null }>> {
  if (days.length === 0) return [];
  const _ = database().command;
  const result = (await database()
    .collection(COLLECTIONS.funnelDaily)
    .where({ _id: _.in(days.map((day) => snapshotId(day, model, 'article'))) })
    .field({ day: true, windowDays: true, rows: true })
    .limit(days.length)
    .get()) as unknown as { data: Array<{ day: string; windowDays?: number; rows?: SnapshotRow[] }> };
  return result.data.map((doc) => ({
    day: doc.day,
    windowDays: doc.windowDays,
    row: (doc.rows ?? []).find((row) => row.key === article) ?? null,
  }));
}
