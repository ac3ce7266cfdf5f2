import type { RefundState } from './refund';
import type { OrderState } from './transitions';

/**
 * What a member reads for an order's state, in one place for the app's pages (and any message
 * that names a state). `reserving` never reaches the member's lists; it reads as in progress.
 */
export const ORDER_STATE_LABELS: Record<OrderState, string> = {
  reserving: '处理中',
  created: '待付款',
  paid: '待发货',
  shipped: '待收货',
  completed: '已完成',
  cancelled: '已取消',
  refunding: '退款中',
  refunded: '已退款',
};

export const REFUND_STATE_LABELS: Record<RefundState, string> = {
  requested: '退款处理中',
  submitted: '退款处理中',
  // A failed attempt is retried with the same number: to the member it is still on its way.
  failed: '退款处理中',
  succeeded: '退款成功',
};
