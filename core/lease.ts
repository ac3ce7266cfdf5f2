/**
 * A lease: "this work is mine until `until`, unless I finish first". Image generation, batch job
 * cursors, access-token refreshes and 公众号 push claims all hold one; so will the scheduler,
 * refunds and the dispatcher. The decision is here; the conditional write that makes it hold
 * under concurrency is `server/lease.ts`.
 */
export interface Lease {
  /** Who holds it: a random id per attempt, so a release or a renewal touches only its own lease. */
  holder: string;
  until: Date;
}

/** What a document may carry: a lease read back from the database may be an ISO string or absent. */
export type StoredLease = { holder?: unknown; until?: Date | string | null } | null | undefined;

export function leaseUntil(now: Date, durationMs: number): Date {
  if (!Number.isFinite(durationMs) || durationMs <= 0) throw new RangeError(`a lease lasts a positive number of ms, got ${durationMs}`);
  return new Date(now.getTime() + durationMs);
}

/** Free when nobody holds it, or the holder's time is up (an attempt that died: timeout, crash). */
export function isLeaseFree(lease: StoredLease, now: Date): boolean {
  if (!lease || lease.until === undefined || lease.until === null) return true;
  const until = new Date(lease.until).getTime();
  // An unreadable time is a broken lease, not a held one: nothing would ever free it.
  return Number.isNaN(until) || until <= now.getTime();
}

/** The lease a claimer at `now` may write, or null when someone else holds one. */
export function decideLease(current: StoredLease, claimant: string, now: Date, durationMs: number): Lease | null {
  if (!isLeaseFree(current, now) && current?.holder !== claimant) return null;
  return { holder: claimant, until: leaseUntil(now, durationMs) };
}
