import type { JobsHostedBy } from '../../core/contracts/scheduler';
import { hostJobs, type Job } from '../jobs/run-jobs';
import { pullDatacube } from './pull-datacube';
import { snapshotFunnel } from './snapshot-funnel';

/** The funnel jobs, hosted by `funnelAdmin` for the scheduler. Both do nothing most minutes: they work once a night. */
export const FUNNEL_JOBS: Record<JobsHostedBy<'funnelAdmin'>, Job> = {
  // The nightly snapshot: resumes each minute until tonight's days are done (at 1,000,000 events a day, a few minutes).
  snapshotFunnel: { budgetMs: 40_000, run: async (now, _requestId, budgetMs) => ({ ...(await snapshotFunnel({}, now, budgetMs)) }) },
  pullDatacube: { budgetMs: 10_000, run: async (now) => ({ ...(await pullDatacube({}, now)) }) },
};

export const runFunnelJobs = hostJobs(FUNNEL_JOBS);
