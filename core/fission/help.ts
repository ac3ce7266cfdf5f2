/**
 * 助力 (friend help): a member starts a task in a campaign; friends help; at exactly N counted helps
 * the task completes, once, and its reward is issued, once. The platform allows it because the
 * reward follows a friend's real participation (they become a member and help), the number of
 * friends and the reward are shown up front, and nothing depends on a share (PLATFORM.md).
 *
 * Pure rules only: the server mirrors `takeHelpSeat` with conditional updates on the task.
 */

/** Who may help: members who joined at/after the task started, or members who have not helped in this campaign. */
export const HELP_AUDIENCES = ['new_members', 'not_helped'] as const;
export type HelpAudience = (typeof HELP_AUDIENCES)[number];

export type HelpReward = { kind: 'coupon'; templateId: string } | { kind: 'points'; points: number };

export const TASK_STATES = ['open', 'completed', 'expired'] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** The reward of a completed task: not yet issued, issued, or not issuable (the coupon ran out). */
export const REWARD_STATES = ['none', 'pending', 'issued', 'sold_out'] as const;
export type RewardState = (typeof REWARD_STATES)[number];

export const MAX_HELPERS_NEEDED = 20;
export const MAX_TASK_HOURS = 24 * 30;
export const MAX_DAILY_LIMIT = 50;
export const MAX_HELPER_POINTS = 1000;
export const MAX_REWARD_POINTS = 100_000;

export interface HelpCampaign {
  _id: string;
  title: string;
  reward: HelpReward;
  /** What the reward is in the member's words: `¥10 无门槛券`, `200 积分`. Written at creation. */
  rewardText: string;
  helpersNeeded: number;
  startAt: Date;
  endAt: Date;
  /** How long a task stays open after it starts (it never outlives the campaign). */
  taskHours: number;
  audience: HelpAudience;
  /** Helps one member may give in this campaign per Shanghai day. */
  dailyLimit: number;
  /** Points a helper gets once per counted help (0: none). */
  helperPoints: number;
  paused: boolean;
}

export interface HelperSeat {
  memberId: string;
  name: string;
  at: Date;
}

export interface HelpTask {
  _id: string;
  campaignId: string;
  memberId: string;
  state: TaskState;
  /** Counted helps; never above the campaign's helpersNeeded. */
  count: number;
  helperIds: string[];
  seats: HelperSeat[];
  startedAt: Date;
  expiresAt: Date;
  completedAt?: Date | null;
  rewardState: RewardState;
}

export interface Refusal {
  reason: HelpRefusal;
  message: string;
}

export const HELP_REFUSALS = {
  self: '不能给自己助力哦',
  not_started: '活动还没开始',
  campaign_ended: '活动已结束',
  task_expired: '这个助力已过期',
  task_completed: '好友已完成助力，谢谢你',
  task_full: '好友的助力已满',
  already_helped: '你已经为好友助力过了',
  helped_in_campaign: '本活动每人只能助力一次',
  not_new: '本活动仅限新朋友助力',
  daily_limit: '今天的助力次数已用完，明天再来吧',
} as const;
export type HelpRefusal = keyof typeof HELP_REFUSALS;

export function refusal(reason: HelpRefusal): Refusal {
  return { reason, message: HELP_REFUSALS[reason] };
}

/** When a task started now closes: its duration, but never after the campaign. */
/** The task's state as the member sees it now: an open task past its time is over before the sweep marks it. */
export function taskStateAt(task: Pick<HelpTask, 'state' | 'expiresAt'>, now: Date): TaskState {
  return task.state === 'open' && new Date(task.expiresAt).getTime() <= now.getTime() ? 'expired' : task.state;
}

export function taskExpiry(campaign: Pick<HelpCampaign, 'taskHours' | 'endAt'>, startedAt: Date): Date {
  const end = startedAt.getTime() + campaign.taskHours * 60 * 60 * 1000;
  return new Date(Math.min(end, new Date(campaign.endAt).getTime()));
}

export type CampaignPhase = 'upcoming' | 'running' | 'ended';

export function campaignPhase(campaign: Pick<HelpCampaign, 'startAt' | 'endAt' | 'paused'>, now: Date): CampaignPhase {
  if (now.getTime() < new Date(campaign.startAt).getTime()) return 'upcoming';
  if (campaign.paused || now.getTime() >= new Date(campaign.endAt).getTime()) return 'ended';
  return 'running';
}

/** The rule in one line, shown before anything else: 邀请 3 位新朋友助力，即得 ¥10 无门槛券. */
export function ruleLine(campaign: Pick<HelpCampaign, 'helpersNeeded' | 'audience' | 'rewardText'>): string {
  const who = campaign.audience === 'new_members' ? '新朋友' : '好友';
  return `邀请 ${campaign.helpersNeeded} 位${who}助力，即得 ${campaign.rewardText}`;
}

/** Who may help, in one line for the friend: 仅限新朋友助力，每人每天最多助力 3 次. */
export function audienceLine(campaign: Pick<HelpCampaign, 'audience' | 'dailyLimit'>): string {
  const who = campaign.audience === 'new_members' ? '仅限好友发起后新加入的朋友助力' : '本活动每人可助力一次';
  return `${who}，每人每天最多助力 ${campaign.dailyLimit} 次`;
}

/** The state of the task as the helper's conditional update sees it. */
export type TaskCheck = Pick<HelpTask, 'memberId' | 'state' | 'count' | 'helperIds' | 'startedAt' | 'expiresAt'>;

export interface Helper {
  memberId: string;
  /** When the helper became a member. */
  joinedAt: Date;
  /** Helps this helper gave in this campaign today (Shanghai day). */
  helpsToday: number;
  /** Whether the helper has a counted help in this campaign (any task). */
  helpedInCampaign: boolean;
}

