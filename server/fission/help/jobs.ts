import type { JobsHostedBy } from '../../../core/contracts/scheduler';
import { hostJobs, type Job } from '../../jobs/run-jobs';
import { settleHelps } from './settle-helps';

/** The help jobs, hosted by `helpAdmin` for the scheduler. */
export const HELP_JOBS: Record<JobsHostedBy<'helpAdmin'>, Job> = {
  settleHelps: { budgetMs: 10_000, run: async (now, _requestId, budgetMs) => ({ ...(await settleHelps(now, budgetMs)) }) },
};

export const runHelpJobs = hostJobs(HELP_JOBS);
