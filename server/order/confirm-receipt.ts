import type { OrderView } from '../../core/contracts/order';
import { type Actor, statesAllowing } from '../../core/order/transitions';
import { writeReviewInvite } from '../fission/review/review-invite';
import type { Caller } from '../handler';
import { moveOwnOrder } from './own-order';
import { clearReviewInvite, findOrdersDue, moveOrder } from './repository';

/**
 * shipped → completed: the member's 确认收货, or the scheduler N days after shipment. True when this
 * call moved it; the call that moved it writes the `review.invite` notice (once, by its `_id`). The
 * completion carries `reviewInviteAt`: should this call die before the notice, the auto-complete job writes it.
 */
export async function completeOrder(orderId: string, actor: Actor, now: Date): Promise<boolean> {
  const moved = await moveOrder(orderId, statesAllowing('complete', actor), 'completed', { completedAt: now, reviewInviteAt: now });
  if (moved) await inviteReview(orderId, now);
  return moved;
}

async function inviteReview(orderId: string, now: Date): Promise<void> {
  await writeReviewInvite(orderId, now);
  await clearReviewInvite(orderId);
}

/** Completions a minute old whose invite was never recorded (their call died in between): written now, once each. */
export async function inviteMissedReviews(now: Date, limit: number): Promise<number> {
  const missed = await findOrdersDue('completed', 'reviewInviteAt', new Date(now.getTime() - INVITE_GRACE_MS), limit);
  for (const order of missed) await inviteReview(order._id, now);
  return missed.length;
}

/** A live completion writes its own invite within this; the sweep leaves it that long. */
const INVITE_GRACE_MS = 60_000;

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
