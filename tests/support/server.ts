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

/**
 * The order side of the server in the test process (same SDK setup as `couponServer`), with the
 * functions' payment settings from the local cloud's environment, so a cloudPay call made here is
 * exactly the one a function makes: for a refund submitted by a run that died before it recorded
 * the outcome, and for two refund drivers racing without the scheduler's job lease in between.
 */
export async function orderServer(cloud: TestCloud) {
  cloud.db();
  const { functionEnv } = await import('../../emulator/src/context');
  const env = functionEnv(cloud.emulator.ctx);
  process.env.DUET_PAY_SUB_MCH_ID = env.DUET_PAY_SUB_MCH_ID;
  const [payApi, drive] = await Promise.all([import('../../server/order/pay-api'), import('../../server/order/drive-refunds')]);
  return { refund: payApi.refund, driveRefunds: drive.driveRefunds };
}

/**
 * The points mall's steps in the test process (same SDK setup as `couponServer`): an exchange run
 * step by step, to leave exactly what a function that died at a given step leaves behind.
 */
export async function pointsServer(cloud: TestCloud) {
  cloud.db();
  const [exchange, repository] = await Promise.all([import('../../server/points/exchange-item'), import('../../server/points/repository')]);
  return {
    newExchangeDoc: exchange.newExchangeDoc,
    issueExchangeCoupon: exchange.issueExchangeCoupon,
    findItem: repository.findItem,
    insertExchange: repository.insertExchange,
    takeItemStock: repository.takeItemStock,
    updateExchange: repository.updateExchange,
    spendForExchange: repository.spendForExchange,
  };
}
