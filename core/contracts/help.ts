import * as z from 'zod/mini';
import { defineContract } from '../contract';
import { REWARD_STATES, TASK_STATES } from '../fission/help';

/**
 * The `help` function (助力) the app calls: a campaign, the member's task, a friend's view of a task
 * and 帮TA助力. Identity comes from the caller only; no action takes a member id.
 */
const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
/** Task ids are `<campaign>:<member>:<attempt>`. */
const TaskId = z
  .string()
  .check(z.minLength(1), z.maxLength(200), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));

export const HelperSeatView = z.object({ name: z.string(), initial: z.string() });
export type HelperSeatView = z.infer<typeof HelperSeatView>;

export const TaskView = z.object({
  taskId: z.string(),
  campaignId: z.string(),
  title: z.string(),
  /** The rule in one line: 邀请 3 位新朋友助力，即得 ¥10 无门槛券. */
  rule: z.string(),
  /** Who may help and how often, one line. */
  audienceLine: z.string(),
  rewardText: z.string(),
  helpersNeeded: z.int(),
  state: z.enum(TASK_STATES),
  count: z.int(),
  /** Helpers still missing (0 once complete). */
  missing: z.int(),
  /** One entry per helper needed: the helper, or null for an empty seat. */
  seats: z.array(z.nullable(HelperSeatView)),
  ownerName: z.string(),
  ownerInitial: z.string(),
  /** The caller started this task. */
  mine: z.boolean(),
  expiresAt: z.string(),
  serverTime: z.string(),
  /** The owner's reward (only the owner sees the coupon). */
  reward: z.object({ kind: z.enum(['coupon', 'points']), state: z.enum(REWARD_STATES), couponId: z.nullable(z.string()) }),
  /** What the caller can do on this task as a friend, and why not (Chinese). */
  viewer: z.object({
    helped: z.boolean(),
    canHelp: z.boolean(),
    reason: z.nullable(z.string()),
    message: z.nullable(z.string()),
  }),
});
export type TaskView = z.infer<typeof TaskView>;

export const HelpCampaignView = z.object({
  campaignId: z.string(),
  title: z.string(),
  rule: z.string(),
  audienceLine: z.string(),
  rewardText: z.string(),
  helpersNeeded: z.int(),
  taskHours: z.int(),
  startAt: z.string(),
  endAt: z.string(),
  phase: z.enum(['upcoming', 'running', 'ended']),
  /** The caller's latest task in the campaign, or null. */
  myTask: z.nullable(TaskView),
  /** Whether 发起助力 may be tapped now, and why not. */
  canStart: z.boolean(),
  startRefusal: z.nullable(z.string()),
  serverTime: z.string(),
});
export type HelpCampaignView = z.infer<typeof HelpCampaignView>;

/** A running campaign as the 好友助力 list shows it: the rule in one line and what it gives. */
export const HelpCampaignCard = z.object({
  campaignId: z.string(),
  title: z.string(),
  rule: z.string(),
  rewardText: z.string(),
  helpersNeeded: z.int(),
  endAt: z.string(),
});
export type HelpCampaignCard = z.infer<typeof HelpCampaignCard>;

/** One of the caller's tasks as 我的助力 lists it: where it stands, without the seats. */
export const MyHelpTaskCard = z.object({
  taskId: z.string(),
  campaignId: z.string(),
  title: z.string(),
  rewardText: z.string(),
  state: z.enum(TASK_STATES),
  count: z.int(),
  helpersNeeded: z.int(),
  expiresAt: z.string(),
  rewardState: z.enum(REWARD_STATES),
});
export type MyHelpTaskCard = z.infer<typeof MyHelpTaskCard>;

export const helpContract = defineContract('help', {
  /** The storefront's 好友助力 entry and the member center's 我的助力: running campaigns and the caller's tasks, newest first. */
  list: {
    input: z.strictObject({}),
    output: z.object({ campaigns: z.array(HelpCampaignCard), myTasks: z.array(MyHelpTaskCard), serverTime: z.string() }),
  },
  campaign: { input: z.strictObject({ campaignId: Id }), output: HelpCampaignView },
  /** Starts the caller's task, or answers the one they have (open or completed): one per member per campaign at a time. */
  start: { input: z.strictObject({ campaignId: Id }), output: z.object({ task: TaskView, created: z.boolean() }) },
  task: { input: z.strictObject({ taskId: TaskId }), output: TaskView },
  /** 帮TA助力: counted once the rules pass; a refusal names its reason. */
  help: {
    input: z.strictObject({ taskId: TaskId }),
    output: z.object({ task: TaskView, helperPoints: z.int() }),
  },
});
export type HelpContract = typeof helpContract;
