import type { Lease } from '../../core/lease';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, insertOnce } from '../documents';
import { releaseLease, takeLease } from '../lease';

/**
 * `job_cursors`: where long jobs keep their place (batch cursors, `_id` = the job id) and where
 * scheduler jobs hold their run lease (`_id` = `job:<name>`), so a job never runs twice at once.
 */
const JOB_CURSORS = COLLECTIONS.jobCursors;

export function insertCursor<T extends { _id: string }>(doc: T): Promise<boolean> {
  return insertOnce(JOB_CURSORS, doc);
}

export function findCursor<T>(jobId: string): Promise<T | null> {
  return findById<T>(JOB_CURSORS, jobId);
}

/** One single-document update: a job's progress and its result land together or not at all. */
export async function updateCursor(jobId: string, fields: (command: any) => Record<string, unknown>): Promise<void> {
  const _ = database().command;
  await database()
    .collection(JOB_CURSORS)
    .doc(jobId)
    .update({ data: fields(_) });
}

/** The lease on a job's cursor; a scheduler job's cursor is created on its first run. */
export async function takeJobLease(jobId: string, now: Date, durationMs: number, create = false): Promise<Lease | null> {
  if (create) await insertOnce(JOB_CURSORS, { _id: jobId, createdAt: now });
  return takeLease(JOB_CURSORS, jobId, { now, durationMs });
}

export function releaseJobLease(jobId: string, lease: Lease, fields: Record<string, unknown> = {}): Promise<boolean> {
  return releaseLease(JOB_CURSORS, jobId, lease, fields);
}
