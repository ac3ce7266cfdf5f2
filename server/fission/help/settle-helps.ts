import { elapsedMs } from '../../clock';
import { log } from '../../log';
import { finishHelp } from './give-help';
import { issueTaskReward } from './issue-task-reward';
import {
  expireTask,
  findCampaign,
  findStaleHelps,
  findTask,
  findTasksToExpire,
  findTasksToReward,
  giveBackHelpDay,
  type HelpCampaignDoc,
  removePendingHelp,
} from './repository';

/** Longer than a function can run (60 s): a help this old and still `pending` was cut off. */
export const HELP_STALE_MS = 2 * 60_000;
const BATCH = 50;

export interface SettleHelpsReport {
  /** Cut-off helps whose seat was taken: their points and event written, now counted. */
  finished: number;
  /** Cut-off helps that never got a seat: their day unit given back, removed. */
  undone: number;
  /** Completed tasks whose reward a crash left unrecorded: issued (or found sold out) now. */
  rewarded: number;
  expired: number;
  more: boolean;
}

/**
 * The help sweep (the scheduler's `settleHelps`, hosted by helpAdmin). What a call acknowledged
 * still happens, once: a pending help that holds a seat is finished, one without a seat is undone;
 * a completed task without its reward outcome gets it (the reward's `_id`/ledger key makes it once);
 * open tasks past their end expire.
 */
export async function settleHelps(now: Date, budgetMs: number): Promise<SettleHelpsReport> {
  const started = performance.now();
  const report: SettleHelpsReport = { finished: 0, undone: 0, rewarded: 0, expired: 0, more: false };
  const campaigns = new Map<string, HelpCampaignDoc | null>();
  const campaignOf = async (id: string) => {
    if (!campaigns.has(id)) campaigns.set(id, await findCampaign(id));
    return campaigns.get(id) ?? null;
  };

  const stale = await findStaleHelps(new Date(now.getTime() - HELP_STALE_MS), BATCH);
  for (const help of stale) {
    if (elapsedMs(started) > budgetMs) return { ...report, more: true };
    const [task, campaign] = await Promise.all([findTask(help.taskId), campaignOf(help.campaignId)]);
    if (task?.helperIds.includes(help.helperId) && campaign) {
      await finishHelp(help, campaign, null, now);
      report.finished += 1;
    } else {
      await giveBackHelpDay(help.dayId, help._id);
      await removePendingHelp(help._id);
      report.undone += 1;
    }
  }

  const unrewarded = await findTasksToReward(BATCH);
  for (const task of unrewarded) {
    if (elapsedMs(started) > budgetMs) return { ...report, more: true };
    const campaign = await campaignOf(task.campaignId);
    if (!campaign) {
      log('error', { event: 'help.reward_without_campaign', taskId: task._id });
      continue;
    }
    await issueTaskReward(task, campaign, now);
    report.rewarded += 1;
  }

  const due = await findTasksToExpire(now, BATCH);
  for (const task of due) {
    if (elapsedMs(started) > budgetMs) return { ...report, more: true };
    if (await expireTask(task._id, now)) report.expired += 1;
  }
  report.more = stale.length === BATCH || unrewarded.length === BATCH || due.length === BATCH;
  return report;
}
