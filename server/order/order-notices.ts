import { yuan } from '../../core/coupon/labels';
import { ORDER_DETAIL_PAGE } from '../../core/pages';
import { eventId } from '../../core/funnel/events';
import { recordFunnelEvent } from '../member/event-repository';
import { writeNoticeOnce } from '../notice-repository';
import type { OrderDoc } from './repository';

/** An order's notice stays worth sending this long after it is due. */
const NOTICE_TTL_MS = 3 * 24 * 3600_000;

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

/**
 * Writes one of the order notices (`order.paid`, `order.shipped`, `refund.succeeded`) once: its `_id`
 * is `<kind>:<key>`, so a repeated callback or a rerun writes nothing new. True when this call wrote it.
 */
export function writeOrderNotice(
  kind: 'order.paid' | 'order.shipped' | 'refund.succeeded' | 'review.invite',
  key: string,
  memberId: string,
  data: Record<string, unknown>,
  dueAt: Date,
  now: Date,
): Promise<boolean> {
  return writeNoticeOnce({ kind, key, memberId, data, dueAt, expiresAt: new Date(dueAt.getTime() + NOTICE_TTL_MS) }, now);
}

/**
 * Writes one of the order funnel events once, `_id` `<kind>:<key>`: `order_created` and `order_paid`
 * per order, `order_refunded` per refund, with the fen it moved and the order's own times, so the
 * funnel reads them without knowing orders. Credited to what the order was made under (kept on the
 * order), so its payment and every refund land on the same touch; an order from before orders kept
 * it is credited to its member's touches as they are now.
 */
export function recordOrderEvent(
  kind: 'order_created' | 'order_paid' | 'order_refunded',
  key: string,
  order: Pick<OrderDoc, '_id' | 'memberId' | 'createdAt' | 'credit' | 'group' | 'exchange' | 'prize' | 'bargain'>,
  fields: { fen: number; at: Date; [field: string]: unknown },
): Promise<boolean> {
  const type = order.group ? 'group' : order.exchange ? 'exchange' : order.prize ? 'prize' : order.bargain ? 'bargain' : 'shop';
  return recordFunnelEvent(
    { _id: eventId(kind, key), kind, orderId: order._id, orderAt: order.createdAt, orderType: type, ...fields },
    { memberId: order.memberId, credit: order.credit },
  );
}
