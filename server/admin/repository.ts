import type { Lease } from '../../core/lease';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, insertOnce } from '../documents';
import { releaseLease, takeLease } from '../lease';

/** `admins` (members who may run console jobs) and `job_cursors` (resumable batch jobs). */
const ADMINS = COLLECTIONS.admins;
const JOB_CURSORS = COLLECTIONS.jobCursors;

export function findAdmin(memberId: string): Promise<{ _id: string } | null> {
  return findById<{ _id: string }>(ADMINS, memberId);
}

export function insertAdmin(doc: { _id: string; memberId: string; addedAt: Date; addedBy: string }): Promise<boolean> {
  return insertOnce(ADMINS, doc);
}

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

export function takeJobLease(jobId: string, now: Date, durationMs: number): Promise<Lease | null> {
  return takeLease(JOB_CURSORS, jobId, { now, durationMs });
}

export function releaseJobLease(jobId: string, lease: Lease): Promise<boolean> {
  return releaseLease(JOB_CURSORS, jobId, lease);
}
