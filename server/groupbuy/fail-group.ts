import { type OrderDoc, updateOrderGroupState } from '../order/repository';
import { reserveSystemRefund } from '../order/reserve-system-refund';
import { writeGroupNotice } from './group-notices';
import { findGroup, failGroupIf, type GroupDoc, giveBackActivityUnit, markReturned, releaseLimit, updateGroup } from './repository';
import { settleEndedGroup } from './settle-ended-group';

/**
 * open → failed, conditional on fewer paid seats than the size: a group that filled meanwhile
 * succeeds instead, never both. Then the follow-ups. True when this call failed it.
 */
export async function failGroup(group: GroupDoc, now: Date): Promise<boolean> {
  const moved = await failGroupIf(group._id, group.size, { failedAt: now });
  if (moved) await settleFailed((await findGroup(group._id)) ?? group, now);
  return moved;
}

/**
 * Everything a failure implies, each step idempotent (the deadline job runs it again for a group not
 * marked settled): every paid order refunded whole through the refund state machine (refund
 * `<order>-G`, retried until WeChat Pay says it succeeded; its success puts stock and coupon back),
 * the activity's unit and the member's limit given back once, one `group.failed` notice per member;
 * seats still held unpaid are cancelled (their release gives back what they took).
 */
export async function settleFailed(group: GroupDoc, now: Date): Promise<void> {
  await settleEndedGroup(group, settleFailedSeat, now);
  await updateGroup(group._id, { settledAt: now });
}

/**
 * One paid seat of a failed group, each step once: refunded whole (`<order>-G`), unit and limit
 * back, the member told. Also run for a seat whose order was still on its way into the group when
 * the failure was settled (a late payment being placed).
 */
export async function settleFailedSeat(group: GroupDoc, order: OrderDoc, now: Date): Promise<void> {
  await reserveSystemRefund(order._id, `${order._id}-G`, 'group_failed', now);
  await updateOrderGroupState(order._id, group._id, 'failed');
  if (await markReturned(group._id, order.memberId)) await giveBackActivityUnit(group.activityId);
  await releaseLimit(group.activityId, order.memberId, order._id);
  await writeGroupNotice('group.failed', `${group._id}:${order.memberId}`, order, group._id, now);
}
