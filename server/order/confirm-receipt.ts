import type { OrderView } from '../../core/contracts/order';
import { DuetError } from '../../core/errors';
import { type Actor, statesAllowing } from '../../core/order/transitions';
import type { Caller } from '../handler';
import { ownOrder } from './cancel-order';
import { toOrderView } from './order-view';
import { findOrder, moveOrder, type OrderDoc } from './repository';

/** shipped → completed: the member's 确认收货, or the scheduler N days after shipment. True when this call moved it. */
export function completeOrder(orderId: string, actor: Actor, now: Date): Promise<boolean> {
  return moveOrder(orderId, statesAllowing('complete', actor), 'completed', { completedAt: now });
}

export async function confirmReceipt(caller: Caller, input: { orderId: string }, now: Date): Promise<{ order: OrderView }> {
  const order = await ownOrder(caller, input.orderId, now);
  if (order.state !== 'completed' && !(await completeOrder(order._id, 'member', now))) {
    const current = (await findOrder(order._id)) as OrderDoc;
    if (current.state !== 'completed') {
      throw new DuetError('FAILED_PRECONDITION', `order ${order._id} is ${current.state}: receipt cannot be confirmed`, {
        reason: current.state,
        message: '订单尚未发货，暂不能确认收货',
      });
    }
  }
  return { order: await toOrderView((await findOrder(order._id)) as OrderDoc, now) };
}
