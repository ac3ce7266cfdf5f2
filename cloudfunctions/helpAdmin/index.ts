import { helpAdminContract } from '../../core/contracts/help-admin';
import { authorized } from '../../server/admin/authorize-admin';
import { createHelpCampaign, listHelpCampaigns } from '../../server/fission/help/campaigns';
import { helpReport } from '../../server/fission/help/help-report';
import { runHelpJobs } from '../../server/fission/help/jobs';
import { createHandler } from '../../server/handler';

/** The help jobs' share of a minute when the console runs them by hand. */
const HOSTED_BUDGET_MS = 25_000;

// 助力 console jobs, authorized like `admin`'s: the console, timers and members on the admin list.
export const main = createHandler(
  helpAdminContract,
  authorized<typeof helpAdminContract>({
    createHelpCampaign: (input) => createHelpCampaign(input, new Date()),
    listHelpCampaigns: (input) => listHelpCampaigns(input),
    helpReport: (input) => helpReport(input),
    runHelpJobs: (input, { requestId }) =>
      runHelpJobs({ jobs: input.jobs, budgetMs: input.budgetMs ?? HOSTED_BUDGET_MS }, new Date(), requestId),
  }),
  {
    audience: { createHelpCampaign: 'any', listHelpCampaigns: 'any', helpReport: 'any', runHelpJobs: 'any' },
  },
);
