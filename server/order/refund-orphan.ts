import { type PaymentFacts, recordIssue } from './record-payment-issue';
import { insertRefund } from './refund-repository';
import type { OrderDoc, PaymentIssueDoc } from './repository';

/**
 * Money that arrived for no order that can take it (unknown, or cancelled before the payment came):
 * never kept, never lost. A refund of the whole payment is written as an intent (the scheduler's
 * `driveRefunds` submits it) and the payment is recorded for operators. Its number derives from the
 * payment, so a callback delivered again writes nothing new.
 */
export async function refundPaymentWithoutOrder(
  facts: PaymentFacts,
  kind: Exclude<PaymentIssueDoc['kind'], 'amount_mismatch'>,
  detail: string,
  now: Date,
  order?: OrderDoc,
): Promise<string> {
  const refundId = `${facts.outTradeNo}-LATE`;
  await insertRefund({
    _id: refundId,
    orderId: facts.outTradeNo,
    memberId: order?.memberId ?? null,
    state: 'requested',
    amount: facts.totalFee,
    totalFee: facts.totalFee,
    lines: [],
    whole: true,
    reason: kind === 'paid_after_cancel' ? '订单已取消，款项自动退回' : '未找到对应订单，款项自动退回',
    requestedBy: 'system',
    requester: null,
    attempts: 0,
    lastError: null,
    nextAttemptAt: now,
    createdAt: now,
  });
  await recordIssue(facts, kind, detail, now, refundId);
  return refundId;
}
