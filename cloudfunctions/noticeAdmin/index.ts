import { noticeAdminContract } from '../../core/contracts/notice-admin';
import { authorized } from '../../server/admin/authorize-admin';
import { createHandler } from '../../server/handler';
import { broadcast } from '../../server/notice/broadcast';
import { dispatchNotices } from '../../server/notice/dispatch-notices';
import { runNoticeJobs } from '../../server/notice/jobs';
import { reportNotices } from '../../server/notice/report-notices';
import { noticeSettings } from '../../server/notice/settings';

/** A dispatcher run by hand: most of the function's 60 s, leaving room for the last sends' answers. */
const DISPATCH_BUDGET_MS = 40_000;
/** The notice jobs' share of a minute when the console runs them by hand. */
const HOSTED_BUDGET_MS = 40_000;

// Notice console jobs, authorized like `admin`'s: the console, timers and members on the admin list.
export const main = createHandler(
  noticeAdminContract,
  authorized<typeof noticeAdminContract>({
    dispatchNotices: (input) =>
      dispatchNotices(new Date(), { budgetMs: input.budgetMs ?? DISPATCH_BUDGET_MS, concurrency: input.concurrency }),
    broadcast: (input) => broadcast(input, new Date()),
    noticeReport: (input) => reportNotices(input),
    noticeSettings: (input, { operator }) => noticeSettings(input, operator ?? 'unknown', new Date()),
    runNoticeJobs: (input, { requestId }) =>
      runNoticeJobs({ jobs: input.jobs, budgetMs: input.budgetMs ?? HOSTED_BUDGET_MS }, new Date(), requestId),
  }),
  {
    audience: { dispatchNotices: 'any', broadcast: 'any', noticeReport: 'any', noticeSettings: 'any', runNoticeJobs: 'any' },
  },
);
