import type { JobsHostedBy } from '../../core/contracts/scheduler';
import { type Job, type JobRun, runJobSet } from '../jobs/run-jobs';
import { replayDuePushes } from './replay-pushes';

/** The 公众号 jobs, hosted by `mpAdmin` for the scheduler. */
export const MP_JOBS: Record<JobsHostedBy<'mpAdmin'>, Job> = {
  replayPushes: { budgetMs: 20_000, run: async (now, requestId, budgetMs) => ({ ...(await replayDuePushes(now, requestId, budgetMs)) }) },
};

export async function runMpJobs(
  input: { jobs: JobsHostedBy<'mpAdmin'>[]; budgetMs: number },
  now: Date,
  requestId: string,
): Promise<{ jobs: JobRun[] }> {
  return { jobs: await runJobSet(MP_JOBS, input.jobs, now, requestId, input.budgetMs) };
}
