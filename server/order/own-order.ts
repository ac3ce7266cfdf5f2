import type { OrderView } from '../../core/contracts/order';
import { DuetError } from '../../core/errors';
import type { OrderState } from '../../core/order/transitions';
import type { Caller } from '../handler';
import { memberOfCaller } from '../member/resolve-member';
import { toOrderView } from './order-view';
import { findOrder, type OrderDoc } from './repository';

/** The member's own order, or NOT_FOUND (another member's order is never shown, nor its existence). */
export async function ownOrder(caller: Caller, orderId: string, now: Date): Promise<OrderDoc> {
  const member = await memberOfCaller(caller, now);
  const order = await findOrder(orderId);
  if (!order || order.memberId !== member._id) throw new DuetError('NOT_FOUND', `order ${orderId} is not the caller's`);
  return order;
}

/**
 * A member's tap that moves their own order to `to` (取消订单, 确认收货): `move` makes the conditional
 * update; a repeat (a double tap, a retry) finds the order already there and answers it; any other
 * state is refused with the Chinese `refusal` for it. Answers the order as it is now.
 */
export async function moveOwnOrder(
  caller: Caller,
  orderId: string,
  to: OrderState,
  move: (order: OrderDoc) => Promise<boolean>,
  refusal: (state: OrderState) => string,
  now: Date,
): Promise<{ order: OrderView }> {
  const order = await ownOrder(caller, orderId, now);
  if (order.state !== to && !(await move(order))) {
    const current = (await findOrder(order._id)) as OrderDoc;
    if (current.state !== to) {
      throw new DuetError('FAILED_PRECONDITION', `order ${order._id} is ${current.state}: it cannot become ${to}`, {
        reason: current.state,
        message: refusal(current.state),
      });
    }
  }
  return { order: await toOrderView((await findOrder(order._id)) as OrderDoc, now) };
}
