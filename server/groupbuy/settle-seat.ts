import { decideSeatOnPayment, LIVE_GROUP_STATES } from '../../core/groupbuy/group-state';
import { log } from '../log';
import type { OrderDoc } from '../order/repository';
import { afterSeatPaid } from './after-seat-paid';
import { writeGroupNotice } from './group-notices';
import { handleLatePayment } from './handle-late-payment';
import { findGroup, type GroupDoc, payGroupSeat } from './repository';

/**
 * The order path's `settleSeat` hook, run after a group order is paid (and again on every repeated
 * delivery until the order is settled): the payment confirms the order's seat when the seat is
 * still its own, the group still takes payments and the money moved before the hold ran out;
 * otherwise it is a late payment (`handle-late-payment.ts`). The leader's payment opens the group;
 * the payment that makes the paid seats reach the size makes it succeed.
 *
 * The decision is taken on the group as read, and the seat is paid with a conditional update on
 * what the decision assumed: when that update is refused the group moved meanwhile (it failed at
 * its deadline, or another delivery counted the payment), and the decision is taken again on the
 * group as it is now — a payment whose group ended between the read and the write is late, never
 * left paid without a seat.
 */
export async function settleSeat(order: OrderDoc, paidAt: Date, now: Date): Promise<void> {
  const seat = order.group!;
  if (seat.state === 'late_refunded' || seat.placing) return handleLatePayment(order, now);
  let group = await findGroup(seat.groupId);
  for (let round = 0; round < 3 && group; round += 1) {
    const decision = decideSeatOnPayment({
      holderOrderId: group.holds[order.memberId] ?? null,
      orderId: order._id,
      seatPaid: group.paidBy.includes(order.memberId),
      groupState: group.state,
      paidAt,
      holdUntil: new Date(order.payBy),
    });
    if (decision === 'late') return handleLatePayment(order, now);
    if (group.paidBy.includes(order.memberId)) return confirmed(group, order, now);
    if (await payGroupSeat(group._id, order.memberId, order._id, LIVE_GROUP_STATES)) {
      group.paidBy.push(order.memberId);
      group.paid += 1;
      return confirmed(group, order, now);
    }
    group = await findGroup(group._id);
  }
  if (!group) {
    log('error', { event: 'group order without its group', orderId: order._id, groupId: seat.groupId });
    return handleLatePayment(order, now);
  }
  throw new Error(`the seat of order ${order._id} in group ${group._id} kept changing while its payment was applied`);
}

async function confirmed(group: GroupDoc, order: OrderDoc, now: Date): Promise<void> {
  // A late payment placed here by a run that died before telling the member: tell them now (once).
  if (order.group!.placedFrom) await writeGroupNotice('group.placed', order._id, order, group._id, now);
  await afterSeatPaid(group, order, now);
}
