import { type OrderDoc, updateOrderGroupState } from '../order/repository';
import { recordGroupEvent, writeGroupNotice } from './group-notices';
import { findGroup, type GroupDoc, succeedGroupIf, updateGroup } from './repository';
import { settleEndedGroup } from './settle-ended-group';

/**
 * open → succeeded, conditional on the paid seats (at least the size; for 模拟成团, the activity's
 * number): a failure can no longer happen, since both leave `open` and only one conditional update
 * wins. Then the follow-ups. True when this call made it succeed.
 */
export async function succeedGroup(group: GroupDoc, simulated: boolean, now: Date, minPaid = group.size): Promise<boolean> {
  const moved = await succeedGroupIf(group._id, minPaid, { succeededAt: now, simulated });
  if (moved) await settleSucceeded((await findGroup(group._id)) ?? group, now);
  return moved;
}

/**
 * Everything a success implies, each step idempotent (the deadline job runs it again for a group
 * not marked settled): every paid order confirmed (`group.state` succeeded: it may ship now), one
 * `group.succeeded` notice per member; seats still held unpaid (模拟成团) are cancelled.
 */
export async function settleSucceeded(group: GroupDoc, now: Date): Promise<void> {
  // Seats still held unpaid when a simulated group succeeded are cancelled: a payment after it is late.
  await settleEndedGroup(group, settleSucceededSeat, now);
  await recordGroupEvent('group_succeeded', group, group.succeededAt ? new Date(group.succeededAt) : now);
  await updateGroup(group._id, { settledAt: now });
}

/**
 * One paid seat of a succeeded group: its order confirmed and its member told, once. Also run for
 * a seat whose order was still on its way into the group when the success was settled (a late
 * payment being placed): the success's own run could not confirm an order not yet moved there.
 */
export async function settleSucceededSeat(group: GroupDoc, order: OrderDoc, now: Date): Promise<void> {
  await updateOrderGroupState(order._id, group._id, 'succeeded');
  await writeGroupNotice('group.succeeded', `${group._id}:${order.memberId}`, order, group._id, now);
}
