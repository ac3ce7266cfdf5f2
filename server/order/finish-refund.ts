import { takeBackRefundPoints } from '../ledger/order-points';
import { yuan } from '../../core/coupon/labels';
import { refundRetryDelayMs, refundStatesAllowing } from '../../core/order/refund';
import { restoreCoupon } from '../coupon/restore-coupon';
import { giveBackSkuStock } from '../shop/repository';
import { orderNoticeData, recordOrderEvent, writeOrderNotice } from './order-notices';
import { findOrderRefunds, moveRefund, type RefundDoc, updateRefund } from './refund-repository';
import { findOrder, insertReservation, moveOrder, updateOrder } from './repository';

/**
 * WeChat Pay says the refund went through (its callback, or a `queryRefund` poll): succeeded, then
 * the follow-ups. Idempotent — the callback and the poll may both report it, in any order, also
 * before the refund was recorded as submitted.
 */
export async function markRefundSucceeded(refund: RefundDoc, now: Date): Promise<void> {
  // Settled and followed up before (a callback delivered again, a poll after it): nothing is left to do.
  if (refund.state === 'succeeded' && refund.returnedAt) return;
  if (refund.state !== 'succeeded') {
    await moveRefund(refund._id, refundStatesAllowing('succeed'), 'succeeded', { succeededAt: now, nextAttemptAt: null, lastError: null });
  }
  await finishRefund({ ...refund, state: 'succeeded', succeededAt: refund.succeededAt ?? now }, now);
}

/** WeChat Pay says the refund failed (abnormal or closed): failed, to be resubmitted with the same number after a wait. */
export async function markRefundFailed(refund: RefundDoc, why: string, now: Date): Promise<void> {
  await moveRefund(refund._id, refundStatesAllowing('fail'), 'failed', {
    lastError: why,
    nextAttemptAt: new Date(now.getTime() + refundRetryDelayMs(Math.max(1, refund.attempts))),
  });
}

/**
 * What a successful refund implies, each step idempotent so it can run again after a crash: the
 * order's refunded total (recomputed from its refunds, never incremented), the state refunding →
 * refunded once all is given back (every refund of a fully refunded order succeeded, in any order),
 * stock of units never shipped (once per refund line, by a marker document), the coupon of a
 * whole-order refund, the notice and the event. Marked done last.
 */
export async function finishRefund(refund: RefundDoc, now: Date): Promise<void> {
  const order = await findOrder(refund.orderId);
  if (order) {
    const refunds = await findOrderRefunds([order._id]);
    const done = (r: RefundDoc) => r.state === 'succeeded' || r._id === refund._id;
    const refunded = refunds.filter(done).reduce((sum, r) => sum + r.amount, 0);
    await updateOrder(order._id, { refunded });
    // Refunded once every refund of a fully refunded order went through, whichever finished last:
    // the refund of the rest may succeed before an earlier partial one.
    if (refunds.some((r) => r.whole) && refunds.every(done)) await moveOrder(order._id, ['refunding'], 'refunded', { refundedAt: now });
    if (!order.shipment) {
      // Goods not shipped are still in the warehouse: sellable again.
      for (const line of refund.lines) {
        const marker = {
          _id: `ret:${refund._id}:${line.skuId}`,
          orderId: order._id,
          skuId: line.skuId,
          quantity: line.quantity,
          state: 'returned' as const,
          createdAt: now,
        };
        if (await insertReservation(marker)) await giveBackSkuStock(line.skuId, line.quantity, now);
      }
    }
    if (refund.whole && order.couponId) await restoreCoupon({ couponId: order.couponId, orderId: order._id }, now);
    await takeBackRefundPoints(order, { _id: refund._id, fee: refund.amount }, now);
  }
  if (refund.memberId) {
    await writeOrderNotice(
      'refund.succeeded',
      refund._id,
      refund.memberId,
      { ...(order ? orderNoticeData(order) : { orderId: refund.orderId }), refundAmount: yuan(refund.amount), reason: refund.reason },
      now,
      now,
    );
  }
  // Money that paid an order comes back: a payment that never paid one (late, for a cancelled order) is no funnel step.
  if (order?.paidAt) {
    const at = refund.succeededAt ? new Date(refund.succeededAt) : now;
    await recordOrderEvent('order_refunded', refund._id, order, { fen: refund.amount, at, refundId: refund._id, whole: refund.whole });
  }
  await updateRefund(refund._id, { returnedAt: now });
}
