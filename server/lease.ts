import { decideLease, type Lease } from '../core/lease';
import type { CollectionName } from './collections';
import { database } from './cloud';
import { newId } from './ids';
import { log } from './log';

/** The field a lease lives in, on the document whose work it guards. */
export const LEASE_FIELD = 'lease';

export interface TakeLeaseOptions {
  now: Date;
  durationMs: number;
  /** Default: a fresh random id (one attempt). */
  holder?: string;
  /** More conditions the document must meet, in the SDK's query syntax (e.g. the image is not made yet). */
  where?: object;
  /** Fields written in the same update as the lease (e.g. an attempt counter). */
  fields?: Record<string, unknown>;
}

/**
 * Takes the lease on one document when it is free at `now`. The update is conditional on the
 * lease being absent or expired, so among concurrent claimers the database lets exactly one
 * through; the others answer null. A missing document is not leased (null).
 */
export async function takeLease(collection: CollectionName, id: string, options: TakeLeaseOptions): Promise<Lease | null> {
  const holder = options.holder ?? newId();
  const lease = decideLease(null, holder, options.now, options.durationMs);
  if (!lease) return null;
  const _ = database().command;
  const free = _.or([{ [LEASE_FIELD]: _.exists(false) }, { [LEASE_FIELD]: null }, { [`${LEASE_FIELD}.until`]: _.lte(options.now) }]);
  const conditions = [{ _id: id }, free, ...(options.where ? [options.where] : [])];
  const result = (await database()
    .collection(collection)
    .where(_.and(conditions))
    .update({ data: { ...options.fields, [LEASE_FIELD]: _.set(lease) } })) as { stats?: { updated?: number } };
  return result.stats?.updated === 1 ? lease : null;
}

/**
 * Gives the lease back (only if still ours: an expired lease may have passed to someone else), so
 * the next attempt need not wait for it to run out. Best effort: a lease that cannot be released
 * runs out by itself, and the caller's own result matters more — the failure is logged.
 */
export async function releaseLease(
  collection: CollectionName,
  id: string,
  lease: Lease,
  fields: Record<string, unknown> = {},
): Promise<boolean> {
  const _ = database().command;
  try {
    const result = (await database()
      .collection(collection)
      .where({ _id: id, [`${LEASE_FIELD}.holder`]: lease.holder })
      .update({ data: { ...fields, [LEASE_FIELD]: _.remove() } })) as { stats?: { updated?: number } };
    return result.stats?.updated === 1;
  } catch (error) {
    log('warn', { event: 'lease.release_failed', collection, id, until: lease.until.toISOString(), error: String(error) });
    return false;
  }
}
