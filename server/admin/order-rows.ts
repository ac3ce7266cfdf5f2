import { shipmentView } from '../order/order-view';
import type { OrderDoc, PaymentIssueDoc } from '../order/repository';
import type { RefundDoc } from '../order/refund-repository';

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null);

/** An order as the console lists it (money in fen). */
export function orderRow(order: OrderDoc) {
  return {
    id: order._id,
    orderNo: order.orderNo,
    memberId: order.memberId,
    state: order.state,
    payable: order.payable,
    refunded: order.refunded ?? 0,
    lines: order.lines.map((line) => ({
      skuId: line.skuId,
      name: line.name,
      quantity: line.quantity,
      payable: line.payable,
      refundedUnits: order.refundedUnits?.[line.skuId] ?? 0,
    })),
    couponId: order.couponId ?? null,
    createdAt: new Date(order.createdAt).toISOString(),
    paidAt: iso(order.paidAt),
    shipment: shipmentView(order),
    autoCompleteAt: iso(order.autoCompleteAt),
  };
}

/** A refund as the console shows it: where it is, how often it was tried and what went wrong last. */
export function refundRow(refund: RefundDoc) {
  return {
    id: refund._id,
    orderId: refund.orderId,
    state: refund.state,
    amount: refund.amount,
    reason: refund.reason,
    requestedBy: refund.requestedBy,
    requester: refund.requester ?? null,
    attempts: refund.attempts,
    lastError: refund.lastError ?? null,
    createdAt: new Date(refund.createdAt).toISOString(),
    nextAttemptAt: iso(refund.nextAttemptAt),
  };
}

export function paymentIssueRow(issue: PaymentIssueDoc) {
  return {
    id: issue._id,
    kind: issue.kind,
    outTradeNo: issue.outTradeNo,
    totalFee: issue.totalFee,
    detail: issue.detail,
    refundId: issue.refundId ?? null,
    createdAt: new Date(issue.createdAt).toISOString(),
  };
}
