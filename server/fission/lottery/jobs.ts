import type { JobsHostedBy } from '../../../core/contracts/scheduler';
import { hostJobs, type Job } from '../../jobs/run-jobs';
import { settleDraws } from './settle-draws';

/** The lottery's jobs, hosted by `lotteryAdmin` for the scheduler. */
export const LOTTERY_JOBS: Record<JobsHostedBy<'lotteryAdmin'>, Job> = {
  settleDraws: { budgetMs: 10_000, run: async (now, _requestId, budgetMs) => ({ ...(await settleDraws(now, budgetMs)) }) },
};

export const runLotteryJobs = hostJobs(LOTTERY_JOBS);
