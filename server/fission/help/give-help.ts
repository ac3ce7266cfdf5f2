import type { TaskView } from '../../../core/contracts/help';
import { DuetError } from '../../../core/errors';
import { eventId } from '../../../core/funnel/events';
import { helpDayIdOf, helperRewardKey, helpIdOf, helpRefusal, type Refusal, refusal } from '../../../core/fission/help';
import type { MemberDoc } from '../../../core/member/member';
import { shanghaiDay } from '../../../core/points/rules';
import type { Caller } from '../../handler';
import { recordFunnelEvent } from '../../member/event-repository';
import { finalMemberId, memberOfCaller } from '../../member/resolve-member';
import { grantHelpPoints } from './grant-help-points';
import { helperFacts } from './helper-facts';
import { issueTaskReward } from './issue-task-reward';
import {
  findHelp,
  findTask,
  giveBackHelpDay,
  type HelpCampaignDoc,
  type HelpDoc,
  insertHelp,
  markHelpCounted,
  removePendingHelp,
  takeHelpDay,
  takeTaskSeat,
} from './repository';
import { findTaskOrFail, viewTask } from './show-help';

function refused(found: Refusal, detail: string): DuetError {
  const code = found.reason === 'already_helped' || found.reason === 'helped_in_campaign' ? 'ALREADY_EXISTS' : 'FAILED_PRECONDITION';
  return new DuetError(code, detail, found);
}

/**
 * 帮TA助力. The caller becomes (or is) a member; the rules are checked on what is read, and nothing
 * is written when they refuse. Then, each step safe to repeat: (1) the help is written `pending`,
 * its `_id` the rule "one help per person" (per task, or per campaign for `not_helped`) — the same
 * person from the 公众号 and the mini-program is one member, so one `_id`; (2) a unit of the helper's
 * daily limit, held by the help's id; (3) the seat, a conditional update on the task that completes
 * it at N in the same write; (4) the helper's points (ledger key per help) and the event, then the
 * help is `counted`. A refusal at (2)–(3) gives back what was taken and removes the help. The
 * completing help issues the owner's reward. A crash leaves a `pending` help that `settleHelps`
 * finishes (seat taken) or undoes (no seat).
 */
export async function giveHelp(caller: Caller, taskId: string, now: Date): Promise<{ task: TaskView; helperPoints: number }> {
  const member = await memberOfCaller(caller, now);
  const found = await findTaskOrFail(taskId);
  const campaign = found.campaign;
  // The owner as they are now: after a merge (a unionid arrived), the owner's current member is still "self".
  const task = { ...found.task, memberId: await finalMemberId(found.task.memberId) };
  const helpId = helpIdOf(campaign, task._id, member._id);
  const facts = await helperFacts(campaign, task._id, member, now);
  const existing = await findHelp(helpId);
  if (existing && member._id !== task.memberId) throw alreadyHelped(existing, task._id, member._id);
  const why = helpRefusal(campaign, task, facts, now);
  if (why) throw refused(why, `help on ${task._id} by ${member._id} refused: ${why.reason}`);

  const day = shanghaiDay(now);
  const help: HelpDoc = {
    _id: helpId,
    campaignId: campaign._id,
    taskId: task._id,
    ownerId: task.memberId,
    helperId: member._id,
    name: member.nickname,
    state: 'pending',
    dayId: helpDayIdOf(campaign._id, member._id, day),
    createdAt: now,
  };
  if (!(await insertHelp(help))) {
    const raced = await findHelp(helpId);
    throw alreadyHelped(raced ?? help, task._id, member._id);
  }
  if (!(await takeHelpDay({ _id: help.dayId, campaignId: campaign._id, helperId: member._id, day }, helpId, campaign.dailyLimit))) {
    await removePendingHelp(helpId);
    throw refused(refusal('daily_limit'), `${member._id} reached the daily limit of ${campaign.dailyLimit} in ${campaign._id}`);
  }
  const seat = await takeTaskSeat(task._id, { memberId: member._id, name: member.nickname, at: now }, campaign.helpersNeeded, now);
  if (seat === 'refused') {
    await giveBackHelpDay(help.dayId, helpId);
    await removePendingHelp(helpId);
    const after = (await findTask(task._id)) ?? task;
    const reason = helpRefusal(campaign, after, { ...facts, helpsToday: 0 }, now) ?? refusal('task_full');
    throw refused(reason, `help on ${task._id} by ${member._id} got no seat: ${reason.reason}`);
  }
  const helperPoints = await finishHelp(help, campaign, member, now);
  const current = (await findTask(task._id)) ?? task;
  if (seat === 'completed') await issueTaskReward(current, campaign, now);
  const shown = seat === 'completed' ? ((await findTask(task._id)) ?? current) : current;
  return { task: await viewTask(shown, campaign, member._id, member, now), helperPoints };
}

/** The counted help's effects, each once: the helper's points and the `help_helped` event; then the help is `counted`. */
export async function finishHelp(
  help: HelpDoc,
  campaign: HelpCampaignDoc,
  helper: Pick<MemberDoc, '_id' | 'lastTouch' | 'firstTouch'> | null,
  now: Date,
): Promise<number> {
  const points = campaign.helperPoints;
  if (points > 0) await grantHelpPoints(help.helperId, helperRewardKey(help._id), points, '助力好友', { task: help.taskId }, now);
  const draft = {
    _id: eventId('help_helped', help._id),
    kind: 'help_helped' as const,
    at: help.createdAt,
    taskId: help.taskId,
    campaignId: help.campaignId,
    ownerId: help.ownerId,
  };
  await recordFunnelEvent(draft, helper ? { member: helper } : { memberId: help.helperId });
  await markHelpCounted(help._id, now);
  return points;
}

function alreadyHelped(existing: HelpDoc, taskId: string, memberId: string): DuetError {
  const why = existing.taskId === taskId ? refusal('already_helped') : refusal('helped_in_campaign');
  return refused(why, `${memberId} already helped (${existing._id}, ${existing.state})`);
}
