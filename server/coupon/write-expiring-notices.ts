import { EXPIRING_SOON_MS } from '../../core/coupon/coupon';
import { describeTerms } from '../../core/coupon/labels';
import { elapsedMs } from '../clock';
import { writeNoticeOnce } from '../notice-repository';
import { findExpiringCoupons, markExpiringNoticed } from './repository';

const BATCH = 100;

/**
 * One `coupon.expiring` notice per coupon entering its last three days (the wallet's "expiring
 * soon"), for the subscription-message dispatcher. The notice's `_id` is the dedupe key, so a run
 * cut off between writing notices and marking coupons writes no second notice when it runs again.
 */
export async function writeExpiringNotices(now: Date, budgetMs: number): Promise<{ written: number; more: boolean }> {
  const started = performance.now();
  const until = new Date(now.getTime() + EXPIRING_SOON_MS);
  let written = 0;
  while (elapsedMs(started) < budgetMs) {
    const coupons = await findExpiringCoupons(now, until, BATCH);
    for (const coupon of coupons) {
      const fresh = await writeNoticeOnce(
        {
          kind: 'coupon.expiring',
          key: coupon._id,
          memberId: coupon.memberId,
          data: {
            couponId: coupon._id,
            templateId: coupon.templateId,
            name: coupon.name,
            summary: describeTerms(coupon.terms).summary,
            validUntil: new Date(coupon.validUntil).toISOString(),
          },
          dueAt: now,
          expiresAt: new Date(coupon.validUntil),
        },
        now,
      );
      if (fresh) written += 1;
    }
    await markExpiringNoticed(
      coupons.map((coupon) => coupon._id),
      now,
    );
    if (coupons.length < BATCH) return { written, more: false };
  }
  return { written, more: true };
}
