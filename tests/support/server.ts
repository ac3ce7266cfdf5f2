import type { TestCloud } from './cloud';

/**
 * Server code run in the test process, through the real wx-server-sdk against the local cloud:
 * for operations no cloud function exposes yet (lockCoupon, consumeCoupon, releaseCoupon — the
 * orders issue will call them) or that a function cannot reach (see coupon-admin.test.ts).
 *
 * `cloud.db()` comes first: it sets the env the SDK reads (TCB_CONTEXT_CNFG pointing at this local
 * cloud, dummy credentials, TCB_ENV) and inits it; server/cloud.ts, imported after, inits the same
 * SDK module again with DYNAMIC_CURRENT_ENV, which resolves to that env. Nothing is mocked.
 */
export async function couponServer(cloud: TestCloud) {
  cloud.db();
  const [lock, consume, release, update] = await Promise.all([
    import('../../server/coupon/lock-coupon'),
    import('../../server/coupon/consume-coupon'),
    import('../../server/coupon/release-coupon'),
    import('../../server/admin/update-coupon-template'),
  ]);
  return {
    lockCoupon: lock.lockCoupon,
    consumeCoupon: consume.consumeCoupon,
    releaseCoupon: release.releaseCoupon,
    updateCouponTemplate: update.updateCouponTemplate,
  };
}
