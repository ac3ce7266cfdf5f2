import { yuan } from '../../core/coupon/labels';
import { ORDER_DETAIL_PAGE } from '../../core/pages';
import type { OrderDoc } from './repository';

/** What an order's notices carry (display form): the dispatcher fits each value to its keyword. */
export function orderNoticeData(order: Pick<OrderDoc, '_id' | 'lines' | 'payable'>): Record<string, unknown> {
  const first = order.lines[0]?.name ?? '商品';
  return {
    orderId: order._id,
    goods: order.lines.length > 1 ? `${first}等${order.lines.length}件商品` : first,
    amount: yuan(order.payable),
    page: `${ORDER_DETAIL_PAGE}?id=${order._id}`,
  };
}
