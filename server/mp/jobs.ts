import type { JobsHostedBy } from '../../core/contracts/scheduler';
import { hostJobs, type Job } from '../jobs/run-jobs';
import { replayDuePushes } from './replay-pushes';

/** The 公众号 jobs, hosted by `mpAdmin` for the scheduler. */
export const MP_JOBS: Record<JobsHostedBy<'mpAdmin'>, Job> = {
  replayPushes: { budgetMs: 20_000, run: async (now, requestId, budgetMs) => ({ ...(await replayDuePushes(now, requestId, budgetMs)) }) },
};

export const runMpJobs = hostJobs(MP_JOBS);
