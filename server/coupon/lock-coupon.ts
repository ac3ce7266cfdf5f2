import { INAPPLICABLE_MESSAGES } from '../../core/coupon/apply-coupons';
import { effectiveCouponState } from '../../core/coupon/coupon';
import { DuetError } from '../../core/errors';
import { findCoupon, lockCouponForOrder } from './repository';

export interface CouponHold {
  couponId: string;
  memberId: string;
  orderId: string;
}

/**
 * Holds a member's usable coupon for an order: usable → locked, one conditional write, so of two
 * orders locking one coupon at once exactly one wins. Idempotent: locking again for the same order
 * succeeds. Refusals name why (used, held by another order, expired, not yet valid).
 */
export async function lockCoupon(hold: CouponHold, now: Date): Promise<void> {
  if (await lockCouponForOrder(hold.couponId, hold.memberId, hold.orderId, now)) return;
  const coupon = await findCoupon(hold.couponId);
  if (!coupon || coupon.memberId !== hold.memberId)
    throw new DuetError('NOT_FOUND', `coupon ${hold.couponId} is not member ${hold.memberId}'s`);
  if (coupon.state === 'locked' && coupon.orderId === hold.orderId) return;
  const state = effectiveCouponState(coupon, now);
  const reason = state === 'usable' ? 'not_yet_valid' : state;
  throw new DuetError('FAILED_PRECONDITION', `coupon ${hold.couponId} cannot be locked for order ${hold.orderId}: ${reason}`, {
    reason,
    message: INAPPLICABLE_MESSAGES[reason],
  });
}
