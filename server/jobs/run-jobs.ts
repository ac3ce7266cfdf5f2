import type { JobName } from '../../core/contracts/scheduler';
import { DuetError } from '../../core/errors';
import { clockFrom, elapsedMs } from '../clock';
import { log } from '../log';
import { releaseJobLease, takeJobLease } from './repository';

/** A run's lease outlives the function's 60 s timeout, so a killed run frees the job by itself. */
const RUN_LEASE_MS = 70_000;

/** A scheduler job: safe to run twice and to stop anywhere (its work is claimed piece by piece). */
export interface Job {
  /** How long one run may work before it leaves the rest to the next minute. */
  budgetMs: number;
  run(now: Date, requestId: string, budgetMs: number): Promise<Record<string, unknown>>;
}

export interface JobRun {
  name: string;
  ran: boolean;
  ms: number;
  result?: Record<string, unknown>;
  error?: string;
}

/**
 * Runs the named jobs of `jobs` one after another within `budgetMs`, each under its own lease, so
 * two runs never run the same job at once. One job failing does not stop the others; its failure
 * is logged and answered, and it runs again at the next tick. Shared by the scheduler and the
 * functions that host jobs for it.
 */
export async function runJobSet(
  jobs: Partial<Record<JobName, Job>>,
  names: readonly JobName[],
  now: Date,
  requestId: string,
  budgetMs: number,
): Promise<JobRun[]> {
  const clock = clockFrom(now);
  const runs: JobRun[] = [];
  const tickStarted = performance.now();
  for (const name of names) {
    const job = jobs[name];
    if (!job) throw new DuetError('INTERNAL', `job ${name} is not hosted here`);
    const left = budgetMs - elapsedMs(tickStarted);
    if (left <= 0) {
      runs.push({ name, ran: false, ms: 0 });
      continue;
    }
    const started = performance.now();
    const lease = await takeJobLease(`job:${name}`, clock(), RUN_LEASE_MS, true);
    if (!lease) {
      runs.push({ name, ran: false, ms: 0 });
      continue;
    }
    try {
      const result = await job.run(clock(), requestId, Math.min(job.budgetMs, left));
      runs.push({ name, ran: true, ms: Math.round(elapsedMs(started)), result });
    } catch (error) {
      const detail = error instanceof DuetError ? error.detail : error instanceof Error ? (error.stack ?? error.message) : String(error);
      log('error', { event: 'scheduler.job_failed', requestId, job: name, error: detail });
      runs.push({ name, ran: true, ms: Math.round(elapsedMs(started)), error: detail.split('\n')[0] });
    } finally {
      await releaseJobLease(`job:${name}`, lease, { lastRunAt: clock() });
    }
  }
  return runs;
}
