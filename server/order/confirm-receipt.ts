import type { OrderView } from '../../core/contracts/order';
import { type Actor, statesAllowing } from '../../core/order/transitions';
import { writeReviewInvite } from '../fission/review/review-invite';
import type { Caller } from '../handler';
import { moveOwnOrder } from './own-order';
import { moveOrder } from './repository';

/**
 * shipped → completed: the member's 确认收货, or the scheduler N days after shipment. True when this
 * call moved it; the call that moved it writes the `review.invite` notice (once, by its `_id`).
 */
export async function completeOrder(orderId: string, actor: Actor, now: Date): Promise<boolean> {
  const moved = await moveOrder(orderId, statesAllowing('complete', actor), 'completed', { completedAt: now });
  if (moved) await writeReviewInvite(orderId, now);
  return moved;
}

export function confirmReceipt(caller: Caller, input: { orderId: string }, now: Date): Promise<{ order: OrderView }> {
  return moveOwnOrder(
    caller,
    input.orderId,
    'completed',
    (order) => completeOrder(order._id, 'member', now),
    () => '订单尚未发货，暂不能确认收货',
    now,
  );
}
