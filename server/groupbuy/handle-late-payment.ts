import { DuetError } from '../../core/errors';
import { log } from '../log';
import { markOrderPlacing, type OrderDoc, updateOrderGroupState } from '../order/repository';
import { reserveSystemRefund } from '../order/reserve-system-refund';
import { writeGroupNotice } from './group-notices';
import { releaseSeat } from './release-seat';
import {
  type ActivityDoc,
  findActivity,
  findGroup,
  findJoinableGroups,
  giveBackActivityUnit,
  releaseLimit,
  takeActivityUnit,
  takeGroupSeat,
  takeLimit,
} from './repository';
import { afterSeatPaid } from './after-seat-paid';

/** A group placed into must have at least this long left, or the payer would only be refunded a minute later. */
const PLACE_MARGIN_MS = 5 * 60_000;
const CANDIDATES = 20;

/**
 * A paid order whose seat is lost (the hold ran out before the money moved, or the group ended
 * meanwhile). Never squeezed into its group: the seat, if still its own, is freed; then, when the
 * activity says `place`, the payer takes a paid seat in another open group of the activity with
 * room, and otherwise the whole order is refunded through the refund state machine. Either way the
 * member is told (`group.placed` / `group.late_refund`). Each step resumes on a repeat.
 */
export async function handleLatePayment(order: OrderDoc, now: Date): Promise<void> {
  const seat = order.group!;
  await releaseSeat(order, now);
  if (seat.state === 'waiting') {
    const activity = await findActivity(seat.activityId);
    if (activity?.latePayment === 'place' && order.state === 'paid' && (await placeElsewhere(order, activity, now))) return;
  }
  if (seat.state === 'waiting' || seat.state === 'late_refunded') await refundLate(order, now);
}

async function refundLate(order: OrderDoc, now: Date): Promise<void> {
  const seat = order.group!;
  await reserveSystemRefund(order._id, `${order._id}-L`, 'group_seat_lost', now);
  await releaseLimit(seat.activityId, order.memberId, order._id);
  await updateOrderGroupState(order._id, seat.groupId, 'late_refunded');
  await writeGroupNotice('group.late_refund', order._id, order, seat.groupId, now);
}

/** True when the order now holds a paid seat in another group. */
async function placeElsewhere(order: OrderDoc, activity: ActivityDoc, now: Date): Promise<boolean> {
  const memberId = order.memberId;
  const from = order.group!.groupId;
  const named = order.group!.placing;
  const candidates = named
    ? [named]
    : (await findJoinableGroups(activity._id, now, CANDIDATES))
        .filter((group) => group.taken < group.size && !group.heldBy.includes(memberId))
        .filter((group) => new Date(group.deadline).getTime() - now.getTime() > PLACE_MARGIN_MS)
        .map((group) => group._id);
  for (const groupId of candidates) {
    if (!named && !(await markOrderPlacing(order._id, 'begin', groupId))) {
      // Another run of this payment (a duplicate callback, the queryOrder sweep) is placing it now.
      // Not settled here: the payment's next delivery, or the sweep, finds the placement done or resumes it.
      throw new DuetError('UNAVAILABLE', `order ${order._id}: a late payment's placement is in progress in another run`);
    }
    const seated = await takePaidSeat(order, activity, groupId, now);
    if (!seated) {
      await markOrderPlacing(order._id, 'abandon', groupId);
      if (seated === null) break;
      continue;
    }
    await markOrderPlacing(order._id, 'finish', groupId);
    const placed = { ...order, group: { ...order.group!, groupId, leader: false, placedFrom: from } };
    await writeGroupNotice('group.placed', order._id, placed, groupId, now);
    const group = await findGroup(groupId);
    if (group) await afterSeatPaid(group, placed, now);
    log('info', { event: 'late payment placed', orderId: order._id, from, to: groupId });
    return true;
  }
  return false;
}

/**
 * A paid seat in `groupId` for the order (already seated there: true). False: that group has no
 * room; null: no group can take it (the member's limit, or the activity sold out).
 */
async function takePaidSeat(order: OrderDoc, activity: ActivityDoc, groupId: string, now: Date): Promise<boolean | null> {
  const group = await findGroup(groupId);
  if (!group) return false;
  if (group.holds[order.memberId] === order._id) return true;
  if (!(await takeLimit(activity._id, order.memberId, order._id, activity.perMemberLimit))) return null;
  if (!(await takeActivityUnit(activity._id))) {
    await releaseLimit(activity._id, order.memberId, order._id);
    return null;
  }
  const seat = { memberId: order.memberId, orderId: order._id, name: order.group!.name, paid: true };
  if (await takeGroupSeat(group, seat, ['open'], now)) return true;
  await giveBackActivityUnit(activity._id);
  // A run resuming this placement may have seated the order meanwhile: then the limit stays counted.
  if ((await findGroup(groupId))?.holds[order.memberId] === order._id) return true;
  await releaseLimit(activity._id, order.memberId, order._id);
  return false;
}
