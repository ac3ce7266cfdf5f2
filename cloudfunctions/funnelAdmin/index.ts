import { funnelAdminContract } from '../../core/contracts/funnel-admin';
import { authorized } from '../../server/admin/authorize-admin';
import { reportArticle } from '../../server/funnel/article-report';
import { reportFunnel } from '../../server/funnel/funnel-report';
import { runFunnelJobs } from '../../server/funnel/jobs';
import { pullDatacube } from '../../server/funnel/pull-datacube';
import { countSegments, listSegmentMembers } from '../../server/funnel/segments';
import { snapshotFunnel } from '../../server/funnel/snapshot-funnel';
import { createHandler } from '../../server/handler';

/** A snapshot run by hand: most of the function's 60 s. */
const SNAPSHOT_BUDGET_MS = 40_000;
/** The funnel jobs' share of a minute when the console runs them by hand. */
const HOSTED_BUDGET_MS = 40_000;

// Funnel console jobs, authorized like `admin`'s: the console, timers and members on the admin list.
export const main = createHandler(
  funnelAdminContract,
  authorized<typeof funnelAdminContract>({
    funnel: (input) => reportFunnel(input),
    articleReport: (input) => reportArticle(input),
    segments: () => countSegments(new Date()),
    segmentMembers: (input) => listSegmentMembers(input, new Date()),
    snapshotFunnel: (input) => snapshotFunnel(input, new Date(), input.budgetMs ?? SNAPSHOT_BUDGET_MS),
    pullDatacube: (input) => pullDatacube(input, new Date()),
    runFunnelJobs: (input, { requestId }) =>
      runFunnelJobs({ jobs: input.jobs, budgetMs: input.budgetMs ?? HOSTED_BUDGET_MS }, new Date(), requestId),
  }),
  {
    audience: {
      funnel: 'any',
      articleReport: 'any',
      segments: 'any',
      segmentMembers: 'any',
      snapshotFunnel: 'any',
      pullDatacube: 'any',
      runFunnelJobs: 'any',
    },
  },
);
