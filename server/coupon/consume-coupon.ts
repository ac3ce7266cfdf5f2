import { DuetError } from '../../core/errors';
import { findCoupon, moveLockedCoupon } from './repository';

/**
 * The order holding the coupon was paid: locked → used. Idempotent (a pay callback delivered twice
 * consumes once); a coupon this order does not hold is an error the caller must look at.
 */
export async function consumeCoupon(hold: { couponId: string; orderId: string }, now: Date): Promise<void> {
  if (await moveLockedCoupon(hold.couponId, hold.orderId, 'used', { usedAt: now })) return;
  const coupon = await findCoupon(hold.couponId);
  if (coupon?.state === 'used' && coupon.orderId === hold.orderId) return;
  throw new DuetError(
    'FAILED_PRECONDITION',
    `coupon ${hold.couponId} is not held by order ${hold.orderId} (state ${coupon?.state ?? 'missing'}, order ${coupon?.orderId ?? 'none'})`,
  );
}
