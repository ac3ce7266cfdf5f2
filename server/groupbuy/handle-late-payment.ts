import { log } from '../log';
import { findOrder, markOrderPlacing, type OrderDoc } from '../order/repository';
import { reserveSystemRefund } from '../order/reserve-system-refund';
import { afterSeatPaid } from './after-seat-paid';
import { writeGroupNotice } from './group-notices';
import { releaseSeat } from './release-seat';
import { claimSeat } from './take-seat';
import { type ActivityDoc, findActivity, findGroup, findJoinableGroups, releaseLimit } from './repository';

/** A group placed into must have at least this long left, or the payer would only be refunded a minute later. */
const PLACE_MARGIN_MS = 5 * 60_000;
const CANDIDATES = 20;
/** Steps one run takes at most (each a conditional move of the order, or a group tried); past them it fails and is delivered again. */
const MAX_STEPS = 20;

/**
 * A paid order whose seat is lost (the hold ran out before the money moved, or the group ended
 * meanwhile). Never squeezed into its group: the seat, if still its own, is freed; then, when the
 * activity says `place`, the payer takes a paid seat in an open group of the activity with room (the
 * closest to filling; its own again when the seat it freed is still free), and otherwise the whole
 * order is refunded through the refund state machine. Either way the member is told
 * (`group.placed` / `group.late_refund`).
 *
 * Runs of the same payment may go at once (a callback delivered twice, the sweep): every decision
 * is a conditional move of the order (`markOrderPlacing`), and a run that loses one reads the order
 * again and follows what won — so the payment is placed once or refunded once, never both.
 */
export async function handleLatePayment(order: OrderDoc, now: Date): Promise<void> {
  const from = order.group!.groupId;
  await releaseSeat(order, now);
  const activity = await findActivity(order.group!.activityId);
  const tried = new Set<string>();
  let mayPlace = activity?.latePayment === 'place';
  let current: OrderDoc = order;
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const seat = current.group!;
    if (seat.state === 'late_refunded') return refundLate(current, now);
    // Placed (by this run or another), or its group's outcome reached it: the payment has its seat.
    if (seat.state !== 'waiting' || seat.groupId !== from) return;
    if (seat.placing) {
      tried.add(seat.placing);
      const outcome = await placeInto(current, activity, seat.placing, now);
      if (outcome === 'placed') return;
      if (outcome === 'none') mayPlace = false;
    } else {
      const target = mayPlace && current.state === 'paid' ? await pickGroup(current, tried, now) : null;
      if (target) await markOrderPlacing(current._id, 'begin', from, target);
      else await markOrderPlacing(current._id, 'refund', from, null);
    }
    const fresh = await findOrder(current._id);
    if (!fresh?.group) throw new Error(`order ${current._id} vanished while its late payment was handled`);
    current = fresh;
  }
  log('warn', { event: 'late payment undecided', orderId: order._id, tried: [...tried] });
  throw new Error(`late payment of order ${order._id} still undecided after ${MAX_STEPS} steps; it is handled again on the next delivery`);
}

async function refundLate(order: OrderDoc, now: Date): Promise<void> {
  const seat = order.group!;
  await reserveSystemRefund(order._id, `${order._id}-L`, 'group_seat_lost', now);
  await releaseLimit(seat.activityId, order.memberId, order._id);
  await writeGroupNotice('group.late_refund', order._id, order, seat.groupId, now);
}

/** The open group of the activity closest to filling that has room for the member and time left, not tried yet; null: none. */
async function pickGroup(order: OrderDoc, tried: Set<string>, now: Date): Promise<string | null> {
  const groups = await findJoinableGroups(order.group!.activityId, now, CANDIDATES);
  const target = groups.find(
    (group) =>
      !tried.has(group._id) &&
      group.taken < group.size &&
      !group.heldBy.includes(order.memberId) &&
      new Date(group.deadline).getTime() - now.getTime() > PLACE_MARGIN_MS,
  );
  return target?._id ?? null;
}

/**
 * The placement the order names (`group.placing`): a paid seat taken in that group, then the order
 * moved there, the member told, the group's follow-ups run. When the group has no room the name is
 * cleared (the next step picks another group); when no group can take the payment (the member's
 * limit, the activity sold out: `none`) the run stops placing.
 */
async function placeInto(order: OrderDoc, activity: ActivityDoc | null, groupId: string, now: Date): Promise<'placed' | 'full' | 'none'> {
  const from = order.group!.groupId;
  // The member's limit keeps counting the order throughout (it did since the order was made); only a refund stops it.
  const claimed = activity ? await claimSeat(order, activity, groupId, { paid: true, states: ['open'] }, now) : 'sold_out';
  if (claimed !== 'seated') {
    await markOrderPlacing(order._id, 'abandon', from, groupId);
    return claimed === 'refused' ? 'full' : 'none';
  }
  await markOrderPlacing(order._id, 'finish', from, groupId);
  const placed: OrderDoc = { ...order, group: { ...order.group!, groupId, leader: false, placedFrom: from, placing: undefined } };
  await writeGroupNotice('group.placed', order._id, placed, groupId, now);
  const group = await findGroup(groupId);
  if (group) await afterSeatPaid(group, placed, now);
  log('info', { event: 'late payment placed', orderId: order._id, from, to: groupId });
  return 'placed';
}
