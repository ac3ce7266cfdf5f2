import { mpAdminContract } from '../../core/contracts/mp-admin';
import { authorized } from '../../server/admin/authorize-admin';
import { createHandler } from '../../server/handler';
import { runMpJobs } from '../../server/mp/jobs';

/** The 公众号 jobs' share of a minute when the console runs them by hand. */
const HOSTED_BUDGET_MS = 25_000;

// Authorized like `admin`: the console, timers (the scheduler's call carries its SOURCE) and listed admins.
export const main = createHandler(
  mpAdminContract,
  authorized<typeof mpAdminContract>({
    runMpJobs: (input, { requestId }) =>
      runMpJobs({ jobs: input.jobs, budgetMs: input.budgetMs ?? HOSTED_BUDGET_MS }, new Date(), requestId),
  }),
  { audience: { runMpJobs: 'any' } },
);
