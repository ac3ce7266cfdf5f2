import type { HelpCampaignCard, HelpCampaignView, MyHelpTaskCard, TaskView } from '../../../core/contracts/help';
import { DuetError } from '../../../core/errors';
import { audienceLine, campaignPhase, ruleLine, taskStateAt } from '../../../core/fission/help';
import type { Caller } from '../../handler';
import { findCurrentMember, memberOfCaller } from '../../member/resolve-member';
import { helperFacts } from './helper-facts';
import {
  findCampaign,
  findCampaigns,
  findRecentTasksOf,
  findRunningCampaigns,
  findTask,
  type HelpCampaignDoc,
  type HelpTaskDoc,
  latestTaskOf,
} from './repository';
import { toTaskView } from './task-view';

export async function findCampaignOrFail(campaignId: string): Promise<HelpCampaignDoc> {
  const campaign = await findCampaign(campaignId);
  if (!campaign)
    throw new DuetError('NOT_FOUND', `help campaign ${campaignId} does not exist`, { reason: 'not_found', message: '活动不存在或已结束' });
  return campaign;
}

export async function findTaskOrFail(taskId: string): Promise<{ task: HelpTaskDoc; campaign: HelpCampaignDoc }> {
  const task = await findTask(taskId);
  if (!task) throw new DuetError('NOT_FOUND', `help task ${taskId} does not exist`, { reason: 'not_found', message: '这个助力不存在' });
  return { task, campaign: await findCampaignOrFail(task.campaignId) };
}

/** The task as the caller sees it: the owner's progress, or a friend's view with what they can do. */
export async function viewTask(
  task: HelpTaskDoc,
  campaign: HelpCampaignDoc,
  viewerId: string,
  viewer: Parameters<typeof helperFacts>[2] | null,
  now: Date,
): Promise<TaskView> {
  // The owner as they are now: a member merged since the start (a unionid arrived) still owns the task.
  const owner = await findCurrentMember(task.memberId);
  const owned = owner ? { ...task, memberId: owner._id } : task;
  const facts = viewer && viewer._id !== owned.memberId ? await helperFacts(campaign, task._id, viewer, now) : null;
  return toTaskView(owned, campaign, owner?.nickname ?? '好友', { memberId: viewerId, facts }, now);
}

export async function showTask(caller: Caller, taskId: string, now: Date): Promise<TaskView> {
  const member = await memberOfCaller(caller, now);
  const { task, campaign } = await findTaskOrFail(taskId);
  return viewTask(task, campaign, member._id, member, now);
}

/** Why 发起助力 cannot be tapped now (Chinese), or null. */
export function startRefusalOf(campaign: HelpCampaignDoc, latest: HelpTaskDoc | null, now: Date): string | null {
  const phase = campaignPhase(campaign, now);
  if (phase === 'upcoming') return '活动还没开始';
  if (phase === 'ended') return '活动已结束';
  if (latest?.state === 'completed') return '你已完成本活动的助力';
  if (latest?.state === 'open' && new Date(latest.expiresAt).getTime() > now.getTime()) return '你的助力正在进行中';
  return null;
}

export async function showCampaign(caller: Caller, campaignId: string, now: Date): Promise<HelpCampaignView> {
  const member = await memberOfCaller(caller, now);
  const campaign = await findCampaignOrFail(campaignId);
  const latest = await latestTaskOf(campaign._id, member._id);
  const refusal = startRefusalOf(campaign, latest, now);
  return {
    campaignId: campaign._id,
    title: campaign.title,
    rule: ruleLine(campaign),
    audienceLine: audienceLine(campaign),
    rewardText: campaign.rewardText,
    helpersNeeded: campaign.helpersNeeded,
    taskHours: campaign.taskHours,
    startAt: new Date(campaign.startAt).toISOString(),
    endAt: new Date(campaign.endAt).toISOString(),
    phase: campaignPhase(campaign, now),
    myTask: latest ? await viewTask(latest, campaign, member._id, null, now) : null,
    canStart: refusal === null,
    startRefusal: refusal,
    serverTime: now.toISOString(),
  };
}

/** How many running campaigns and own tasks the list shows: a brand runs a handful at a time. */
const LIST_LIMIT = 20;

/** The running campaigns and, for a member, their own tasks newest first (a visitor sees the campaigns alone). */
export async function listHelp(
  caller: Caller,
  now: Date,
): Promise<{ campaigns: HelpCampaignCard[]; myTasks: MyHelpTaskCard[]; serverTime: string }> {
  const [running, tasks] = await Promise.all([
    findRunningCampaigns(now, LIST_LIMIT),
    caller.openid ? memberOfCaller(caller, now).then((member) => findRecentTasksOf(member._id, LIST_LIMIT)) : [],
  ]);
  const known = new Map(running.map((campaign) => [campaign._id, campaign]));
  const missing = tasks.map((task) => task.campaignId).filter((id) => !known.has(id));
  for (const campaign of missing.length > 0 ? await findCampaigns(missing) : []) known.set(campaign._id, campaign);
  const myTasks: MyHelpTaskCard[] = [];
  for (const task of tasks) {
    const campaign = known.get(task.campaignId);
    if (!campaign) continue;
    myTasks.push({
      taskId: task._id,
      campaignId: campaign._id,
      title: campaign.title,
      rewardText: campaign.rewardText,
      state: taskStateAt(task, now),
      count: task.count,
      helpersNeeded: campaign.helpersNeeded,
      expiresAt: new Date(task.expiresAt).toISOString(),
      rewardState: task.rewardState,
    });
  }
  const campaigns = running.map((campaign) => ({
    campaignId: campaign._id,
    title: campaign.title,
    rule: ruleLine(campaign),
    rewardText: campaign.rewardText,
    helpersNeeded: campaign.helpersNeeded,
    endAt: new Date(campaign.endAt).toISOString(),
  }));
  return { campaigns, myTasks, serverTime: now.toISOString() };
}
