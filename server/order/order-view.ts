import type { OrderView, RefundView } from '../../core/contracts/order';
import { decideTransition } from '../../core/order/transitions';
import { tempUrlMap } from '../file-urls';
import type { OrderDoc } from './repository';
import { findOrderRefunds, type RefundDoc } from './refund-repository';

const iso = (value: Date | string | undefined | null) => (value ? new Date(value).toISOString() : null);

/** The shipment as views show it (the app's order and the console's row). */
export function shipmentView(order: Pick<OrderDoc, 'shipment'>) {
  const { shipment } = order;
  return shipment
    ? { carrier: shipment.carrier, trackingNo: shipment.trackingNo, shippedAt: new Date(shipment.shippedAt).toISOString() }
    : null;
}

export function toRefundView(refund: RefundDoc): RefundView {
  return {
    refundId: refund._id,
    state: refund.state,
    amount: refund.amount,
    reason: refund.reason,
    createdAt: new Date(refund.createdAt).toISOString(),
    succeededAt: iso(refund.succeededAt),
  };
}

/** Orders as the member sees them: with their refunds, line images as URLs and what may be done now. */
export async function toOrderViews(orders: readonly OrderDoc[], now: Date, known?: readonly RefundDoc[]): Promise<OrderView[]> {
  if (orders.length === 0) return [];
  const refunds = known ?? (await findOrderRefunds(orders.map((order) => order._id)));
  const urlOf = await tempUrlMap(orders.flatMap((order) => order.lines.map((line) => line.imageFileId)));
  return orders.map((order) => {
    const own = refunds.filter((refund) => refund.orderId === order._id);
    const openRefund = own.some((refund) => refund.state !== 'succeeded');
    return {
      orderId: order._id,
      orderNo: order.orderNo,
      state: order.state,
      lines: order.lines.map(({ imageFileId, ...line }) => ({ ...line, imageUrl: (imageFileId && urlOf.get(imageFileId)) || null })),
      subtotal: order.subtotal,
      discount: order.discount,
      payable: order.payable,
      couponId: order.couponId,
      address: order.address,
      createdAt: new Date(order.createdAt).toISOString(),
      payBy: new Date(order.payBy).toISOString(),
      paidAt: iso(order.paidAt),
      cancelledAt: iso(order.cancelledAt),
      shipment: shipmentView(order),
      autoCompleteAt: iso(order.autoCompleteAt),
      completedAt: iso(order.completedAt),
      refunded: own.filter((refund) => refund.state === 'succeeded').reduce((sum, refund) => sum + refund.amount, 0),
      refunds: own.map(toRefundView),
      group: order.group ? { groupId: order.group.groupId, activityId: order.group.activityId, state: order.group.state } : null,
      can: {
        pay: order.state === 'created' && new Date(order.payBy).getTime() > now.getTime(),
        cancel: decideTransition(order.state, 'cancel', 'member').ok,
        confirmReceipt: decideTransition(order.state, 'complete', 'member').ok,
        requestRefund:
          decideTransition(order.state, 'refund', 'member').ok &&
          !openRefund &&
          (order.refundReserved ?? 0) === 0 &&
          order.group?.state !== 'waiting' &&
          order.payable > 0,
      },
      ...(order.exchange ? { points: order.exchange.points } : {}),
    };
  });
}

export async function toOrderView(order: OrderDoc, now: Date, refunds?: readonly RefundDoc[]): Promise<OrderView> {
  const [view] = await toOrderViews([order], now, refunds);
  return view;
}
