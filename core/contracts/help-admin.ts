import * as z from 'zod/mini';
import { defineContract } from '../contract';
import {
  HELP_AUDIENCES,
  MAX_DAILY_LIMIT,
  MAX_HELPER_POINTS,
  MAX_HELPERS_NEEDED,
  MAX_REWARD_POINTS,
  MAX_TASK_HOURS,
  REWARD_STATES,
  TASK_STATES,
} from '../fission/help';
import { hostedJobsInput, JobRun } from './scheduler';

/**
 * The `helpAdmin` function's console jobs: 助力 campaigns, the suspicious-task report and the
 * help sweep the scheduler runs. `npm run admin -- <job>` finds it by the job's name.
 */
const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const Time = z.iso.datetime({ offset: true });
const Title = z.string().check(z.trim(), z.minLength(1), z.maxLength(30));

export const HelpCampaignInput = z.strictObject({
  title: Title,
  /** What the member gets at N helps: a coupon template's coupon, or points. */
  reward: z.union([
    z.strictObject({ kind: z.literal('coupon'), templateId: Id }),
    z.strictObject({ kind: z.literal('points'), points: z.int().check(z.gte(1), z.lte(MAX_REWARD_POINTS)) }),
  ]),
  /** Exactly this many friends' helps complete a task (shown up front). */
  helpersNeeded: z.int().check(z.gte(1), z.lte(MAX_HELPERS_NEEDED)),
  startAt: Time,
  endAt: Time,
  /** How long a task stays open after it starts (never past endAt). */
  taskHours: z.int().check(z.gte(1), z.lte(MAX_TASK_HOURS)),
  /** `new_members`: members who joined after the task started; `not_helped`: members who have not helped in this campaign. */
  audience: z.enum(HELP_AUDIENCES),
  /** Helps one member may give in this campaign per day (Asia/Shanghai). */
  dailyLimit: z.int().check(z.gte(1), z.lte(MAX_DAILY_LIMIT)),
  /** Optional small points reward to a helper, once per counted help. */
  helperPoints: z.optional(z.int().check(z.gte(0), z.lte(MAX_HELPER_POINTS))),
});
export type HelpCampaignInput = z.infer<typeof HelpCampaignInput>;

export const HelpCampaignRow = z.object({
  id: z.string(),
  title: z.string(),
  rule: z.string(),
  reward: z.record(z.string(), z.unknown()),
  rewardText: z.string(),
  helpersNeeded: z.int(),
  startAt: z.string(),
  endAt: z.string(),
  taskHours: z.int(),
  audience: z.enum(HELP_AUDIENCES),
  dailyLimit: z.int(),
  helperPoints: z.int(),
  paused: z.boolean(),
  /** Tasks by state. */
  tasks: z.record(z.string(), z.int()),
  createdAt: z.string(),
});
export type HelpCampaignRow = z.infer<typeof HelpCampaignRow>;

export const SuspiciousTask = z.object({
  taskId: z.string(),
  ownerId: z.string(),
  state: z.enum(TASK_STATES),
  rewardState: z.enum(REWARD_STATES),
  helps: z.int(),
  idleHelpers: z.int(),
  burst: z.object({ helps: z.int(), from: z.nullable(z.string()), spanSeconds: z.int() }),
  /** English lines: why it is listed. */
  reasons: z.array(z.string()),
  helpers: z.array(z.object({ memberId: z.string(), at: z.string(), otherActivity: z.boolean() })),
});

export const helpAdminContract = defineContract('helpAdmin', {
  createHelpCampaign: {
    input: z.strictObject({
      /** Optional: generated when absent. The same id with the same campaign again changes nothing. */
      id: z.optional(Id),
      campaign: HelpCampaignInput,
    }),
    output: z.object({ campaign: HelpCampaignRow, created: z.boolean() }),
  },
  listHelpCampaigns: {
    input: z.strictObject({ campaignId: z.optional(Id) }),
    output: z.object({ campaigns: z.array(HelpCampaignRow) }),
  },
  /** Suspicious tasks of a campaign: helpers with no other activity, bursts of helps. */
  helpReport: {
    input: z.strictObject({
      campaignId: Id,
      /** A burst: `burstHelps` or more helps within `burstWindowSeconds` (defaults 3 within 600 s). */
      burstWindowSeconds: z.optional(z.int().check(z.gte(10), z.lte(86_400))),
      burstHelps: z.optional(z.int().check(z.gte(2), z.lte(100))),
      /** The page after this one: the `nextCursor` of the previous report (tasks in id order, 200 a page). */
      cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(300))),
    }),
    output: z.object({
      campaignId: z.string(),
      /** Tasks and counted helps read on this page. */
      tasks: z.int(),
      helps: z.int(),
      suspicious: z.array(SuspiciousTask),
      /** Pass as `cursor` for the next page; null on the last. */
      nextCursor: z.nullable(z.string()),
      /** The report in a few English lines for the console. */
      summary: z.array(z.string()),
    }),
  },
  /** The scheduler's help sweep (the console may run it too). */
  runHelpJobs: { input: hostedJobsInput('helpAdmin'), output: z.object({ jobs: z.array(JobRun) }) },
});
export type HelpAdminContract = typeof helpAdminContract;
