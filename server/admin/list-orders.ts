import type { OrderState } from '../../core/order/transitions';
import { findRecentOrders } from '../order/repository';
import { orderRow } from './order-rows';

const DEFAULT_LIMIT = 50;

/** `listOrders`: orders newest first, optionally one member's, in one state, or the one with a 订单编号. */
export async function listOrders(request: { state?: OrderState; memberId?: string; orderNo?: string; limit?: number }) {
  const orders = await findRecentOrders(
    { state: request.state, memberId: request.memberId, orderNo: request.orderNo },
    request.limit ?? DEFAULT_LIMIT,
  );
  return { orders: orders.map(orderRow) };
}
