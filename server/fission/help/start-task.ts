import type { TaskView } from '../../../core/contracts/help';
import { DuetError } from '../../../core/errors';
import { eventId } from '../../../core/funnel/events';
import { campaignPhase, taskExpiry, taskIdOf } from '../../../core/fission/help';
import { findTemplate } from '../../coupon/repository';
import type { Caller } from '../../handler';
import { recordFunnelEvent } from '../../member/event-repository';
import { memberOfCaller } from '../../member/resolve-member';
import { expireTask, findTask, type HelpTaskDoc, insertTask, latestTaskOf } from './repository';
import { findCampaignOrFail, viewTask } from './show-help';

/**
 * Starts the caller's task: one per member per campaign at a time, idempotent — an open or completed
 * task is answered as it is (one reward per member per campaign); after an expiry a new attempt
 * starts. Two starts at once compute the same attempt, so they meet on one `_id`.
 */
export async function startTask(caller: Caller, campaignId: string, now: Date): Promise<{ task: TaskView; created: boolean }> {
  const member = await memberOfCaller(caller, now);
  const campaign = await findCampaignOrFail(campaignId);
  let latest = await latestTaskOf(campaign._id, member._id);
  if (latest?.state === 'open' && new Date(latest.expiresAt).getTime() <= now.getTime()) {
    await expireTask(latest._id, now);
    latest = { ...latest, state: 'expired' };
  }
  if (latest && latest.state !== 'expired') return { task: await viewTask(latest, campaign, member._id, null, now), created: false };
  const phase = campaignPhase(campaign, now);
  if (phase !== 'running') {
    throw new DuetError('FAILED_PRECONDITION', `help campaign ${campaign._id} is ${phase}`, {
      reason: phase === 'upcoming' ? 'not_started' : 'campaign_ended',
      message: phase === 'upcoming' ? '活动还没开始' : '活动已结束',
    });
  }
  if (campaign.reward.kind === 'coupon') {
    const template = await findTemplate(campaign.reward.templateId);
    if (!template || template.stockLeft <= 0) {
      throw new DuetError('RESOURCE_EXHAUSTED', `the reward of help campaign ${campaign._id} is out of stock`, {
        reason: 'reward_gone',
        message: '奖励已发完，下次早点来',
      });
    }
  }
  const attempt = (latest?.attempt ?? 0) + 1;
  const doc: HelpTaskDoc = {
    _id: taskIdOf(campaign._id, member._id, attempt),
    campaignId: campaign._id,
    memberId: member._id,
    attempt,
    state: 'open',
    count: 0,
    helperIds: [],
    seats: [],
    startedAt: now,
    expiresAt: taskExpiry(campaign, now),
    completedAt: null,
    rewardState: 'none',
    updatedAt: now,
  };
  if (!(await insertTask(doc))) {
    const raced = await findTask(doc._id);
    if (!raced) throw new DuetError('INTERNAL', `help task ${doc._id} exists and cannot be read`);
    return { task: await viewTask(raced, campaign, member._id, null, now), created: false };
  }
  await recordFunnelEvent(
    { _id: eventId('help_opened', doc._id), kind: 'help_opened', at: now, taskId: doc._id, campaignId: campaign._id },
    { member },
  );
  return { task: await viewTask(doc, campaign, member._id, null, now), created: true };
}
