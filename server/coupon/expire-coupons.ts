import { elapsedMs } from '../clock';
import { expireCoupons, findLapsedCoupons } from './repository';

const BATCH = 200;

/** The scheduler's sweep: usable coupons past their validity become expired, a batch at a time within the budget. */
export async function expireLapsedCoupons(now: Date, budgetMs: number): Promise<{ expired: number; more: boolean }> {
  const started = performance.now();
  let expired = 0;
  while (elapsedMs(started) < budgetMs) {
    const lapsed = await findLapsedCoupons(now, BATCH);
    if (lapsed.length > 0)
      expired += await expireCoupons(
        lapsed.map((coupon) => coupon._id),
        now,
      );
    if (lapsed.length < BATCH) return { expired, more: false };
  }
  return { expired, more: true };
}
