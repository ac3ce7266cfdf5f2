import type { OrderView, RefundView } from '../../core/contracts/order';
import type { Caller } from '../handler';
import { ownOrder } from './own-order';
import { toOrderView, toRefundView } from './order-view';
import { decideOrderRefund } from './plan-order-refund';
import { reserveRefund } from './refund-repository';
import { findOrder, type OrderDoc } from './repository';

/**
 * The member's 申请退款 before shipment: the whole order. The refund is reserved with the order in one
 * transaction and submitted by the scheduler; asking twice answers the same refund (its number is
 * the order's first refund's).
 */
export async function requestRefund(
  caller: Caller,
  input: { orderId: string; reason: string },
  now: Date,
): Promise<{ order: OrderView; refund: RefundView }> {
  const order = await ownOrder(caller, input.orderId, now);
  const { refund } = await reserveRefund(order._id, (current) =>
    decideOrderRefund(current, {
      refundId: `${current._id}-M`,
      ask: 'all',
      reason: input.reason,
      actor: 'member',
      requester: current.memberId,
      now,
    }),
  );
  return { order: await toOrderView((await findOrder(order._id)) as OrderDoc, now), refund: toRefundView(refund) };
}
