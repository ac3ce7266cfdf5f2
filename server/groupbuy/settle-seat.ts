import { decideSeatOnPayment, LIVE_GROUP_STATES } from '../../core/groupbuy/group-state';
import { log } from '../log';
import type { OrderDoc } from '../order/repository';
import { afterSeatPaid } from './after-seat-paid';
import { handleLatePayment } from './handle-late-payment';
import { findGroup, payGroupSeat } from './repository';

/**
 * The order path's `settleSeat` hook, run after a group order is paid (and again on every repeated
 * delivery until the order is settled): the payment confirms the order's seat when the seat is
 * still its own, the group still takes payments and the money moved before the hold ran out;
 * otherwise it is a late payment (`handle-late-payment.ts`). The leader's payment opens the group;
 * the payment that makes the paid seats reach the size makes it succeed.
 */
export async function settleSeat(order: OrderDoc, paidAt: Date, now: Date): Promise<void> {
  const seat = order.group!;
  if (seat.state === 'late_refunded' || seat.placing) return handleLatePayment(order, now);
  const group = await findGroup(seat.groupId);
  if (!group) {
    log('error', { event: 'group order without its group', orderId: order._id, groupId: seat.groupId });
    return handleLatePayment(order, now);
  }
  const decision = decideSeatOnPayment({
    holderOrderId: group.holds[order.memberId] ?? null,
    orderId: order._id,
    seatPaid: group.paidBy.includes(order.memberId),
    groupState: group.state,
    paidAt,
    holdUntil: new Date(order.payBy),
  });
  if (decision === 'late') return handleLatePayment(order, now);
  if (await payGroupSeat(group._id, order.memberId, order._id, LIVE_GROUP_STATES)) {
    group.paidBy.push(order.memberId);
    group.paid += 1;
  }
  await afterSeatPaid(group, order, now);
}
