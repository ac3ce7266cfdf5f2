import { cancelOrder } from '../order/cancel-order';
import { findOrders, type OrderDoc } from '../order/repository';
import { type GroupDoc, holdsPaidSeat } from './repository';

/**
 * The walk every ended group's follow-ups share, each step idempotent (the deadline job runs it
 * again for a group not marked settled): each paid seat gets the outcome (`settleSeat`); a seat
 * still held unpaid is cancelled, its release giving back what it took. The caller marks the
 * group settled after its own last step.
 */
export async function settleEndedGroup(
  group: GroupDoc,
  settleSeat: (group: GroupDoc, order: OrderDoc, now: Date) => Promise<void>,
  now: Date,
): Promise<void> {
  for (const order of await findOrders(Object.values(group.holds))) {
    if (holdsPaidSeat(group, order)) await settleSeat(group, order, now);
    else if (order.state === 'created') await cancelOrder(order, 'expire', 'system', now);
  }
}
