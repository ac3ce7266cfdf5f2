import type { HelpCampaign, HelperSeat, HelpTask, RewardState } from '../../../core/fission/help';
import { database } from '../../cloud';
import { COLLECTIONS } from '../../collections';
import { findById, findByIds, insertOnce, updatedCount } from '../../documents';

/**
 * Every read and write of 助力: `help_campaigns`, `help_tasks`, `helps` (one per counted or pending
 * help, its `_id` the dedupe rule) and `help_days` (a helper's helps per campaign and day).
 */
const CAMPAIGNS = COLLECTIONS.helpCampaigns;
const TASKS = COLLECTIONS.helpTasks;
const HELPS = COLLECTIONS.helps;
const DAYS = COLLECTIONS.helpDays;
const EVENTS = COLLECTIONS.events;

export interface HelpCampaignDoc extends HelpCampaign {
  createdAt: Date;
  updatedAt: Date;
}

export interface HelpTaskDoc extends HelpTask {
  /** 1 for the member's first task in the campaign, 2 after it expired, … */
  attempt: number;
  updatedAt: Date;
  rewardedAt?: Date;
}

export type HelpState = 'pending' | 'counted';

/** One help: written `pending` before the seat, `counted` once the seat is taken and its effects are done. */
export interface HelpDoc {
  _id: string;
  campaignId: string;
  taskId: string;
  ownerId: string;
  helperId: string;
  name: string;
  state: HelpState;
  /** The helper's day counter this help holds a unit of. */
  dayId: string;
  createdAt: Date;
  countedAt?: Date;
}

export interface HelpDayDoc {
  _id: string;
  campaignId: string;
  helperId: string;
  day: string;
  count: number;
  helps: string[];
}

// Campaigns

export function insertCampaign(doc: HelpCampaignDoc): Promise<boolean> {
  return insertOnce(CAMPAIGNS, doc);
}

export function findCampaign(id: string): Promise<HelpCampaignDoc | null> {
  return findById<HelpCampaignDoc>(CAMPAIGNS, id);
}

export async function listCampaigns(id?: string): Promise<HelpCampaignDoc[]> {
  const result = (await database()
    .collection(CAMPAIGNS)
    .where(id ? { _id: id } : {})
    .limit(100)
    .get()) as unknown as { data: HelpCampaignDoc[] };
  return result.data;
}

/** Campaigns open now (started, not ended, not paused), the soonest to end first. */
export async function findRunningCampaigns(now: Date, limit: number): Promise<HelpCampaignDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(CAMPAIGNS)
    .where({ paused: false, startAt: _.lte(now), endAt: _.gt(now) })
    .orderBy('endAt', 'asc')
    .limit(limit)
    .get()) as unknown as { data: HelpCampaignDoc[] };
  return result.data;
}

export function findCampaigns(ids: readonly string[]): Promise<HelpCampaignDoc[]> {
  return findByIds<HelpCampaignDoc>(CAMPAIGNS, [...new Set(ids)]);
}

/** Tasks of a campaign by state, for the operator's row. */
export async function countTasksByState(campaignId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const state of ['open', 'completed', 'expired']) {
    const result = (await database().collection(TASKS).where({ campaignId, state }).count()) as unknown as { total: number };
    counts[state] = Number(result.total ?? 0);
  }
  return counts;
}

// Tasks

export function insertTask(doc: HelpTaskDoc): Promise<boolean> {
  return insertOnce(TASKS, doc);
}

export function findTask(id: string): Promise<HelpTaskDoc | null> {
  return findById<HelpTaskDoc>(TASKS, id);
}

/** The member's latest task in the campaign, or null. */
export async function latestTaskOf(campaignId: string, memberId: string): Promise<HelpTaskDoc | null> {
  const result = (await database()
    .collection(TASKS)
    .where({ campaignId, memberId })
    .orderBy('startedAt', 'desc')
    .limit(1)
    .get()) as unknown as { data: HelpTaskDoc[] };
  return result.data[0] ?? null;
}

