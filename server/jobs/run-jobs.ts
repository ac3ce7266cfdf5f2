import { JOB_NAMES, type JobName } from '../../core/contracts/scheduler';
import { DuetError } from '../../core/errors';
import { clockFrom, elapsedMs } from '../clock';
import { log } from '../log';
import { JOBS } from './index';
import { releaseJobLease, takeJobLease } from './repository';

/** A run's lease outlives the function's 60 s timeout, so a killed run frees the job by itself. */
const RUN_LEASE_MS = 70_000;
/** All jobs of one tick share this much of the 60 s timeout; what does not fit runs next minute. */
const TICK_BUDGET_MS = 45_000;

export interface JobRun {
  name: string;
  ran: boolean;
  ms: number;
  result?: Record<string, unknown>;
  error?: string;
}

/**
 * Runs the named jobs (default: all) one after another, each under its own lease, so two
 * scheduler invocations never run the same job at once. One job failing does not stop the others;
 * its failure is logged and answered, and it runs again at the next tick.
 */
export async function runJobs(names: readonly JobName[] | undefined, now: Date, requestId: string): Promise<{ jobs: JobRun[] }> {
  const clock = clockFrom(now);
  const runs: JobRun[] = [];
  const tickStarted = performance.now();
  for (const name of names ?? JOB_NAMES) {
    const job = JOBS[name];
    const left = TICK_BUDGET_MS - elapsedMs(tickStarted);
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
  return { jobs: runs };
}
