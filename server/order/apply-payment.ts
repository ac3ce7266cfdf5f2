import { earnOrderPoints } from '../ledger/order-points';
import { consumeCoupon } from '../coupon/consume-coupon';
import { log } from '../log';
import { groupSeatHooks } from './group-seat-hooks';
import { markFirstPaid } from '../member/repository';
import { orderNoticeData, recordOrderEvent, writeOrderNotice } from './order-notices';
import { confirmHoldings } from './release-order';
import { type PaymentFacts, recordIssue } from './record-payment-issue';

export type { PaymentFacts };
import { findOrder, moveOrder, type OrderDoc, updateOrder } from './repository';
import { refundPaymentWithoutOrder } from './refund-orphan';

export type PaymentOutcome = 'paid' | 'duplicate' | 'refunding' | 'mismatch';

/**
 * Applies a payment to its order, idempotently. created → paid is one conditional update, so of a
 * callback delivered five times, a `queryOrder` sweep and an auto-cancel racing it, exactly one moves
 * the order. What follows payment (stock confirmed, coupon consumed, first-paid mark, notice, event)
 * is each idempotent and runs again on every repeat, so a crash between them is healed by the next
 * delivery. A payment for an unknown or cancelled order is recorded and refunded; one whose amount
 * or currency differs from the order is recorded for operators and never marks the order paid.
 */
export async function applyPayment(facts: PaymentFacts, now: Date): Promise<PaymentOutcome> {
  const order = await findOrder(facts.outTradeNo);
  if (!order) {
    await refundPaymentWithoutOrder(facts, 'unknown_order', 'no order has this out_trade_no', now);
    return 'refunding';
  }
  if (facts.totalFee !== order.payable || facts.feeType !== 'CNY') {
    await recordIssue(
      facts,
      'amount_mismatch',
      `order ${order._id} is ${order.payable} CNY fen; the payment says ${facts.totalFee} ${facts.feeType}`,
      now,
    );
    log('error', {
      event: 'payment amount mismatch',
      orderId: order._id,
      payable: order.payable,
      totalFee: facts.totalFee,
      feeType: facts.feeType,
    });
    return 'mismatch';
  }
  const paidFields = { paidAt: now, transactionId: facts.transactionId, payTime: payTimeOf(facts.timeEnd) ?? now };
  if (order.state === 'created' && (await moveOrder(order._id, ['created'], 'paid', paidFields))) {
    await settlePaid({ ...order, ...paidFields, state: 'paid' }, now);
    return 'paid';
  }
  // Moved meanwhile (or long before: a delivery again): what it is now decides.
  const current = order.state === 'created' ? ((await findOrder(order._id)) as OrderDoc) : order;
  if (current.state === 'cancelled' || current.state === 'reserving') {
    await refundPaymentWithoutOrder(
      facts,
      'paid_after_cancel',
      `order ${order._id} was ${current.state} when its payment arrived`,
      now,
      current,
    );
    if (current.group) await groupSeatHooks(current).latePaymentRefunded(current, now);
    return 'refunding';
  }
  if (current.transactionId && facts.transactionId && current.transactionId !== facts.transactionId) {
    // Two different payments for one out_trade_no cannot happen with WeChat Pay; keep it for operators.
    await recordIssue(
      facts,
      'amount_mismatch',
      `order ${order._id} was paid by ${current.transactionId}; another payment ${facts.transactionId} arrived`,
      now,
    );
    return 'mismatch';
  }
  if (!current.paidSettledAt) await settlePaid(current, now);
  return 'duplicate';
}

/** Everything payment implies, each step idempotent; the order is marked settled last. */
export async function settlePaid(order: OrderDoc, now: Date): Promise<void> {
  const paidAt = order.paidAt ? new Date(order.paidAt) : now;
  await confirmHoldings(order._id, now);
  if (order.couponId) await consumeCoupon({ couponId: order.couponId, orderId: order._id }, now);
  await markFirstPaid(order.memberId, paidAt);
  await earnOrderPoints(order, now);
  await writeOrderNotice('order.paid', order._id, order.memberId, orderNoticeData(order), now, now);
  await recordOrderEvent('order_paid', order._id, order, { fen: order.payable, at: paidAt });
  // Last: a late payment's refund moves the order on, and everything above must have happened first.
  if (order.group) await groupSeatHooks(order).settleSeat(order, order.payTime ? new Date(order.payTime) : paidAt, now);
  await updateOrder(order._id, { paidSettledAt: now });
}

/** WeChat Pay's `time_end` (yyyyMMddHHmmss, Beijing time): when the money moved, which may be well before the callback. */
export function payTimeOf(timeEnd: string | null): Date | null {
  const parts = timeEnd ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(timeEnd) : null;
  if (!parts) return null;
  const at = new Date(`${parts[1]}-${parts[2]}-${parts[3]}T${parts[4]}:${parts[5]}:${parts[6]}+08:00`);
  return Number.isNaN(at.getTime()) ? null : at;
}