/** The member's tasks in every campaign, the latest started first. */
export async function findRecentTasksOf(memberId: string, limit: number): Promise<HelpTaskDoc[]> {
  const result = (await database().collection(TASKS).where({ memberId }).orderBy('startedAt', 'desc').limit(limit).get()) as unknown as {
    data: HelpTaskDoc[];
  };
  return result.data;
}

export async function tasksOfCampaign(campaignId: string, limit: number): Promise<HelpTaskDoc[]> {
  const result = (await database().collection(TASKS).where({ campaignId }).limit(limit).get()) as unknown as { data: HelpTaskDoc[] };
  return result.data;
}

/**
 * Takes a seat in the task for `seat.memberId`: a conditional update on the task as it is — open,
 * not expired, the helper not in it, and below N. The seat that makes N flips the task to
 * `completed` in the same write, so the task completes exactly once. A lost race re-reads and tries
 * again while there is room (each loss means another helper took a seat, so it ends).
 */
export async function takeTaskSeat(
  taskId: string,
  seat: HelperSeat,
  needed: number,
  now: Date,
): Promise<'taken' | 'completed' | 'refused'> {
  const _ = database().command;
  for (let round = 0; round <= needed + 2; round += 1) {
    const task = await findTask(taskId);
    if (task?.state !== 'open' || task.count >= needed || task.helperIds.includes(seat.memberId)) return 'refused';
    if (new Date(task.expiresAt).getTime() <= now.getTime()) return 'refused';
    const completing = task.count === needed - 1;
    const data: Record<string, unknown> = {
      count: _.inc(1),
      helperIds: _.push(seat.memberId),
      seats: _.push(seat),
      updatedAt: now,
    };
    if (completing) Object.assign(data, { state: 'completed', completedAt: now, rewardState: 'pending' satisfies RewardState });
    const result = await database()
      .collection(TASKS)
      .where({
        _id: taskId,
        state: 'open',
        expiresAt: _.gt(now),
        helperIds: _.nin([seat.memberId]),
        count: completing ? needed - 1 : _.lt(needed - 1),
      })
      .update({ data });
    if (updatedCount(result) === 1) return completing ? 'completed' : 'taken';
  }
  return 'refused';
}

/** The reward's outcome, once: pending → issued | sold_out. */
export async function markTaskReward(taskId: string, state: Exclude<RewardState, 'none' | 'pending'>, now: Date): Promise<boolean> {
  const result = await database()
    .collection(TASKS)
    .where({ _id: taskId, rewardState: 'pending' })
    .update({ data: { rewardState: state, rewardedAt: now, updatedAt: now } });
  return updatedCount(result) === 1;
}

/** An open task past its end becomes `expired` (once; a seat can no longer be taken anyway). */
export async function expireTask(taskId: string, now: Date): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(TASKS)
    .where({ _id: taskId, state: 'open', expiresAt: _.lte(now) })
    .update({ data: { state: 'expired', updatedAt: now } });
  return updatedCount(result) === 1;
}

export async function findTasksToExpire(now: Date, limit: number): Promise<HelpTaskDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(TASKS)
    .where({ state: 'open', expiresAt: _.lte(now) })
    .orderBy('expiresAt', 'asc')
    .limit(limit)
    .get()) as unknown as { data: HelpTaskDoc[] };
  return result.data;
}

export async function findTasksToReward(limit: number): Promise<HelpTaskDoc[]> {
  const result = (await database()
    .collection(TASKS)
    .where({ rewardState: 'pending' })
    .orderBy('completedAt', 'asc')
    .limit(limit)
    .get()) as unknown as { data: HelpTaskDoc[] };
  return result.data;
}

// Helps

export function insertHelp(doc: HelpDoc): Promise<boolean> {
  return insertOnce(HELPS, doc);
}

export function findHelp(id: string): Promise<HelpDoc | null> {
  return findById<HelpDoc>(HELPS, id);
}

export async function markHelpCounted(id: string, now: Date): Promise<boolean> {
  const result = await database()
    .collection(HELPS)
    .where({ _id: id, state: 'pending' })
    .update({ data: { state: 'counted', countedAt: now } });
  return updatedCount(result) === 1;
}

