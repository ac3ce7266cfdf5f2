import * as z from 'zod/mini';
import { defineContract } from '../contract';

/** Jobs the scheduler runs every minute; features register theirs here and in server/jobs/. */
export const JOB_NAMES = [
  'replayPushes',
  'settleMerges',
  'forgetNonces',
  'expireCoupons',
  'reconcileCoupons',
  'couponExpiringNotices',
  'expireGroups',
  'expireOrders',
  'driveRefunds',
  'completeOrders',
  'reconcileSkuStock',
  'expirePoints',
  'pointsExpiringNotices',
  'settleExchanges',
  'settleHelps',
  'settleDraws',
  'snapshotFunnel',
  'pullDatacube',
  'reconcileBargainStock',
  // Last: the notices the jobs above wrote this tick go out in the same tick.
  'dispatchNotices',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

/**
 * Jobs another function runs for the scheduler: a feature whose code would not fit in the
 * scheduler's bundle (150 KB) hosts its jobs in its own console function, and the scheduler calls
 * that function's action each tick (one timer still drives everything). The action's input is
 * `{ jobs, budgetMs }` and its output the same `{ jobs: JobRun[] }` as `run`.
 */
export const JOB_HOSTS = {
  replayPushes: { fn: 'mpAdmin', action: 'runMpJobs' },
  settleExchanges: { fn: 'pointsAdmin', action: 'runPointsJobs' },
  expirePoints: { fn: 'pointsAdmin', action: 'runPointsJobs' },
  pointsExpiringNotices: { fn: 'pointsAdmin', action: 'runPointsJobs' },
  settleDraws: { fn: 'lotteryAdmin', action: 'runLotteryJobs' },
  dispatchNotices: { fn: 'noticeAdmin', action: 'runNoticeJobs' },
  settleHelps: { fn: 'helpAdmin', action: 'runHelpJobs' },
  snapshotFunnel: { fn: 'funnelAdmin', action: 'runFunnelJobs' },
  pullDatacube: { fn: 'funnelAdmin', action: 'runFunnelJobs' },
  reconcileBargainStock: { fn: 'bargainAdmin', action: 'runBargainJobs' },
} as const satisfies Partial<Record<JobName, { fn: string; action: string }>>;
export type HostedJob = keyof typeof JOB_HOSTS;
export type LocalJob = Exclude<JobName, HostedJob>;
/** The jobs one function hosts. */
export type JobsHostedBy<F extends string> = { [K in HostedJob]: (typeof JOB_HOSTS)[K]['fn'] extends F ? K : never }[HostedJob];

export const JobRun = z.object({
  name: z.string(),
  /** False when another run of the job still held its lease. */
  ran: z.boolean(),
  ms: z.number(),
  result: z.optional(z.record(z.string(), z.unknown())),
  /** English, for operators: why the job failed this run (it runs again next minute). */
  error: z.optional(z.string()),
});

export const schedulerContract = defineContract('scheduler', {
  run: {
    input: z.strictObject({ jobs: z.optional(z.array(z.enum(JOB_NAMES)).check(z.minLength(1), z.maxLength(JOB_NAMES.length))) }),
    output: z.object({ jobs: z.array(JobRun) }),
  },
});
export type SchedulerContract = typeof schedulerContract;

/** The input of a hosting function's action: which of its jobs to run, and the time they share. */
export function hostedJobsInput<F extends string>(fn: F) {
  const names = (Object.keys(JOB_HOSTS) as HostedJob[]).filter((name) => JOB_HOSTS[name].fn === fn) as [
    JobsHostedBy<F>,
    ...JobsHostedBy<F>[],
  ];
  return z.strictObject({
    jobs: z.array(z.enum(names)).check(z.minLength(1), z.maxLength(names.length)),
    budgetMs: z.optional(z.int().check(z.gte(1000), z.lte(50_000))),
  });
}
