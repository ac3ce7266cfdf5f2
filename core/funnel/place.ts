import { shanghaiDay } from '../points/rules';

/**
 * Where an event lives for the nightly snapshot: its Shanghai day and a bucket of its member.
 * The snapshot reads one day bucket by bucket; every event of a member is in one bucket, so
 * "distinct members" counted per bucket add up exactly across buckets (and across resumptions).
 */
export const BUCKETS = 16;

/** `b00` … `b15`: FNV-1a of the member id (stable across runtimes, no crypto needed). */
export function bucketOf(memberId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < memberId.length; i += 1) {
    hash ^= memberId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `b${String(hash % BUCKETS).padStart(2, '0')}`;
}

export const ALL_BUCKETS: readonly string[] = Array.from({ length: BUCKETS }, (_, i) => `b${String(i).padStart(2, '0')}`);

/**
 * The day an event counts on. Money counts on the day of its order: a payment callback after
 * midnight or a refund two days later belongs to the day the order was made, which is why each
 * night recomputes the last days.
 */
export function eventDay(event: { kind: string; at: Date; orderAt?: unknown }): string {
  if ((event.kind === 'order_paid' || event.kind === 'order_refunded') && event.orderAt instanceof Date) return shanghaiDay(event.orderAt);
  return shanghaiDay(event.at);
}

/** The fields the writer adds to every event: `day` and `bucket` (index `day_bucket` in cloud/schema.json). */
export function placeOf(event: { kind: string; at: Date; orderAt?: unknown; memberId: string }): { day: string; bucket: string } {
  return { day: eventDay(event), bucket: bucketOf(event.memberId) };
}
