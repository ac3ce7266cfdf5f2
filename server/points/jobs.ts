import type { JobsHostedBy } from '../../core/contracts/scheduler';
import { expireDuePoints, writePointsExpiringNotices } from '../ledger/expire-points';
import { type Job, type JobRun, runJobSet } from '../jobs/run-jobs';
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

export async function runPointsJobs(
  input: { jobs: JobsHostedBy<'pointsAdmin'>[]; budgetMs: number },
  now: Date,
  requestId: string,
): Promise<{ jobs: JobRun[] }> {
  return { jobs: await runJobSet(POINTS_JOBS, input.jobs, now, requestId, input.budgetMs) };
}
