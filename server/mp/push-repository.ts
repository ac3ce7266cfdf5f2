import type { Lease } from '../../core/lease';
import type { MpPush } from '../../core/mp/push';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, insertOnce } from '../documents';
import { LEASE_FIELD, releaseLease, takeLease } from '../lease';

/**
 * `mp_pushes_seen`: one document per 公众号 push (`_id` = its dedupe key) with the push itself, so a
 * push whose handling failed after WeChat got its answer can be run again by the scheduler.
 */
const PUSHES_SEEN = COLLECTIONS.mpPushesSeen;

export type PushClaimState = 'processing' | 'done' | 'failed' | 'dead';

export interface PushClaimDoc {
  _id: string;
  state: PushClaimState;
  claimedAt: Date;
  attempts: number;
  kind: string;
  from: string;
  createTime: string;
  /** The parsed push, kept to run it again. */
  push: MpPush;
  /** The request that last worked on it (the log line to read). */
  requestId: string;
  reason?: string;
  failedAt?: Date;
  nextAttemptAt?: Date;
  lease?: Lease;
}

/** The first delivery's claim: the database refuses a second insert of the key, whatever the concurrency. */
export function insertPushClaim(doc: PushClaimDoc & { [LEASE_FIELD]: Lease }): Promise<boolean> {
  return insertOnce(PUSHES_SEEN, doc);
}

export function findPushClaim(key: string): Promise<PushClaimDoc | null> {
  return findById<PushClaimDoc>(PUSHES_SEEN, key);
}

/**
 * Takes over a push nobody is working on: failed (and, for the scheduler, due) or abandoned (its
 * lease ran out). Never a done or dead one.
 */
export function takeOverPushClaim(key: string, now: Date, durationMs: number, requestId: string, dueOnly: boolean): Promise<Lease | null> {
  const _ = database().command;
  const open = { state: _.in(['processing', 'failed']) };
  const due = _.or([{ state: 'processing' }, { nextAttemptAt: _.exists(false) }, { nextAttemptAt: _.lte(now) }]);
  return takeLease(PUSHES_SEEN, key, {
    now,
    durationMs,
    where: dueOnly ? _.and([open, due]) : open,
    fields: { state: 'processing', claimedAt: now, requestId, attempts: _.inc(1) },
  });
}

export function finishPushClaim(key: string, lease: Lease, now: Date): Promise<boolean> {
  const _ = database().command;
  return releaseLease(PUSHES_SEEN, key, lease, { state: 'done', doneAt: now, nextAttemptAt: _.remove() });
}

export function failPushClaim(
  key: string,
  lease: Lease,
  outcome: { state: 'failed'; nextAttemptAt: Date } | { state: 'dead' },
  now: Date,
  reason: string,
): Promise<boolean> {
  const _ = database().command;
  const next = outcome.state === 'failed' ? { nextAttemptAt: outcome.nextAttemptAt } : { nextAttemptAt: _.remove() };
  return releaseLease(PUSHES_SEEN, key, lease, { state: outcome.state, failedAt: now, reason: reason.slice(0, 500), ...next });
}

/** Pushes the scheduler should run again now: failed and due, or abandoned by a dead attempt. */
export async function findReplayablePushes(now: Date, limit: number): Promise<PushClaimDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(PUSHES_SEEN)
    .where(
      _.or([
        { state: 'failed', nextAttemptAt: _.lte(now) },
        { state: 'processing', [`${LEASE_FIELD}.until`]: _.lte(now) },
      ]),
    )
    .orderBy('claimedAt', 'asc')
    .limit(limit)
    .get()) as unknown as { data: PushClaimDoc[] };
  return result.data;
}

/** Failed (still retried) and dead pushes, the most recent failure first. */
export async function listFailedPushClaims(limit: number): Promise<PushClaimDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(PUSHES_SEEN)
    .where({ state: _.in(['failed', 'dead']) })
    .orderBy('failedAt', 'desc')
    .limit(limit)
    .get()) as unknown as { data: PushClaimDoc[] };
  return result.data;
}