/** A pending help that got no seat is removed, so the person may help again where the rules allow. */
export async function removePendingHelp(id: string): Promise<boolean> {
  const result = await database().collection(HELPS).where({ _id: id, state: 'pending' }).remove();
  return Number((result as { stats?: { removed?: number } }).stats?.removed ?? 0) === 1;
}

export async function findStaleHelps(before: Date, limit: number): Promise<HelpDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(HELPS)
    .where({ state: 'pending', createdAt: _.lt(before) })
    .orderBy('createdAt', 'asc')
    .limit(limit)
    .get()) as unknown as { data: HelpDoc[] };
  return result.data;
}

/** A campaign's helps in time order (the report reads at most `limit`). */
/** A page of a campaign's tasks in `_id` order, after `afterId` (the report's cursor). */
export async function taskPageOfCampaign(campaignId: string, afterId: string | undefined, limit: number): Promise<HelpTaskDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(TASKS)
    .where(afterId ? { campaignId, _id: _.gt(afterId) } : { campaignId })
    .orderBy('_id', 'asc')
    .limit(limit)
    .get()) as unknown as { data: HelpTaskDoc[] };
  return result.data;
}

/** The counted helps of these tasks (each task has at most its campaign's N, so the page is bounded). */
export async function countedHelpsOf(taskIds: readonly string[]): Promise<HelpDoc[]> {
  if (taskIds.length === 0) return [];
  const _ = database().command;
  const helps: HelpDoc[] = [];
  // A page of reads until the page of tasks is covered: the SDK answers at most 1,000 documents a read.
  for (;;) {
    const result = (await database()
      .collection(HELPS)
      .where({ taskId: _.in([...taskIds]), state: 'counted' })
      .orderBy('_id', 'asc')
      .skip(helps.length)
      .limit(1000)
      .get()) as unknown as { data: HelpDoc[] };
    helps.push(...result.data);
    if (result.data.length < 1000) return helps;
  }
}

// The helper's day counter

export function findHelpDay(id: string): Promise<HelpDayDoc | null> {
  return findById<HelpDayDoc>(DAYS, id);
}

/**
 * A unit of the helper's daily limit for this help: idempotent by help id (a re-run finds it held),
 * never past the limit whatever the concurrency (a conditional increment).
 */
export async function takeHelpDay(day: Omit<HelpDayDoc, 'count' | 'helps'>, helpId: string, limit: number): Promise<boolean> {
  await insertOnce(DAYS, { ...day, count: 0, helps: [] });
  const _ = database().command;
  const result = await database()
    .collection(DAYS)
    .where({ _id: day._id, count: _.lt(limit), helps: _.nin([helpId]) })
    .update({ data: { count: _.inc(1), helps: _.push(helpId) } });
  if (updatedCount(result) === 1) return true;
  return Boolean((await findHelpDay(day._id))?.helps.includes(helpId));
}

/** Gives the help's unit back, once (only while the day holds it). */
export async function giveBackHelpDay(dayId: string, helpId: string): Promise<void> {
  const _ = database().command;
  await database()
    .collection(DAYS)
    .where({ _id: dayId, helps: helpId })
    .update({ data: { count: _.inc(-1), helps: _.pull(helpId) } });
}

// Activity (the report)

/** The funnel kinds that show a helper did something of their own. */
export const ACTIVITY_KINDS = ['visit', 'scan', 'coupon_claimed', 'order_created', 'order_paid', 'group_opened', 'group_joined'] as const;

/** Of `memberIds`, those with any visit, scan, claim, order or group event. */
export async function membersWithActivity(memberIds: readonly string[]): Promise<Set<string>> {
  const active = new Set<string>();
  const _ = database().command;
  const ids = [...new Set(memberIds)];
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    // Grouped by member: one row each however many events a member has (a plain read of 1,000 events could be
    // filled by a few busy members and call the rest idle).
    const result = (await database()
      .collection(EVENTS)
      .aggregate()
      .match({ memberId: _.in(chunk), kind: _.in([...ACTIVITY_KINDS]) })
      .group({ _id: '$memberId' })
      .limit(chunk.length)
      .end()) as { list: Array<{ _id: string }> };
    for (const row of result.list) active.add(row._id);
  }
  return active;
}

export { findByIds };