/**
 * Why `helper` may not help `task` now, or null when the help may be counted. Checked in this order
 * so the friend reads the reason that matters most: who they are, then the campaign, then the task.
 */
export function helpRefusal(campaign: HelpCampaign, task: TaskCheck, helper: Helper, now: Date): Refusal | null {
  if (helper.memberId === task.memberId) return refusal('self');
  if (task.helperIds.includes(helper.memberId)) return refusal('already_helped');
  if (task.state === 'completed') return refusal('task_completed');
  const phase = campaignPhase(campaign, now);
  if (phase === 'upcoming') return refusal('not_started');
  if (task.state === 'expired' || new Date(task.expiresAt).getTime() <= now.getTime()) return refusal('task_expired');
  if (phase === 'ended') return refusal('campaign_ended');
  if (task.count >= campaign.helpersNeeded) return refusal('task_full');
  if (campaign.audience === 'new_members' && new Date(helper.joinedAt).getTime() < new Date(task.startedAt).getTime()) {
    return refusal('not_new');
  }
  if (campaign.audience === 'not_helped' && helper.helpedInCampaign) return refusal('helped_in_campaign');
  if (helper.helpsToday >= campaign.dailyLimit) return refusal('daily_limit');
  return null;
}

/**
 * One help arriving at a task, as the database's conditional update applies it: a seat while the task
 * is open, not full and the helper not in it; the seat that makes N completes the task in the same
 * write. `completed` is true only for the help that completed it.
 */
export function takeHelpSeat(
  task: Pick<HelpTask, 'memberId' | 'state' | 'count' | 'helperIds'>,
  helperId: string,
  needed: number,
): { taken: false } | { taken: true; count: number; completed: boolean } {
  if (task.state !== 'open' || task.count >= needed || helperId === task.memberId || task.helperIds.includes(helperId)) {
    return { taken: false };
  }
  const count = task.count + 1;
  return { taken: true, count, completed: count === needed };
}

/** The progress row: one entry per helper needed, the helpers first in order, then empty seats (null). */
export function seatsOf<T>(seats: readonly T[], needed: number): Array<T | null> {
  return Array.from({ length: needed }, (_, i) => seats[i] ?? null);
}

/** The character an avatar circle shows for a name (the first one; 友 when there is none). */
export function initialOf(name: string | null | undefined): string {
  const first = [...(name ?? '').trim()][0];
  return first ?? '友';
}

/** The task's `_id`: the campaign, the member and which attempt (a member may start again after an expiry). */
export function taskIdOf(campaignId: string, memberId: string, attempt: number): string {
  return `${campaignId}:${memberId}:${attempt}`;
}

/**
 * The help's `_id`, the rule "one help per person" enforced by the database: per task for
 * `new_members`, per campaign for `not_helped` (a second help anywhere in the campaign collides).
 */
export function helpIdOf(campaign: Pick<HelpCampaign, '_id' | 'audience'>, taskId: string, helperId: string): string {
  return campaign.audience === 'not_helped' ? `c:${campaign._id}:${helperId}` : `t:${taskId}:${helperId}`;
}

/** The helper's daily counter: one document per campaign, helper and Shanghai day. */
export function helpDayIdOf(campaignId: string, helperId: string, day: string): string {
  return `${campaignId}:${helperId}:${day}`;
}

/** Ledger keys: the owner's reward once per task, the helper's once per help. */
export function taskRewardKey(taskId: string): string {
  return `help:task:${taskId}`;
}
export function helperRewardKey(helpId: string): string {
  return `help:helper:${helpId}`;
}
/** The owner's reward coupon `_id`: once per task. */
export function taskCouponId(taskId: string): string {
  return `help:${taskId}`;
}

/**
 * Bursts: the largest number of helps inside any window of `windowMs`, and where it starts. A task
 * whose friends all arrive within a minute is what a help farm looks like.
 */
export function largestBurst(times: readonly Date[], windowMs: number): { helps: number; from: Date | null; spanMs: number } {
  const sorted = times.map((t) => new Date(t).getTime()).sort((a, b) => a - b);
  let best = { helps: 0, from: null as Date | null, spanMs: 0 };
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while (sorted[end] - sorted[start] > windowMs) start += 1;
    const helps = end - start + 1;
    if (helps > best.helps) best = { helps, from: new Date(sorted[start]), spanMs: sorted[end] - sorted[start] };
  }
  return best;
}

export interface TaskSuspicion {
  /** Helpers whose only activity is the help (no visit, claim or order of their own). */
  idleHelpers: number;
  burst: { helps: number; from: Date | null; spanMs: number };
  reasons: string[];
}

/**
 * What makes a task suspicious: at least half of its helpers (and at least 2) did nothing else, or a
 * burst of `burstHelps` or more helps within the window. Reasons are English lines for the operator.
 */
export function judgeTask(
  helps: ReadonlyArray<{ helperId: string; at: Date }>,
  activeHelpers: ReadonlySet<string>,
  options: { burstWindowMs: number; burstHelps: number },
): TaskSuspicion {
  const idle = helps.filter((help) => !activeHelpers.has(help.helperId)).length;
  const burst = largestBurst(
    helps.map((help) => help.at),
    options.burstWindowMs,
  );
  const reasons: string[] = [];
  if (idle >= 2 && idle * 2 >= helps.length) reasons.push(`${idle} of ${helps.length} helpers have no other activity`);
  if (burst.helps >= options.burstHelps) {
    reasons.push(`${burst.helps} helps within ${Math.round(burst.spanMs / 1000)} s`);
  }
  return { idleHelpers: idle, burst, reasons };
}
