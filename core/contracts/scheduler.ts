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
] as const;
export type JobName = (typeof JOB_NAMES)[number];

const JobRun = z.object({
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
