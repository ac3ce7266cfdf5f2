import type { Lease } from '../../core/lease';
import { leaseUntil } from '../../core/lease';
import type { MpPush } from '../../core/mp/push';
import { decideAfterFailure } from '../../core/mp/push-retry';
import { newId } from '../ids';
import { failPushClaim, findPushClaim, finishPushClaim, insertPushClaim, takeOverPushClaim } from './push-repository';

/**
 * How long a claim protects a push from other deliveries. An attempt that dies (timeout, crash)
 * frees it when this runs out; longer than the function's timeout, so a live attempt is never
 * overtaken.
 */
export const CLAIM_LEASE_MS = 20_000;

/** `claimed`: this delivery does the work (holding `lease`); `duplicate`: done already; `in_progress`: another delivery is on it. */
export type PushClaim = { state: 'claimed'; lease: Lease; attempts: number } | { state: 'duplicate' } | { state: 'in_progress' };

/**
 * WeChat retries a push it had no answer to within 5 s, up to 3 times, with the same MsgId or
 * sender + CreateTime. The first delivery inserts the key with the push; a later one takes the
 * push over only when the earlier attempt failed or its lease ran out, and changes nothing
 * otherwise. A dead push (retries used up) is answered as a duplicate: operators have it.
 */
export async function claimPush(key: string, push: MpPush, now: Date, requestId: string): Promise<PushClaim> {
  const lease: Lease = { holder: newId(), until: leaseUntil(now, CLAIM_LEASE_MS) };
  const inserted = await insertPushClaim({
    _id: key,
    state: 'processing',
    claimedAt: now,
    attempts: 1,
    kind: push.kind,
    from: push.fromUserName,
    createTime: push.createTime,
    push,
    requestId,
    lease,
  });
  if (inserted) return { state: 'claimed', lease, attempts: 1 };
  return takeOver(key, now, requestId, false);
}

/** The scheduler's way in: only a push that is due (or abandoned) is taken. */
export function reclaimPush(key: string, now: Date, requestId: string): Promise<PushClaim> {
  return takeOver(key, now, requestId, true);
}

async function takeOver(key: string, now: Date, requestId: string, dueOnly: boolean): Promise<PushClaim> {
  const seen = await findPushClaim(key);
  if (!seen) return { state: 'in_progress' };
  if (seen.state === 'done' || seen.state === 'dead') return { state: 'duplicate' };
  const taken = await takeOverPushClaim(key, now, CLAIM_LEASE_MS, requestId, dueOnly);
  return taken ? { state: 'claimed', lease: taken, attempts: Number(seen.attempts ?? 0) + 1 } : { state: 'in_progress' };
}

export function finishPush(key: string, lease: Lease, now: Date): Promise<boolean> {
  return finishPushClaim(key, lease, now);
}

/** Records the failure of attempt `attempts`: due again after a pause, or dead after the last one. */
export function failPush(key: string, lease: Lease, attempts: number, now: Date, reason: string): Promise<boolean> {
  return failPushClaim(key, lease, decideAfterFailure(attempts, now), now, reason);
}
