import type { OrderView } from '../../core/contracts/order';
import { type Actor, type OrderEvent, statesAllowing } from '../../core/order/transitions';
import type { Caller } from '../handler';
import { log } from '../log';
import { applyPayment } from './apply-payment';
import { moveOwnOrder } from './own-order';
import { closeOrder, queryOrder } from './pay-api';
import { releaseHoldings } from './release-order';
import { moveOrder, type OrderDoc, updateOrder } from './repository';

/**
 * created → cancelled (the member's 取消订单, or `expire` when the payment window ran out), one
 * conditional update; then the prepay is closed so it can no longer be paid, and stock and coupon go
 * back. A payment that still slips through is refunded by the pay callback. True when this call
 * cancelled it.
 */
export async function cancelOrder(
  order: OrderDoc,
  event: Extract<OrderEvent, 'cancel' | 'expire'>,
  actor: Actor,
  now: Date,
): Promise<boolean> {
  const from = statesAllowing(event, actor);
  const moved = await moveOrder(order._id, from, 'cancelled', {
    cancelledAt: now,
    cancelReason: event === 'expire' ? 'pay_window_elapsed' : `${actor}_cancelled`,
  });
  if (!moved) return false;
  await releaseHoldings(order, now, true);
  if (order.payment) await closePrepay(order, now);
  return true;
}

/**
 * Closes the order's prepay so it can no longer be paid, and marks it closed (`prepayClosedAt`) once
 * WeChat Pay says so. Best effort after the cancel itself: if WeChat Pay does not answer, the order
 * stays unmarked and the `expireOrders` sweep closes it again — a payment made meanwhile is then
 * found even when all its callbacks were lost ("already paid": applied to the cancelled order, i.e.
 * refunded), never kept.
 */
export async function closePrepay(order: OrderDoc, now: Date): Promise<void> {
  try {
    const closed = await closeOrder(order._id);
    if (!closed.ok && closed.kind === 'already_paid') {
      // Paid before the close: the payment is applied to the cancelled order, i.e. refunded.
      const trade = await queryOrder(order._id);
      if (!trade.ok) return;
      await applyPayment({ outTradeNo: order._id, ...trade.value }, now);
    } else if (!closed.ok && closed.kind === 'other') {
      log('warn', { event: 'closeOrder refused', orderId: order._id, errCodeDes: closed.errCodeDes });
      return;
    }
    // Closed now or before, or never known to WeChat Pay: no payment can come any more.
    await updateOrder(order._id, { prepayClosedAt: now });
  } catch (error) {
    log('warn', { event: 'closeOrder failed', orderId: order._id, error: error instanceof Error ? error.message : String(error) });
  }
}

export function cancelOwnOrder(caller: Caller, input: { orderId: string }, now: Date): Promise<{ order: OrderView }> {
  return moveOwnOrder(
    caller,
    input.orderId,
    'cancelled',
    (order) => cancelOrder(order, 'cancel', 'member', now),
    (state) => (state === 'paid' ? '订单已支付，如需取消请申请退款' : '订单当前状态不可取消'),
    now,
  );
}
