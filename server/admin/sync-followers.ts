import {
  type FollowerOutcome,
  type FollowerPlan,
  identityKeysOf,
  planFollower,
  remainingFollowers,
  resumeOffset,
} from '../../core/admin/follower-sync';
import { DuetError } from '../../core/errors';
import { clockFrom, elapsedMs } from '../clock';
import { findCursor, insertCursor, releaseJobLease, takeJobLease, updateCursor } from '../jobs/repository';
import { inFlight } from '../in-flight';
import { log } from '../log';
import { findIdentities, findMembers } from '../member/repository';
import { resolveMember } from '../member/resolve-member';
import type { MpConfig } from '../mp/config';
import { setFollowState } from '../mp/follower-member';
import { FOLLOWERS_PER_BATCHGET, getFollowersInfo, listFollowers } from '../mp/mp-api';
import { adminMpConfig, mpFailure } from './mp-access';

/** One 公众号 per deployment, so one sync: its cursor in `job_cursors`. */
export const SYNC_FOLLOWERS_JOB = 'sync-followers';
/** Stop starting new batches after this long: the function's timeout is 60 s. */
const TIME_BUDGET_MS = 40_000;
/** A run that died (timeout) holds the cursor at most this long after it started. */
const LEASE_MS = 65_000;
/**
 * Followers of a batch bound at once. Each bind is a dozen small reads and writes; a few in flight
 * keep the database busy instead of waiting on round trips, and resolveMember is safe under any concurrency.
 */
const BINDS_IN_FLIGHT = 8;
/** A batch that changed nothing saves the cursor at most this often: a re-run walks the list without writing. */
const QUIET_SAVE_MS = 5_000;

const OUTCOMES = ['created', 'bound', 'marked', 'unchanged', 'notFollowing'] as const;
type Counts = Record<FollowerOutcome, number>;

interface SyncCursor extends Counts {
  _id: string;
  job: 'syncFollowers';
  /** The `next_openid` that fetched the page being worked on ('' for the first page). */
  pageOpenid: string;
  /** Followers of that page handled so far. */
  offset: number;
  /** The last follower handled: finds the place again if someone before it left the list. */
  lastOpenid: string;
  /** Followers as WeChat last counted them. */
  total: number;
  done: number;
  startedAt: Date;
  updatedAt: Date;
  doneAt: Date | null;
}

export interface SyncFollowersRequest {
  /** Start a finished sync again from the first follower (an unfinished one always continues). */
  restart: boolean;
  /** At most this many followers in this run (default: as many as fit in the time budget). */
  chunkSize?: number;
}

/**
 * `syncFollowers`: every follower the 公众号 already has becomes a member that follows. Pages through
 * `user/get` (10,000 a page) and `user/info/batchget` (100 a call); per batch one query finds the
 * identities already known, members already following are skipped without a write, the others are
 * bound with resolveMember (one member per person, merges healed) and marked following at their own
 * follow time (`setFollowState`), so an unfollow pushed later still wins. No funnel events: these are
 * not arrivals. Resumable: a cursor in `job_cursors` under a lease; a finished sync answers its
 * result and writes nothing, unless started again with `restart`.
 */
export async function syncFollowers(request: SyncFollowersRequest, now: Date) {
  const started = performance.now();
  const clock = clockFrom(now);
  const config = adminMpConfig();
  let cursor = await openCursor(now);
  if (cursor.doneAt && !request.restart) return view(cursor);

  const lease = await takeJobLease(SYNC_FOLLOWERS_JOB, now, LEASE_MS);
  if (!lease) {
    throw new DuetError('CONFLICT', `another run is syncing followers; try again when it finishes (at most ${LEASE_MS / 1000} s)`);
  }
  try {
    // Read again under the lease: a run that just ended may have moved (or finished) it.
    cursor = (await findCursor<SyncCursor>(SYNC_FOLLOWERS_JOB)) ?? cursor;
    if (cursor.doneAt && !request.restart) return view(cursor);
    if (cursor.doneAt) cursor = await restart(cursor, clock());
    cursor = await work(config, cursor, request.chunkSize ?? Number.POSITIVE_INFINITY, started, clock);
  } finally {
    await releaseJobLease(SYNC_FOLLOWERS_JOB, lease);
  }
  return view(cursor);
}

