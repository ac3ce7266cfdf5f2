import { lotteryAdminContract } from '../../core/contracts/lottery-admin';
import { authorized } from '../../server/admin/authorize-admin';
import { createLottery, lotteryReport, pauseLottery } from '../../server/fission/lottery/admin-lottery';
import { runLotteryJobs } from '../../server/fission/lottery/jobs';
import { createHandler } from '../../server/handler';

/** The lottery job's share of a minute when the console runs it by hand. */
const HOSTED_BUDGET_MS = 25_000;

// Lottery console jobs, authorized like `admin`'s: the console, timers and members on the admin list.
export const main = createHandler(
  lotteryAdminContract,
  authorized<typeof lotteryAdminContract>({
    createLottery: (input) => createLottery(input, new Date()),
    pauseLottery: (input) => pauseLottery(input, new Date()),
    lotteryReport: (input) => lotteryReport(input),
    runLotteryJobs: (input, { requestId }) =>
      runLotteryJobs({ jobs: input.jobs, budgetMs: input.budgetMs ?? HOSTED_BUDGET_MS }, new Date(), requestId),
  }),
  { audience: { createLottery: 'any', pauseLottery: 'any', lotteryReport: 'any', runLotteryJobs: 'any' } },
);
