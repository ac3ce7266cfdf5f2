import type { OrderView, PaymentParams } from '../../core/contracts/order';
import { DuetError } from '../../core/errors';
import { ORDER_STATES, type OrderState } from '../../core/order/transitions';
import type { Caller } from '../handler';
import { memberOfCaller } from '../member/resolve-member';
import { ownOrder } from './own-order';
import { requestPrepay } from './create-order';
import { toOrderView, toOrderViews } from './order-view';
import { countMemberOrders, listMemberOrders } from './repository';

export async function listOrders(
  caller: Caller,
  input: { state?: OrderState },
  now: Date,
): Promise<{ orders: OrderView[]; serverTime: string }> {
  const member = await memberOfCaller(caller, now);
  const orders = (await listMemberOrders(member._id, input.state)).filter((order) => order.state !== 'reserving');
  return { orders: await toOrderViews(orders, now), serverTime: now.toISOString() };
}

export async function showOrder(caller: Caller, input: { orderId: string }, now: Date): Promise<{ order: OrderView; serverTime: string }> {
  const order = await ownOrder(caller, input.orderId, now);
  return { order: await toOrderView(order, now), serverTime: now.toISOString() };
}

/** The member center's counts by state (states with no orders are 0). */
export async function countOrders(caller: Caller, now: Date): Promise<{ counts: Record<string, number> }> {
  const member = await memberOfCaller(caller, now);
  const found = await countMemberOrders(member._id);
  return { counts: Object.fromEntries(ORDER_STATES.filter((state) => state !== 'reserving').map((state) => [state, found[state] ?? 0])) };
}

/** 去支付 on an unpaid order: the prepay it already has (or a new ask for one, same out_trade_no). */
export async function payOrder(
  caller: Caller,
  input: { orderId: string },
  now: Date,
): Promise<{ order: OrderView; payment: PaymentParams }> {
  const order = await ownOrder(caller, input.orderId, now);
  if (order.state !== 'created' || new Date(order.payBy).getTime() <= now.getTime()) {
    throw new DuetError('FAILED_PRECONDITION', `order ${order._id} is ${order.state}, pay by ${new Date(order.payBy).toISOString()}`, {
      reason: order.state === 'created' ? 'pay_window_elapsed' : order.state,
      message: order.state === 'created' ? '订单已超时，请重新下单' : '订单当前状态无需支付',
    });
  }
  const payment = await requestPrepay(order);
  if (!payment) throw new DuetError('UNAVAILABLE', `WeChat Pay gave no prepay for order ${order._id}`);
  return { order: await toOrderView(order, now), payment };
}
