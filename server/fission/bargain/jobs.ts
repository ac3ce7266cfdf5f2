import type { JobsHostedBy } from '../../../core/contracts/scheduler';
import { hostJobs, type Job } from '../../jobs/run-jobs';
import { reconcileBargainStock } from './reconcile-stock';

/** The bargain jobs, hosted by `bargainAdmin` for the scheduler. */
export const BARGAIN_JOBS: Record<JobsHostedBy<'bargainAdmin'>, Job> = {
  reconcileBargainStock: { budgetMs: 5_000, run: async (now) => ({ ...(await reconcileBargainStock(now)) }) },
};

export const runBargainJobs = hostJobs(BARGAIN_JOBS);
