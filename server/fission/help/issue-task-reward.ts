import { newCouponDoc } from '../../../core/coupon/coupon';
import { eventId } from '../../../core/funnel/events';
import { taskCouponId, taskRewardKey } from '../../../core/fission/help';
import { issueCoupon } from '../../coupon/issue-coupon';
import { findTemplate } from '../../coupon/repository';
import { log } from '../../log';
import { recordFunnelEvent } from '../../member/event-repository';
import { finalMemberId } from '../../member/resolve-member';
import { grantHelpPoints } from './grant-help-points';
import { type HelpCampaignDoc, type HelpTaskDoc, markTaskReward } from './repository';

/**
 * The reward of a completed task, exactly once whoever runs it (the completing help, or the sweep
 * after a crash): a coupon `_id` `help:<task>` through the coupon path, or a ledger entry keyed
 * `help:task:<task>`. The completion event is written first (its `_id` dedupes), then the outcome
 * is recorded: `issued`, or `sold_out` when the template ran out (the operator sees it in the report).
 */
export async function issueTaskReward(task: HelpTaskDoc, campaign: HelpCampaignDoc, now: Date): Promise<'issued' | 'sold_out'> {
  await recordFunnelEvent(
    {
      _id: eventId('help_completed', task._id),
      kind: 'help_completed',
      at: task.completedAt ?? now,
      taskId: task._id,
      campaignId: campaign._id,
    },
    { memberId: task.memberId },
  );
  if (campaign.reward.kind === 'points') {
    await grantHelpPoints(task.memberId, taskRewardKey(task._id), campaign.reward.points, '好友助力奖励', { task: task._id }, now);
    await markTaskReward(task._id, 'issued', now);
    return 'issued';
  }
  const template = await findTemplate(campaign.reward.templateId);
  // To the owner as they are now (a merge since the start moved them); the coupon's `_id` keeps it once.
  const memberId = await finalMemberId(task.memberId);
  const outcome = template
    ? await issueCoupon(template, newCouponDoc(template, { id: taskCouponId(task._id), memberId, source: 'help', now }), now)
    : 'sold_out';
  const state = outcome === 'sold_out' ? 'sold_out' : 'issued';
  if (state === 'sold_out') log('warn', { event: 'help.reward_sold_out', taskId: task._id, templateId: campaign.reward.templateId });
  await markTaskReward(task._id, state, now);
  return state;
}
