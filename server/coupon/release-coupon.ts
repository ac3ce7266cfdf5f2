import { findCoupon, moveLockedCoupon } from './repository';

/**
 * The order holding the coupon was cancelled or timed out: locked → usable again, or → expired when
 * its validity ran out meanwhile. Runs any number of times and gives back once; a coupon this order
 * no longer holds is left alone. True when this call released it.
 */
export async function releaseCoupon(hold: { couponId: string; orderId: string }, now: Date): Promise<boolean> {
  const coupon = await findCoupon(hold.couponId);
  if (coupon?.state !== 'locked' || coupon.orderId !== hold.orderId) return false;
  const lapsed = new Date(coupon.validUntil).getTime() < now.getTime();
  return moveLockedCoupon(
    hold.couponId,
    hold.orderId,
    lapsed ? 'expired' : 'usable',
    lapsed ? { orderId: null, releasedAt: now, expiredAt: now } : { orderId: null, releasedAt: now },
  );
}
