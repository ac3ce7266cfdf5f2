import type { JobsHostedBy } from '../../core/contracts/scheduler';
import { hostJobs, type Job } from '../jobs/run-jobs';
import { dispatchNotices } from './dispatch-notices';

/** The notice jobs, hosted by `noticeAdmin` (it holds the open-API permission and the 公众号 client). */
export const NOTICE_JOBS: Record<JobsHostedBy<'noticeAdmin'>, Job> = {
  dispatchNotices: { budgetMs: 40_000, run: async (now, _requestId, budgetMs) => ({ ...(await dispatchNotices(now, { budgetMs })) }) },
};

export const runNoticeJobs = hostJobs(NOTICE_JOBS);
