import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { claimCoupon, createOrder, docOf, docsOf, makeProduct, runJobs } from '../support/orders';
import { orderServer } from '../support/server';

/**
 * Refunds driven by the scheduler (`driveRefunds`) against a WeChat Pay that fails, answers twice
 * at once, or never calls back: each refund is paid out once, always under its one out_refund_no,
 * and stock and coupon come back once. Each test checks the refund document and the local cloud's
 * payment ledger (what WeChat Pay would hold).
 */
describe('order refunds: retries with the same number, concurrent drivers, lost callbacks', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';
  const MINUTE = 60_000;

  let couponId: string;
  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
    await makeProduct(cloud, 'prd-r', [{ id: 'sku-r', price: 9900, stock: 5 }]);
    await cloud.invoke('member', { action: 'login' }, 'alice');
    couponId = await claimCoupon(cloud, 'alice', 'tpl-refund');
  });

  const stock = async () => (await docOf(cloud, 'skus', 'sku-r')).stock as number;
  const now = async () => new Date((await cloud.client.clock.get()).now);
  const drive = async () => (await runJobs(cloud, ['driveRefunds'])).driveRefunds;
  const faultsLeft = async () => (await cloud.client.faults.list()).faults;
  const ledgerRefunds = async (orderId: string) => (await cloud.client.payments.get(orderId)).payment.refunds;

  /** alice's order (one unit, ¥20 coupon: 7900) paid through the callback, and her refund of it, requested. */
  async function refundRequested(requestId = 'refund-req-0001'): Promise<{ orderId: string; refundId: string }> {
    const created = await createOrder(cloud, 'alice', [{ skuId: 'sku-r', quantity: 1 }], requestId, { coupon: couponId });
    expect(created, JSON.stringify(created)).toMatchObject({ ok: true, data: { order: { payable: 7900 } } });
    const orderId = created.data.order.orderId;
    await cloud.client.payments.settle(orderId);
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'paid' });
    const asked = await cloud.invoke('order', { action: 'requestRefund', orderId, reason: '不想要了' }, 'alice');
    expect(asked, JSON.stringify(asked)).toMatchObject({
      ok: true,
      data: { order: { state: 'refunding' }, refund: { state: 'requested' } },
    });
    expect(await stock()).toBe(4);
    return { orderId, refundId: asked.data.refund.refundId };
  }

  /** After WeChat Pay's success: refunded once, stock and coupon back once, one notice. */
  async function expectRefundedOnce(orderId: string, refundId: string) {
    expect(await docOf(cloud, 'refunds', refundId)).toMatchObject({ state: 'succeeded', returnedAt: expect.anything() });
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'refunded', refunded: 7900 });
    expect(await stock()).toBe(5);
    expect(await docOf(cloud, 'coupons', couponId)).toMatchObject({ state: 'usable', orderId: null });
    expect(await docsOf(cloud, 'notices', { kind: 'refund.succeeded' })).toMatchObject([{ _id: `refund.succeeded:${refundId}` }]);
    const refunds = await ledgerRefunds(orderId);
    expect(refunds.map((r) => [r.outRefundNo, r.refundFee, r.state])).toEqual([[refundId, 7900, 'SUCCESS']]);
  }

  it('fails 3 times (platform error, business FAIL, platform error), backing off between runs, then succeeds with the same out_refund_no', async () => {
    const { orderId, refundId } = await refundRequested();
    const platform = { errCode: -501001, errMsg: 'system busy' };
    await cloud.client.faults.add('cloudPay.refund', platform);
    await cloud.client.faults.add('cloudPay.refund', { resultCode: 'FAIL', errCode: 'SYSTEMERROR', errCodeDes: '系统超时' });
    await cloud.client.faults.add('cloudPay.refund', platform);

    /** One scheduler run now; then the refund document, and how long it waits (ms after the run started). */
    const run = async () => {
      const started = (await now()).getTime();
      const result = (await drive()).result;
      const refund = await docOf(cloud, 'refunds', refundId);
      return { result, refund, waitMs: refund.nextAttemptAt ? new Date(refund.nextAttemptAt).getTime() - started : null };
    };
    const expectWait = (waitMs: number | null, minutes: number) => {
      expect(waitMs).toBeGreaterThanOrEqual(minutes * MINUTE);
      expect(waitMs).toBeLessThan(minutes * MINUTE + 20_000);
    };

    // 1: no answer (platform error): still requested, one attempt, waits a minute.
    const first = await run();
    expect(first.result).toMatchObject({ submitted: 0, retried: 1, failed: 0 });
    expect(first.refund).toMatchObject({ state: 'requested', attempts: 1 });
    expect(first.refund.lastError).toContain('system busy');
    expectWait(first.waitMs, 1);

    // Before the backoff is over a run leaves it alone.
    await cloud.client.clock.advance(30_000);
    expect((await run()).result).toMatchObject({ submitted: 0, retried: 0, failed: 0, busy: 0 });
    expect((await faultsLeft()).length).toBe(2);

    // 2: WeChat Pay refuses (SYSTEMERROR): failed, two attempts, waits 2 minutes.
    await cloud.client.clock.advance(31_000);
    const second = await run();
    expect(second.result).toMatchObject({ submitted: 0, failed: 1 });
    expect(second.refund).toMatchObject({ state: 'failed', attempts: 2, lastError: '系统超时' });
    expectWait(second.waitMs, 2);

    // 3: no answer again: still failed, three attempts, waits 4 minutes.
    await cloud.client.clock.advance(2 * MINUTE + 1000);
    const third = await run();
    expect(third.result).toMatchObject({ submitted: 0, retried: 1 });
    expect(third.refund).toMatchObject({ state: 'failed', attempts: 3 });
    expect(third.refund.lastError).toContain('system busy');
    expectWait(third.waitMs, 4);
    expect(await ledgerRefunds(orderId)).toEqual([]);

    // 4: accepted, under the number it had from the start.
    await cloud.client.clock.advance(4 * MINUTE + 1000);
    const fourth = await run();
    expect(fourth.result).toMatchObject({ submitted: 1 });
    expect(fourth.refund).toMatchObject({ _id: refundId, state: 'submitted', attempts: 4, lastError: null });
    expect(await faultsLeft()).toEqual([]);
    const [recorded, ...others] = await ledgerRefunds(orderId);
    expect(others).toEqual([]);
    expect(recorded).toMatchObject({ outRefundNo: refundId, refundFee: 7900, totalFee: 7900, state: 'PROCESSING' });
    expect(fourth.refund.refundNo).toBe(recorded.refundId);

    await cloud.client.payments.settleRefund(refundId, { result: 'SUCCESS' });
    await expectRefundedOnce(orderId, refundId);
  });

  it('two scheduler runs at once submit the refund once', async () => {
    const { orderId, refundId } = await refundRequested();
    const runs = await Promise.all([runJobs(cloud, ['driveRefunds']), runJobs(cloud, ['driveRefunds'])]);
    const results = runs
      .map((jobs) => jobs.driveRefunds)
      .filter((job) => job.ran)
      .map((job) => job.result);
    expect(results.reduce((sum, result) => sum + result.submitted, 0)).toBe(1);
    expect(await docOf(cloud, 'refunds', refundId)).toMatchObject({ state: 'submitted', attempts: 1 });
    expect((await ledgerRefunds(orderId)).map((r) => r.outRefundNo)).toEqual([refundId]);

    await cloud.client.payments.settleRefund(refundId);
    await expectRefundedOnce(orderId, refundId);
  });

  /**
   * Two scheduler invocations meet the job's lease first (one of them does not run the job at
   * all); this goes under it: three drivers at once — two in the test process, which take no job
   * lease, and the scheduler — so only the refund's own lease keeps them apart.
   */
  it('three refund drivers at once without the job lease between them: one submits, the others find it leased or done', async () => {
    const { orderId, refundId } = await refundRequested();
    const server = await orderServer(cloud);
    const at = await now();
    const [a, b, scheduled] = await Promise.all([
      server.driveRefunds(at, 10_000),
      server.driveRefunds(at, 10_000),
      runJobs(cloud, ['driveRefunds']),
    ]);
    const results = [a, b, scheduled.driveRefunds.result];
    expect(results.reduce((sum, result) => sum + result.submitted, 0)).toBe(1);
    expect(results.reduce((sum, result) => sum + result.failed, 0)).toBe(0);
    expect(await docOf(cloud, 'refunds', refundId)).toMatchObject({ state: 'submitted', attempts: 1, lastError: null });
    expect((await ledgerRefunds(orderId)).map((r) => [r.outRefundNo, r.state])).toEqual([[refundId, 'PROCESSING']]);
    // Every lease was given back.
    expect((await docOf(cloud, 'refunds', refundId)).lease).toBeUndefined();
  });

  it('a lost refund callback: the queryRefund poll settles it two minutes after submission, once', async () => {
    const { orderId, refundId } = await refundRequested();
    expect((await drive()).result).toMatchObject({ submitted: 1 });
    const settled = await cloud.client.payments.settleRefund(refundId, { result: 'SUCCESS', deliveries: 0 });
    expect(settled.deliveries).toEqual([]);

    // Not polled before its time: the refund waits, the order stays refunding.
    await cloud.client.clock.advance(MINUTE);
    expect((await drive()).result).toMatchObject({ succeeded: 0, retried: 0 });
    expect(await docOf(cloud, 'refunds', refundId)).toMatchObject({ state: 'submitted' });
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'refunding' });

    await cloud.client.clock.advance(MINUTE + 5000);
    expect((await drive()).result).toMatchObject({ succeeded: 1 });
    await expectRefundedOnce(orderId, refundId);

    // The callback turns up late after all, and the scheduler runs again: nothing more comes back.
    const late = await cloud.client.payments.settleRefund(refundId, { result: 'SUCCESS' });
    expect(late.deliveries).toMatchObject([{ acked: true, result: { errcode: 0 } }]);
    await cloud.client.clock.advance(10 * MINUTE);
    expect((await drive()).result).toMatchObject({ submitted: 0, succeeded: 0, retried: 0 });
    await expectRefundedOnce(orderId, refundId);
  });

  it('a refund WeChat Pay reports abnormal (CHANGE) is resubmitted with the same number after its wait, then succeeds', async () => {
    const { orderId, refundId } = await refundRequested();
    expect((await drive()).result).toMatchObject({ submitted: 1 });
    const abnormal = await cloud.client.payments.settleRefund(refundId, { result: 'CHANGE' });
    expect(abnormal.deliveries).toMatchObject([{ acked: true, result: { errcode: 0 } }]);
    expect(await docOf(cloud, 'refunds', refundId)).toMatchObject({ state: 'failed', lastError: 'refund status CHANGE', attempts: 1 });
    // Nothing came back for a failed refund.
    expect(await stock()).toBe(4);
    expect(await docOf(cloud, 'coupons', couponId)).toMatchObject({ state: 'used' });

    await cloud.client.clock.advance(MINUTE + 5000);
    expect((await drive()).result).toMatchObject({ submitted: 1 });
    expect(await docOf(cloud, 'refunds', refundId)).toMatchObject({ state: 'submitted', attempts: 2, lastError: null });
    expect((await ledgerRefunds(orderId)).map((r) => [r.outRefundNo, r.state])).toEqual([[refundId, 'PROCESSING']]);

    await cloud.client.payments.settleRefund(refundId, { result: 'SUCCESS', deliveries: 2 });
    await expectRefundedOnce(orderId, refundId);
  });
});
