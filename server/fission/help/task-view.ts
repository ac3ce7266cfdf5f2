import type { TaskView } from '../../../core/contracts/help';
import {
  audienceLine,
  type Helper,
  helpRefusal,
  initialOf,
  refusal,
  ruleLine,
  seatsOf,
  taskCouponId,
  taskStateAt,
} from '../../../core/fission/help';
import type { HelpCampaignDoc, HelpTaskDoc } from './repository';

/** What the viewer is to the task: the owner, or a friend with the facts the rules read. */
export type Viewer = { memberId: string; facts: Helper | null };

/** A task as the app shows it to its owner or to a friend (no member ids). */
export function toTaskView(task: HelpTaskDoc, campaign: HelpCampaignDoc, ownerName: string, viewer: Viewer, now: Date): TaskView {
  const mine = viewer.memberId === task.memberId;
  const helped = task.helperIds.includes(viewer.memberId);
  const why = mine ? refusal('self') : viewer.facts ? helpRefusal(campaign, task, viewer.facts, now) : null;
  return {
    taskId: task._id,
    campaignId: campaign._id,
    title: campaign.title,
    rule: ruleLine(campaign),
    audienceLine: audienceLine(campaign),
    rewardText: campaign.rewardText,
    helpersNeeded: campaign.helpersNeeded,
    state: taskStateAt(task, now),
    count: task.count,
    missing: Math.max(0, campaign.helpersNeeded - task.count),
    seats: seatsOf(task.seats, campaign.helpersNeeded).map((seat) => (seat ? { name: seat.name, initial: initialOf(seat.name) } : null)),
    ownerName,
    ownerInitial: initialOf(ownerName),
    mine,
    expiresAt: new Date(task.expiresAt).toISOString(),
    serverTime: now.toISOString(),
    reward: {
      kind: campaign.reward.kind,
      state: task.rewardState,
      couponId: mine && task.rewardState === 'issued' && campaign.reward.kind === 'coupon' ? taskCouponId(task._id) : null,
    },
    viewer: {
      helped,
      canHelp: !mine && !helped && why === null && viewer.facts !== null,
      reason: why?.reason ?? null,
      message: why?.message ?? null,
    },
  };
}
