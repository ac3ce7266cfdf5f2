import { bargainAdminContract } from '../../core/contracts/bargain-admin';
import { authorized } from '../../server/admin/authorize-admin';
import { createBargain, listBargains } from '../../server/fission/bargain/create-bargain';
import { runBargainJobs } from '../../server/fission/bargain/jobs';
import { createHandler } from '../../server/handler';

/** The bargain job's share of a minute when the console runs it by hand. */
const HOSTED_BUDGET_MS = 25_000;

// 砍价 console jobs, authorized like `admin`'s: the console, timers and members on the admin list.
export const main = createHandler(
  bargainAdminContract,
  authorized<typeof bargainAdminContract>({
    createBargain: (input) => createBargain(input, new Date()),
    listBargains: (input) => listBargains(input),
    runBargainJobs: (input, { requestId }) =>
      runBargainJobs({ jobs: input.jobs, budgetMs: input.budgetMs ?? HOSTED_BUDGET_MS }, new Date(), requestId),
  }),
  { audience: { createBargain: 'any', listBargains: 'any', runBargainJobs: 'any' } },
);
