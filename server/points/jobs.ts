import type { JobsHostedBy } from '../../core/contracts/scheduler';
import { expireDuePoints, writePointsExpiringNotices } from '../ledger/expire-points';
import { hostJobs, type Job } from '../jobs/run-jobs';
import { settleExchanges } from './settle-exchanges';

/** The points jobs, hosted by `pointsAdmin` for the scheduler (their code would not fit in its bundle). */
export const POINTS_JOBS: Record<JobsHostedBy<'pointsAdmin'>, Job> = {
  // An exchange whose unpaid order the scheduler's order sweep cancelled gives its points back here (this tick or the next).
  settleExchanges: { budgetMs: 10_000, run: async (now, _requestId, budgetMs) => ({ ...(await settleExchanges(now, budgetMs)) }) },
  expirePoints: { budgetMs: 10_000, run: async (now, _requestId, budgetMs) => ({ ...(await expireDuePoints(now, budgetMs)) }) },
  pointsExpiringNotices: {
    budgetMs: 5_000,
    run: async (now, _requestId, budgetMs) => ({ ...(await writePointsExpiringNotices(now, budgetMs)) }),
  },
};

export const runPointsJobs = hostJobs(POINTS_JOBS);
