import { requestDigest } from '../ids';
import { DuetError } from '../../core/errors';
import type { RefundAsk } from '../../core/order/refund';
import { decideOrderRefund } from './plan-order-refund';
import { reserveRefund, type RefundDoc } from './refund-repository';
import { findOrder } from './repository';

/** WeChat Pay's out_refund_no: at most 64 of these. */
const OUT_REFUND_NO = /^[0-9A-Za-z_-]{1,64}$/;

/**
 * An operator's refund's number (its `_id` and out_refund_no): the order id, `-A`, and a hash of
 * the order and the request, so the same requestId names the same refund and another requestId
 * another (58 characters for Duet's 32-character order ids). An order id too long or with other
 * characters is replaced by the hash alone.
 */
export function adminRefundIdOf(orderId: string, requestId: string): string {
  const digest = requestDigest(orderId, requestId);
  const id = `${orderId}-A${digest.slice(0, 24)}`;
  return id.length <= 64 && OUT_REFUND_NO.test(id) ? id : `A${digest.slice(0, 48)}`;
}

export interface AdminRefundInput {
  orderId: string;
  /** Units of lines; absent: everything not refunded yet. */
  lines?: readonly RefundAsk[];
  reason: string;
  requestId: string;
}

/**
 * An operator's refund in any state after payment (paid, shipped, completed, refunding): the whole
 * rest of the order, or some units of some lines. Reserved with the order's bookkeeping in one
 * transaction (`reserveRefund` + `decideOrderRefund`, actor admin), so concurrent refunds never
 * promise more than was paid; the scheduler submits it. The same requestId answers the same refund
 * (`created: false`); the same requestId asking for other units is ALREADY_EXISTS.
 */
export async function reserveAdminRefund(
  input: AdminRefundInput,
  requester: string,
  now: Date,
): Promise<{ refund: RefundDoc; created: boolean }> {
  const order = await findOrder(input.orderId);
  if (!order) throw new DuetError('NOT_FOUND', `no order ${input.orderId}`);
  const refundId = adminRefundIdOf(order._id, input.requestId);
  const answer = await reserveRefund(order._id, (current) =>
    decideOrderRefund(current, {
      refundId,
      ask: input.lines ?? 'all',
      reason: input.reason,
      actor: 'admin',
      requester,
      now,
    }),
  );
  if (!answer.created && !sameAsk(answer.refund, input.lines)) {
    throw new DuetError(
      'ALREADY_EXISTS',
      `requestId ${input.requestId} already made refund ${refundId} (${describeLines(answer.refund)}); use a new requestId for another refund`,
    );
  }
  return answer;
}

/** Whether a refund found by its requestId is what this request asks (units per SKU, or everything). */
function sameAsk(refund: RefundDoc, lines: readonly RefundAsk[] | undefined): boolean {
  if (!lines) return refund.whole;
  const asked = new Map<string, number>();
  for (const line of lines) asked.set(line.skuId, (asked.get(line.skuId) ?? 0) + line.quantity);
  return refund.lines.length === asked.size && refund.lines.every((line) => asked.get(line.skuId) === line.quantity);
}

function describeLines(refund: RefundDoc): string {
  return refund.lines.map((line) => `${line.quantity} × ${line.skuId}`).join(', ') || 'no lines';
}
