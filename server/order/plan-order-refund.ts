import type { RefundAsk } from '../../core/order/refund';
import { planRefund, REFUND_PLAN_MESSAGES } from '../../core/order/refund';
import { type Actor, decideTransition } from '../../core/order/transitions';
import { DuetError } from '../../core/errors';
import type { RefundDecision, RefundDoc } from './refund-repository';
import type { OrderDoc } from './repository';

export interface RefundRequest {
  /** The refund's number (out_refund_no), derived from the request so a repeat finds it. */
  refundId: string;
  ask: 'all' | readonly RefundAsk[];
  reason: string;
  actor: Actor;
  /** The operator or member who asked; null for the system. */
  requester: string | null;
  now: Date;
}

/**
 * The refund decision for an order as it is inside the refund's transaction: who may refund in this
 * state, how much is left to give back (`core/order/refund.ts`), and — when the refund gives back the
 * rest of the order — the move to `refunding`.
 */
export function decideOrderRefund(order: OrderDoc, request: RefundRequest): RefundDecision {
  const refundIds = order.refundIds ?? [];
  if (refundIds.includes(request.refundId)) return { existing: request.refundId };
  const paidStates = ['paid', 'shipped', 'completed', 'refunding'];
  if (!paidStates.includes(order.state) || (request.actor === 'member' && !decideTransition(order.state, 'refund', 'member').ok)) {
    throw new DuetError('FAILED_PRECONDITION', `order ${order._id} is ${order.state}: ${request.actor} may not refund it`, {
      reason: order.state,
      message: request.actor === 'member' && order.state !== 'created' ? '订单已发货，如需退款请联系客服' : '订单当前状态不可退款',
    });
  }
  if (order.group?.state === 'waiting' && request.actor !== 'system') {
    // The seat counts toward the group until it ends: a failed group refunds it by itself.
    throw new DuetError('FAILED_PRECONDITION', `order ${order._id} holds a seat in group ${order.group.groupId}, which is still running`, {
      reason: 'group_running',
      message: '拼团进行中，成团后可申请退款；未成团将自动退款',
    });
  }
  if (order.payable === 0) {
    // Paid with points only: WeChat Pay has nothing to refund; points go back by the operator's adjustPoints.
    throw new DuetError('FAILED_PRECONDITION', `order ${order._id} was paid with points only: nothing to refund through WeChat Pay`, {
      reason: 'paid_in_points',
      message: '积分兑换的商品如需退换请联系客服',
    });
  }
  const plan = planRefund({
    lines: order.lines,
    refundedUnits: order.refundedUnits ?? {},
    refundCount: refundIds.length,
    ask: request.ask,
  });
  if (!plan.ok) {
    throw new DuetError('FAILED_PRECONDITION', `order ${order._id}: refund refused (${plan.reason}${plan.skuId ? ` ${plan.skuId}` : ''})`, {
      reason: plan.reason,
      message: REFUND_PLAN_MESSAGES[plan.reason],
    });
  }
  const refundedUnits = { ...(order.refundedUnits ?? {}) };
  for (const line of plan.lines) refundedUnits[line.skuId] = (refundedUnits[line.skuId] ?? 0) + line.quantity;
  const refund: RefundDoc = {
    _id: request.refundId,
    orderId: order._id,
    memberId: order.memberId,
    state: 'requested',
    amount: plan.amount,
    totalFee: order.payable,
    lines: plan.lines,
    whole: plan.whole,
    reason: request.reason,
    requestedBy: request.actor,
    requester: request.requester,
    attempts: 0,
    lastError: null,
    nextAttemptAt: request.now,
    createdAt: request.now,
  };
  const orderFields: Record<string, unknown> = {
    refundedUnits,
    refundReserved: (order.refundReserved ?? 0) + plan.amount,
    refundIds: [...refundIds, request.refundId],
  };
  if (plan.whole && order.state !== 'refunding') orderFields.state = 'refunding';
  return { refund, orderFields };
}
