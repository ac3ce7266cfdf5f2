import type { Lease } from '../../core/lease';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, insertOnce } from '../documents';
import { LEASE_FIELD, releaseLease, takeLease } from '../lease';

/** `mp_pushes_seen`: one document per 公众号 push (`_id` = its dedupe key), with the claim of whoever handles it. */
const PUSHES_SEEN = COLLECTIONS.mpPushesSeen;

export interface PushClaimDoc {
  _id: string;
  state: 'processing' | 'done' | 'failed';
  claimedAt: Date;
  attempts: number;
  kind: string;
  from: string;
  createTime: string;
  lease?: Lease;
}

/** The first delivery's claim: the database refuses a second insert of the key, whatever the concurrency. */
export function insertPushClaim(doc: PushClaimDoc & { [LEASE_FIELD]: Lease }): Promise<boolean> {
  return insertOnce(PUSHES_SEEN, doc);
}

export function findPushClaim(key: string): Promise<PushClaimDoc | null> {
  return findById<PushClaimDoc>(PUSHES_SEEN, key);
}

/** Takes over a push whose handler failed or died (its lease is free), unless it is done. */
export function takeOverPushClaim(key: string, now: Date, durationMs: number): Promise<Lease | null> {
  const _ = database().command;
  return takeLease(PUSHES_SEEN, key, {
    now,
    durationMs,
    where: { state: _.neq('done') },
    fields: { state: 'processing', claimedAt: now, attempts: _.inc(1) },
  });
}

export function finishPushClaim(key: string, lease: Lease, now: Date): Promise<boolean> {
  return releaseLease(PUSHES_SEEN, key, lease, { state: 'done', doneAt: now });
}

export function failPushClaim(key: string, lease: Lease, now: Date, reason: string): Promise<boolean> {
  return releaseLease(PUSHES_SEEN, key, lease, { state: 'failed', failedAt: now, reason: reason.slice(0, 500) });
}
