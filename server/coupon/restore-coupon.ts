import { findCoupon, moveUsedCoupon } from './repository';

/**
 * The order that used the coupon was refunded in whole: used → usable again (or → expired when its
 * validity ran out meanwhile), back in the member's wallet. Idempotent: a coupon this order no longer
 * holds as used is left alone. True when this call gave it back.
 */
export async function restoreCoupon(hold: { couponId: string; orderId: string }, now: Date): Promise<boolean> {
  const coupon = await findCoupon(hold.couponId);
  if (coupon?.state !== 'used' || coupon.orderId !== hold.orderId) return false;
  const lapsed = new Date(coupon.validUntil).getTime() < now.getTime();
  return moveUsedCoupon(
    hold.couponId,
    hold.orderId,
    lapsed ? 'expired' : 'usable',
    lapsed ? { orderId: null, restoredAt: now, expiredAt: now } : { orderId: null, restoredAt: now },
  );
}
