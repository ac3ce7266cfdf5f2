import type { LocalJob } from '../../core/contracts/scheduler';
import type { Job } from './run-jobs';
import { expireLapsedCoupons } from '../coupon/expire-coupons';
import { reconcileCouponStock } from '../coupon/reconcile-stock';
import { writeExpiringNotices } from '../coupon/write-expiring-notices';
import { sweepMerges } from '../member/merge-members';
import { removeExpiredNonces } from '../mp/nonce-repository';
import { completeShippedOrders } from '../order/complete-orders';
import { driveRefunds } from '../order/drive-refunds';
import { expireGroups } from '../groupbuy/expire-groups';
import { expireOrders } from '../order/expire-orders';
import { reconcileSkuStock } from '../order/reconcile-sku-stock';

/** The jobs the scheduler runs itself; the others run in the function `JOB_HOSTS` names. */
export const JOBS: Record<LocalJob, Job> = {
  settleMerges: { budgetMs: 20_000, run: async (now) => ({ ...(await sweepMerges(now)) }) },
  forgetNonces: { budgetMs: 5_000, run: async (now) => ({ removed: await removeExpiredNonces(now) }) },
  expireCoupons: { budgetMs: 10_000, run: async (now, _requestId, budgetMs) => ({ ...(await expireLapsedCoupons(now, budgetMs)) }) },
  reconcileCoupons: { budgetMs: 10_000, run: async (now, _requestId, budgetMs) => ({ ...(await reconcileCouponStock(now, budgetMs)) }) },
  couponExpiringNotices: {
    budgetMs: 10_000,
    run: async (now, _requestId, budgetMs) => ({ ...(await writeExpiringNotices(now, budgetMs)) }),
  },
  // Before the order sweep: a group's outcome first, then the orders it cancelled or refunded move on.
  expireGroups: { budgetMs: 15_000, run: async (now, _requestId, budgetMs) => ({ ...(await expireGroups(now, budgetMs)) }) },
  expireOrders: { budgetMs: 15_000, run: async (now, _requestId, budgetMs) => ({ ...(await expireOrders(now, budgetMs)) }) },
  driveRefunds: { budgetMs: 15_000, run: async (now, _requestId, budgetMs) => ({ ...(await driveRefunds(now, budgetMs)) }) },
  reconcileSkuStock: { budgetMs: 5_000, run: async (now, _requestId, budgetMs) => ({ ...(await reconcileSkuStock(now, budgetMs)) }) },
  completeOrders: { budgetMs: 5_000, run: async (now, _requestId, budgetMs) => ({ ...(await completeShippedOrders(now, budgetMs)) }) },
};
