import { decideOrderRefund } from './plan-order-refund';
import { type RefundDoc, reserveRefund } from './refund-repository';

/**
 * A refund of the whole order that no person asked for (a failed group's seat, a payment that lost
 * its seat): reserved like the others and submitted by the scheduler, retried until WeChat Pay says
 * it succeeded. `refundId` is fixed by the cause, so asking again answers the same refund.
 */
export async function reserveSystemRefund(orderId: string, refundId: string, reason: string, now: Date): Promise<RefundDoc> {
  const { refund } = await reserveRefund(orderId, (current) =>
    decideOrderRefund(current, { refundId, ask: 'all', reason, actor: 'system', requester: null, now }),
  );
  return refund;
}
