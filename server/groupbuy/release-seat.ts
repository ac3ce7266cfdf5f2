import type { OrderDoc } from '../order/repository';
import { giveBackActivityUnit, moveGroup, releaseGroupSeat, releaseLimit } from './repository';

/**
 * The order path's `releaseSeat` hook (the order was cancelled or abandoned) and the first step of a
 * late payment: the order's unpaid seat is freed where it is still the order's; only the call that
 * freed it gives the activity's unit back. The member's limit stops counting the order. A leader
 * whose hold ran out leaves a group nobody could join yet: it is abandoned. Runs any number of times.
 */
export async function releaseSeat(order: OrderDoc, now: Date): Promise<void> {
  const seat = order.group!;
  if (await releaseGroupSeat(seat.groupId, order.memberId, order._id)) {
    await giveBackActivityUnit(seat.activityId);
    if (seat.leader) await moveGroup(seat.groupId, 'pending', 'abandoned', { leaderId: order.memberId }, { abandonedAt: now });
  }
  // A late payment placed elsewhere counts against the limit under the same order: keep it then.
  if (!order.paidAt) await releaseLimit(seat.activityId, order.memberId, order._id);
}
