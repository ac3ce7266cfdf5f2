import type { MpPush } from '../../core/mp/push';
import { database } from '../cloud';
import { findById, insertOnce } from '../documents';

export const PUSHES_SEEN = 'mp_pushes_seen';

/**
 * A claim older than this is taken to be from an attempt that died (timeout, crash); the next
 * delivery may take the push over. Longer than the function's timeout, so a live attempt is never
 * overtaken.
 */
export const CLAIM_LEASE_MS = 20_000;

/** `claimed`: this delivery does the work; `duplicate`: done already; `in_progress`: another delivery is on it. */
export type PushClaim = 'claimed' | 'duplicate' | 'in_progress';

interface SeenDoc {
  _id: string;
  state: 'processing' | 'done' | 'failed';
  claimedAt: Date;
  attempts: number;
}

/**
 * WeChat retries a push it had no answer to within 5 s, up to 3 times, with the same MsgId or
 * sender + CreateTime. The first delivery inserts the key (`_id`, so the database refuses a
 * second insert whatever the concurrency); later deliveries change nothing.
 */
export async function claimPush(key: string, push: MpPush, now: Date): Promise<PushClaim> {
  const doc = {
    _id: key,
    state: 'processing',
    claimedAt: now,
    attempts: 1,
    kind: push.kind,
    from: push.fromUserName,
    createTime: push.createTime,
  };
  if (await insertOnce(PUSHES_SEEN, doc)) return 'claimed';
  const seen = await findSeen(key);
  if (!seen) return 'in_progress';
  if (seen.state === 'done') return 'duplicate';
  const stale = seen.state === 'failed' || now.getTime() - new Date(seen.claimedAt).getTime() > CLAIM_LEASE_MS;
  if (!stale) return 'in_progress';
  // Take over only if nobody else did since we read it: the update matches the claim we saw.
  const result = await database()
    .collection(PUSHES_SEEN)
    .where({ _id: key, state: seen.state, claimedAt: seen.claimedAt })
    .update({ data: { state: 'processing', claimedAt: now, attempts: Number(seen.attempts ?? 1) + 1 } });
  return (result as { stats?: { updated?: number } }).stats?.updated === 1 ? 'claimed' : 'in_progress';
}

export async function finishPush(key: string, now: Date): Promise<void> {
  await database()
    .collection(PUSHES_SEEN)
    .doc(key)
    .update({ data: { state: 'done', doneAt: now } });
}

/** Lets WeChat's next retry of this push try again (the work is idempotent where it matters). */
export async function failPush(key: string, now: Date, reason: string): Promise<void> {
  await database()
    .collection(PUSHES_SEEN)
    .doc(key)
    .update({ data: { state: 'failed', failedAt: now, reason: reason.slice(0, 500) } });
}

async function findSeen(key: string): Promise<SeenDoc | null> {
  return findById<SeenDoc>(PUSHES_SEEN, key);
}
