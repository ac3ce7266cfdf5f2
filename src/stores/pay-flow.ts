import type { OrderView, PaymentParams } from '../../core/contracts/order';
import { toFailure } from '../services/errors';
import * as orderService from '../services/order';
import { PaymentCancelled, type PaymentParams as SheetParams, requestPayment } from '../services/wechat-sheets';

/**
 * WeChat's sheet saying "paid" is not the order being paid: that happens when WeChat Pay's callback
 * reaches the server, usually within a second. So the page asks again a few times, about a second
 * apart, showing 支付确认中; if the callback is later than that, the order page says so and the
 * scheduler's queryOrder settles it.
 */
export const CONFIRM_POLL_DELAYS_MS: readonly number[] = [0, 1000, 1000, 1000, 1000];

export type PayPhase = 'paying' | 'confirming';

export type PayOutcome =
  /** The server moved the order on (paid, normally). */
  | { kind: 'confirmed'; order: OrderView; serverTime: string }
  /** WeChat said paid, the server has not heard yet: the order page shows 支付确认中. */
  | { kind: 'pending'; order: OrderView | null; serverTime: string | null }
  /** The member closed the sheet: the order waits, unpaid, until its pay-by time. */
  | { kind: 'cancelled' }
  | { kind: 'failed'; message: string };

/** What a 去支付 tap tells the member, from where the payment ended. */
export function payOutcomeAnswer(outcome: PayOutcome): { kind: 'done' | 'failed'; message: string } {
  switch (outcome.kind) {
    case 'confirmed':
      return { kind: 'done', message: '支付成功' };
    case 'pending':
      return { kind: 'done', message: '支付确认中，请稍候' };
    case 'cancelled':
      return { kind: 'failed', message: '支付已取消' };
    default:
      return { kind: 'failed', message: outcome.message };
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What the pay sheet names: the first line and how many more, as WeChat Pay's own receipts do. */
export function payDescription(order: Pick<OrderView, 'lines'>): string {
  const first = order.lines[0]?.name ?? '商品';
  return order.lines.length > 1 ? `${first}等${order.lines.length}件` : first;
}

/** Opens the pay sheet for an order the server prepared, then waits briefly for the server to see it paid. */
export async function payAndConfirm(order: OrderView, payment: PaymentParams, onPhase: (phase: PayPhase) => void): Promise<PayOutcome> {
  onPhase('paying');
  try {
    await requestPayment(payment as SheetParams, {
      outTradeNo: order.orderId,
      totalFee: order.payable,
      description: payDescription(order),
    });
  } catch (error) {
    if (error instanceof PaymentCancelled) return { kind: 'cancelled' };
    toFailure(error, 'requestPayment');
    return { kind: 'failed', message: '支付未完成，请稍后重新支付' };
  }
  onPhase('confirming');
  return confirmPayment(order.orderId);
}

/** Asks the server about an order WeChat says is paid until it agrees, or the few seconds are up. */
export async function confirmPayment(orderId: string): Promise<Extract<PayOutcome, { kind: 'confirmed' | 'pending' }>> {
  let last: { order: OrderView; serverTime: string } | null = null;
  for (const delay of CONFIRM_POLL_DELAYS_MS) {
    if (delay > 0) await sleep(delay);
    try {
      last = await orderService.detail(orderId);
      if (last.order.state !== 'created') return { kind: 'confirmed', ...last };
    } catch (error) {
      // One lost answer is no reason to stop asking.
      toFailure(error, 'order.detail');
    }
  }
  return { kind: 'pending', order: last?.order ?? null, serverTime: last?.serverTime ?? null };
}
