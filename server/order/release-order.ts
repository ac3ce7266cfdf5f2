import { releaseCoupon } from '../coupon/release-coupon';
import { giveBackSkuStock } from '../shop/repository';
import { groupSeatHooks } from './group-seat-hooks';
import { findReservations, flipReservation, moveOrder, type OrderDoc, updateOrder } from './repository';

/**
 * Gives back what an order holds: each held reservation flips to released once and only that flip
 * returns its stock; the coupon goes back to the wallet. Runs any number of times (a cancel, the
 * sweep, a retry after a timeout) and gives back once.
 */
export async function releaseHoldings(
  order: OrderDoc,
  now: Date,
  /** Mark the (cancelled) order released, so the sweep stops looking at it. */
  mark = false,
): Promise<{ units: number; coupon: boolean }> {
  let units = 0;
  for (const reservation of await findReservations(order._id)) {
    if (reservation.state !== 'held') continue;
    if (await flipReservation(reservation._id, 'released', now)) {
      await giveBackSkuStock(reservation.skuId, reservation.quantity, now);
      units += reservation.quantity;
    }
  }
  const coupon = order.couponId ? await releaseCoupon({ couponId: order.couponId, orderId: order._id }, now) : false;
  if (order.group) await groupSeatHooks(order).releaseSeat(order, now);
  if (mark) await updateOrder(order._id, { releasedAt: now });
  return { units, coupon };
}

/** Payment confirmed: the order's reservations become sold stock (held → confirmed, once). */
export async function confirmHoldings(orderId: string, now: Date): Promise<void> {
  for (const reservation of await findReservations(orderId)) {
    if (reservation.state === 'held') await flipReservation(reservation._id, 'confirmed', now);
  }
}

/**
 * An order that never got past `reserving` (a refusal while reserving, or a create that died):
 * what it took goes back, then reserving → cancelled. True when this call cancelled it.
 */
export async function abandonReserving(order: OrderDoc, reason: 'reserve_failed' | 'reserve_abandoned', now: Date): Promise<boolean> {
  await releaseHoldings(order, now);
  return moveOrder(order._id, ['reserving'], 'cancelled', { cancelledAt: now, cancelReason: reason, releasedAt: now });
}