async function work(config: MpConfig, start: SyncCursor, chunk: number, started: number, clock: () => Date): Promise<SyncCursor> {
  const cursor = { ...start };
  let processed = 0;
  let savedAt = performance.now();
  const save = async (fields: Partial<SyncCursor>) => {
    Object.assign(cursor, fields, { updatedAt: clock() });
    const stored = progressOf(cursor);
    await updateCursor(cursor._id, () => stored);
    savedAt = performance.now();
  };
  const hasTime = () => processed < chunk && elapsedMs(started) < TIME_BUDGET_MS;

  let unsaved = false;
  while (!cursor.doneAt && hasTime()) {
    const page = await fromWechat(listFollowers(config, cursor.pageOpenid, clock()));
    const openids = page.data?.openid ?? [];
    cursor.total = Number(page.total ?? cursor.total);
    if (Number(page.count) === 0 || openids.length === 0) {
      await save({ doneAt: clock() });
      unsaved = false;
      break;
    }
    let offset = resumeOffset(openids, cursor.offset, cursor.lastOpenid, FOLLOWERS_PER_BATCHGET);
    while (offset < openids.length && hasTime()) {
      const batch = openids.slice(offset, offset + Math.min(FOLLOWERS_PER_BATCHGET, chunk - processed));
      const counts = await syncBatch(config, batch, clock);
      offset += batch.length;
      processed += batch.length;
      const progress: Partial<SyncCursor> = { offset, lastOpenid: batch[batch.length - 1], done: cursor.done + batch.length };
      for (const outcome of OUTCOMES) progress[outcome] = cursor[outcome] + counts[outcome];
      if (offset >= openids.length) {
        // WeChat ends the list with an empty next_openid, or with one more call that lists nobody.
        Object.assign(progress, page.next_openid ? { pageOpenid: page.next_openid, offset: 0 } : { doneAt: clock() });
      }
      const wrote = counts.created + counts.bound + counts.marked > 0;
      if (wrote || progress.doneAt || performance.now() - savedAt >= QUIET_SAVE_MS) {
        await save(progress);
        unsaved = false;
      } else {
        Object.assign(cursor, progress);
        unsaved = true;
      }
    }
  }
  if (unsaved) await save({});
  log('info', {
    event: 'admin.syncFollowers.progress',
    done: cursor.done,
    total: cursor.total,
    processed,
    elapsedMs: Math.round(elapsedMs(started)),
  });
  return cursor;
}

/** One batchget, one identity query, one member query; writes only for followers not yet bound and following. */
async function syncBatch(config: MpConfig, openids: string[], clock: () => Date): Promise<Counts> {
  const infos = await fromWechat(getFollowersInfo(config, openids, clock()));
  const byOpenid = new Map(infos.map((info) => [info.openid, info]));
  const identities = new Map((await findIdentities(identityKeysOf(config.appid, infos))).map((doc) => [doc._id, doc]));
  const members = new Map((await findMembers([...identities.values()].map((doc) => doc.memberId))).map((doc) => [doc._id, doc]));
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Counts;
  const plans = openids.map((openid) => ({ openid, plan: planFollower(config.appid, byOpenid.get(openid), identities, members, clock()) }));
  for (const { plan } of plans) if (plan.kind === 'notFollowing' || plan.kind === 'unchanged') counts[plan.kind] += 1;
  const todo = plans.filter((p): p is { openid: string; plan: Extract<FollowerPlan, { followedAt: Date }> } => 'followedAt' in p.plan);
  await inFlight(todo, BINDS_IN_FLIGHT, async ({ openid, plan }) => {
    const member = await resolveMember({ appid: config.appid, openid, unionid: plan.unionid }, clock());
    const applied = await setFollowState(member._id, openid, true, plan.followedAt, clock());
    // Not applied: an unfollow pushed after this follow was already recorded, and it stands.
    counts[applied ? plan.kind : 'notFollowing'] += 1;
  });
  return counts;
}

/** WeChat's refusals as the product's codes; the database's own failures pass as they are. */
async function fromWechat<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw mpFailure(error);
  }
}

/** The cursor fields a run changes (never the lease: that is the lease helpers' field). */
function progressOf(cursor: SyncCursor): Record<string, unknown> {
  const { pageOpenid, offset, lastOpenid, total, done, startedAt, updatedAt, doneAt } = cursor;
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, cursor[o]]));
  return { pageOpenid, offset, lastOpenid, total, done, ...counts, startedAt, updatedAt, doneAt };
}

function freshCounts(): Counts {
  return { created: 0, bound: 0, marked: 0, unchanged: 0, notFollowing: 0 };
}

async function openCursor(now: Date): Promise<SyncCursor> {
  const fresh: SyncCursor = {
    _id: SYNC_FOLLOWERS_JOB,
    job: 'syncFollowers',
    pageOpenid: '',
    offset: 0,
    lastOpenid: '',
    total: 0,
    done: 0,
    ...freshCounts(),
    startedAt: now,
    updatedAt: now,
    doneAt: null,
  };
  // Read first: a run after the first one writes nothing before it holds the lease.
  const cursor =
    (await findCursor<SyncCursor>(SYNC_FOLLOWERS_JOB)) ??
    ((await insertCursor(fresh)) ? fresh : await findCursor<SyncCursor>(SYNC_FOLLOWERS_JOB));
  if (!cursor) throw new DuetError('CONFLICT', `job cursor ${SYNC_FOLLOWERS_JOB} vanished; run the job again`);
  return cursor;
}

async function restart(cursor: SyncCursor, now: Date): Promise<SyncCursor> {
  const fields = { pageOpenid: '', offset: 0, lastOpenid: '', done: 0, ...freshCounts(), startedAt: now, updatedAt: now, doneAt: null };
  await updateCursor(cursor._id, () => fields);
  return { ...cursor, ...fields };
}

function view(cursor: SyncCursor) {
  const finished = Boolean(cursor.doneAt);
  return {
    total: cursor.total,
    done: cursor.done,
    remaining: remainingFollowers(cursor.total, cursor.done, finished),
    created: cursor.created,
    bound: cursor.bound,
    marked: cursor.marked,
    unchanged: cursor.unchanged,
    notFollowing: cursor.notFollowing,
    startedAt: new Date(cursor.startedAt).toISOString(),
    finishedAt: cursor.doneAt ? new Date(cursor.doneAt).toISOString() : null,
  };
}
