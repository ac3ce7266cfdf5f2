import { createHash, randomInt } from 'node:crypto';
import {
  type BatchRow,
  batchFingerprint,
  describeProblems,
  generateSceneKey,
  type RowProblem,
  sameTarget,
  validateBatch,
} from '../../core/admin/article-codes';
import { DuetError } from '../../core/errors';
import { clockFrom, elapsedMs } from '../clock';
import { findScenes } from '../entry/scene-repository';
import { log } from '../log';
import { checkTargets } from './check-targets';
import { tempUrls } from '../file-urls';
import { type ArticleCodeDoc, type CodeOptions, ensureArticleCode } from './create-article-code';
import { findCursor, insertCursor, releaseJobLease, takeJobLease, updateCursor } from '../jobs/repository';

/** Stop starting new codes after this long: the function's timeout is 60 s. */
const TIME_BUDGET_MS = 40_000;
/** A run that died (timeout) holds the cursor at most this long after it started. */
const LEASE_MS = 65_000;

interface RowResult {
  line: number;
  scene: string;
  status: 'created' | 'existing';
  fileID: string;
  tempFileURL?: string;
}

interface CursorDoc {
  _id: string;
  job: 'createArticleCodes';
  fingerprint: string;
  total: number;
  /** Index of the next row to process. */
  next: number;
  /** The scene key of every row, generated keys included, fixed when the job starts so a rerun never makes new ones. */
  keys: string[];
  results: RowResult[];
  createdAt: Date;
  updatedAt: Date;
  doneAt?: Date;
}

export interface BatchRequest extends CodeOptions {
  items?: Array<Record<string, unknown>>;
  csv?: string;
  jobId?: string;
  chunkSize: number;
}

/**
 * `createArticleCodes`: every row is validated first (nothing is written when one is bad), then
 * codes are made in order with a cursor in `job_cursors`. A run stops after `chunkSize` codes or
 * its time budget and reports `remaining`; the next run with the same rows continues where it
 * stopped, and a run killed by the timeout loses at most the row it was on (made again
 * idempotently: same key, same target).
 */
export async function createArticleCodes(request: BatchRequest, now: Date) {
  const started = performance.now();
  const clock = clockFrom(now);
  const { rows, problems } = validateBatch(request);
  problems.push(...(await conflictsWithStoredScenes(rows)), ...(await checkTargets(rows)));
  if (problems.length > 0) throw new DuetError('INVALID_ARGUMENT', describeProblems(problems.sort((a, b) => a.line - b.line)));

  const fingerprint = createHash('sha256').update(batchFingerprint(rows)).digest('hex');
  const jobId = request.jobId ?? `codes-${fingerprint.slice(0, 24)}`;
  let cursor = await openCursor(jobId, fingerprint, rows, now);
  if (cursor.next < cursor.total) {
    const lease = await takeJobLease(jobId, now, LEASE_MS);
    if (!lease) {
      throw new DuetError('CONFLICT', `another run is working on job ${jobId}; try again when it finishes (at most ${LEASE_MS / 1000} s)`);
    }
    try {
      cursor = await work(cursor, rows, request, started, clock);
    } finally {
      await releaseJobLease(jobId, lease);
    }
  }

  const remaining = cursor.total - cursor.next;
  let results = cursor.results;
  if (remaining === 0) {
    // Temp URLs only at the end: they expire, and the CLI downloads everything in one go.
    const urls = await tempUrls(results.map((r) => r.fileID));
    results = results.map((r, i) => ({ ...r, tempFileURL: urls[i] }));
  }
  return {
    jobId,
    total: cursor.total,
    done: cursor.next,
    remaining,
    created: cursor.results.filter((r) => r.status === 'created').length,
    existing: cursor.results.filter((r) => r.status === 'existing').length,
    results,
  };
}

async function work(cursor: CursorDoc, rows: BatchRow[], request: BatchRequest, started: number, clock: () => Date): Promise<CursorDoc> {
  const current = { ...cursor, keys: [...cursor.keys], results: [...cursor.results] };
  let processed = 0;
  while (current.next < current.total && processed < request.chunkSize && elapsedMs(started) < TIME_BUDGET_MS) {
    const index = current.next;
    const row = rows[index];
    const { line: _line, ...target } = row;
    const { doc, created } = await ensureArticleCode(target, request, clock(), row.scene ? undefined : current.keys[index]);
    const result: RowResult = { line: row.line, scene: doc._id, status: created ? 'created' : 'existing', fileID: doc.fileID };
    const updatedAt = clock();
    await updateCursor(current._id, (_) => ({
      next: index + 1,
      results: _.push([result]),
      updatedAt,
      ...(doc._id !== current.keys[index] ? { [`keys.${index}`]: doc._id } : {}),
    }));
    current.next = index + 1;
    current.keys[index] = doc._id;
    current.results.push(result);
    processed += 1;
  }
  if (current.next >= current.total) {
    const doneAt = clock();
    await updateCursor(current._id, () => ({ doneAt }));
  }
  log('info', { event: 'admin.createArticleCodes.progress', jobId: current._id, done: current.next, total: current.total, processed });
  return current;
}

/** Rows naming a key that already leads elsewhere: reported with the other bad rows, before anything is written. */
async function conflictsWithStoredScenes(rows: BatchRow[]): Promise<RowProblem[]> {
  const named = rows.filter((row) => row.scene);
  const problems: RowProblem[] = [];
  for (let i = 0; i < named.length; i += 100) {
    const chunk = named.slice(i, i + 100);
    const found = await findScenes<ArticleCodeDoc>(chunk.map((row) => row.scene as string));
    const byKey = new Map(found.map((doc) => [doc._id, doc]));
    for (const row of chunk) {
      const existing = byKey.get(row.scene as string);
      if (existing && !sameTarget(existing, row))
        problems.push({ line: row.line, reason: `scene ${row.scene} already exists with another target` });
    }
  }
  return problems;
}

async function openCursor(jobId: string, fingerprint: string, rows: BatchRow[], now: Date): Promise<CursorDoc> {
  const fresh: CursorDoc = {
    _id: jobId,
    job: 'createArticleCodes',
    fingerprint,
    total: rows.length,
    next: 0,
    keys: rows.map((row) => row.scene ?? generateSceneKey(randomInt)),
    results: [],
    createdAt: now,
    updatedAt: now,
  };
  const cursor = (await insertCursor(fresh)) ? fresh : await findCursor<CursorDoc>(jobId);
  if (!cursor) throw new DuetError('CONFLICT', `job cursor ${jobId} vanished; run the job again`);
  if (cursor.fingerprint !== fingerprint) {
    throw new DuetError('FAILED_PRECONDITION', `job ${jobId} was started with other rows; use another jobId (or none) for a new batch`);
  }
  return cursor;
}
