import type { HostedJob } from '../../core/contracts/scheduler';
import { expireDuePoints, writePointsExpiringNotices } from '../ledger/expire-points';
import { type Job, type JobRun, runJobSet } from '../jobs/run-jobs';
import { settleExchanges } from './settle-exchanges';

/** The points jobs, hosted by `pointsAdmin` for the scheduler (their code would not fit in its bundle). */
export const POINTS_JOBS: Record<HostedJob, Job> = {
  // After the scheduler's order sweep: an exchange's unpaid order is cancelled first, then the exchange gives its points back.
  settleExchanges: { budgetMs: 10_000, run: async (now, _requestId, budgetMs) => ({ ...(await settleExchanges(now, budgetMs)) }) },
  expirePoints: { budgetMs: 10_000, run: async (now, _requestId, budgetMs) => ({ ...(await expireDuePoints(now, budgetMs)) }) },
  pointsExpiringNotices: {
    budgetMs: 5_000,
    run: async (now, _requestId, budgetMs) => ({ ...(await writePointsExpiringNotices(now, budgetMs)) }),
  },
};

export async function runPointsJobs(
  input: { jobs: HostedJob[]; budgetMs: number },
  now: Date,
  requestId: string,
): Promise<{ jobs: JobRun[] }> {
  return { jobs: await runJobSet(POINTS_JOBS, input.jobs, now, requestId, input.budgetMs) };
}
