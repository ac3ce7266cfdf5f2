import { REVIEW_WRITE_PAGE } from '../../../core/pages';
import { orderNoticeData, writeOrderNotice } from '../../order/order-notices';
import { findOrder } from '../../order/repository';

/**
 * The `review.invite` notice of a completed order, once (`review.invite:<orderId>`): it opens the
 * write page of the order's first line (the page offers the other lines).
 */
export async function writeReviewInvite(orderId: string, now: Date): Promise<boolean> {
  const order = await findOrder(orderId);
  if (order?.state !== 'completed') return false;
  return writeOrderNotice(
    'review.invite',
    order._id,
    order.memberId,
    { ...orderNoticeData(order), orderNo: order.orderNo, page: `${REVIEW_WRITE_PAGE}?orderId=${encodeURIComponent(order._id)}&line=0` },
    now,
    now,
  );
}
