import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { claimCoupon, createOrder, docOf, docsOf, makeProduct, runJobs } from '../support/orders';
import { orderServer } from '../support/server';

/**
 * The pay callback (`payNotify`) as WeChat Pay really behaves: callbacks delivered several times,
 * lost, late (after the order was cancelled), forged or tampered with, and a refund callback that
 * overtakes the record of its own submission. Each test checks what the database holds after it.
 */
describe('order payment: callbacks delivered twice, lost, late or forged', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';
  const MINUTE = 60_000;

  let couponId: string;
  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
    await makeProduct(cloud, 'prd-p', [{ id: 'sku-p', price: 9900, stock: 5 }]);
    await cloud.invoke('member', { action: 'login' }, 'alice');
    couponId = await claimCoupon(cloud, 'alice', 'tpl-pay');
  });

  /** alice's order of one unit with her ¥20 coupon: payable 7900. */
  async function aliceOrder(requestId = 'pay-req-0001'): Promise<{ orderId: string; memberId: string }> {
    const created = await createOrder(cloud, 'alice', [{ skuId: 'sku-p', quantity: 1 }], requestId, { coupon: couponId });
    expect(created, JSON.stringify(created)).toMatchObject({ ok: true, data: { order: { state: 'created', couponId, payable: 7900 } } });
    const order = await docOf(cloud, 'orders', created.data.order.orderId);
    expect(await docOf(cloud, 'coupons', couponId)).toMatchObject({ state: 'locked', orderId: order._id });
    expect(await stock()).toBe(4);
    return { orderId: order._id, memberId: order.memberId };
  }
  const stock = async () => (await docOf(cloud, 'skus', 'sku-p')).stock as number;
  const count = async (collection: string, where: Record<string, unknown>) => (await docsOf(cloud, collection, where)).length;

  /** What a pay callback must leave once, whatever came before or after. */
  async function expectPaidOnce(orderId: string, memberId: string) {
    const order = await docOf(cloud, 'orders', orderId);
    const { payment } = await cloud.client.payments.get(orderId);
    expect(order).toMatchObject({ state: 'paid', transactionId: payment.transactionId, paidSettledAt: expect.anything() });
    expect(await docOf(cloud, 'coupons', couponId)).toMatchObject({ state: 'used', orderId });
    expect(await docsOf(cloud, 'stock_reservations', { orderId })).toMatchObject([{ state: 'confirmed', quantity: 1 }]);
    expect(await stock()).toBe(4);
    expect(await docsOf(cloud, 'notices', { kind: 'order.paid' })).toMatchObject([{ _id: `order.paid:${orderId}`, memberId }]);
    expect(await docsOf(cloud, 'events', { kind: 'order_paid' })).toMatchObject([
      { _id: `order_paid:${orderId}`, orderId, memberId, fen: 7900 },
    ]);
    expect((await docOf(cloud, 'members', memberId)).firstPaidAt).toEqual(order.paidAt);
    return order;
  }

  it('a callback delivered 5 times pays once: one coupon consumed, one notice, one pay event, every delivery acknowledged', async () => {
    const { orderId, memberId } = await aliceOrder();
    const settled = await cloud.client.payments.settle(orderId, { deliveries: 5 });
    expect(settled.deliveries).toHaveLength(5);
    for (const delivery of settled.deliveries) expect(delivery).toMatchObject({ acked: true, result: { errcode: 0 } });
    const first = await expectPaidOnce(orderId, memberId);
    // The local cloud's clock runs on from NOW (real time): paid within the seconds the test took.
    expect(new Date(first.paidAt).getTime() - Date.parse(NOW)).toBeLessThan(30_000);

    // Two more, a minute later: still acknowledged, and nothing moves (paidAt, settled mark, counts).
    await cloud.client.clock.advance(MINUTE);
    const later = await cloud.client.payments.settle(orderId, { deliveries: 2 });
    for (const delivery of later.deliveries) expect(delivery).toMatchObject({ acked: true, result: { errcode: 0 } });
    const again = await expectPaidOnce(orderId, memberId);
    expect(again.paidAt).toEqual(first.paidAt);
    expect(again.paidSettledAt).toEqual(first.paidSettledAt);
    expect(await count('payment_issues', {})).toBe(0);
  });

  it('a lost callback (deliveries: 0): after the payment window the expireOrders sweep asks queryOrder and marks it paid, not cancelled', async () => {
    const { orderId, memberId } = await aliceOrder();
    const settled = await cloud.client.payments.settle(orderId, { deliveries: 0 });
    expect(settled.payment).toMatchObject({ state: 'SUCCESS', deliveries: [] });
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'created' });

    // Inside the window the sweep leaves it alone.
    await cloud.client.clock.advance(5 * MINUTE);
    expect((await runJobs(cloud, ['expireOrders'])).expireOrders.result).toMatchObject({ expired: 0, paidByQuery: 0 });
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'created' });

    await cloud.client.clock.advance(11 * MINUTE);
    expect((await runJobs(cloud, ['expireOrders'])).expireOrders.result).toMatchObject({ expired: 0, paidByQuery: 1 });
    const order = await expectPaidOnce(orderId, memberId);
    expect(order.cancelledAt).toBeUndefined();
    expect(await count('payment_issues', {})).toBe(0);
    // The payment is still open at WeChat Pay (not closed) and the sweep does not come back to it.
    expect((await cloud.client.payments.get(orderId)).payment.state).toBe('SUCCESS');
    expect((await runJobs(cloud, ['expireOrders'])).expireOrders.result).toMatchObject({ expired: 0, paidByQuery: 0, settled: 0 });
  });

  /**
   * The payment window ran out and the sweep cancelled the order, but closing the prepay failed
   * (WeChat Pay did not answer), so the member could still pay on a pay sheet left open. Without
   * the failed close the local cloud, like WeChat Pay, refuses to take a payment for a closed order.
   */
  it('a payment after the auto-cancel is recorded and refunded once (<orderId>-LATE); a second refund callback changes nothing', async () => {
    const { orderId, memberId } = await aliceOrder();
    await cloud.client.faults.add('cloudPay.closeOrder', { errCode: -501001, errMsg: 'system busy' });
    await cloud.client.clock.advance(16 * MINUTE);
    expect((await runJobs(cloud, ['expireOrders'])).expireOrders.result).toMatchObject({ expired: 1 });
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'cancelled', cancelReason: 'pay_window_elapsed' });
    expect(await stock()).toBe(5);
    expect(await docOf(cloud, 'coupons', couponId)).toMatchObject({ state: 'usable', orderId: null });
    expect((await cloud.client.payments.get(orderId)).payment.state).toBe('NOTPAY');

    const settled = await cloud.client.payments.settle(orderId, { deliveries: 2 });
    for (const delivery of settled.deliveries) expect(delivery).toMatchObject({ acked: true, result: { errcode: 0 } });
    const refundId = `${orderId}-LATE`;
    expect(await docsOf(cloud, 'payment_issues')).toMatchObject([
      { kind: 'paid_after_cancel', outTradeNo: orderId, totalFee: 7900, transactionId: settled.payment.transactionId, refundId },
    ]);
    expect(await docsOf(cloud, 'refunds')).toMatchObject([
      { _id: refundId, orderId, memberId, state: 'requested', amount: 7900, totalFee: 7900, whole: true, lines: [] },
    ]);
    // Still cancelled: the payment did not revive the order, nor take stock or the coupon again.
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'cancelled' });
    expect(await stock()).toBe(5);
    expect(await docOf(cloud, 'coupons', couponId)).toMatchObject({ state: 'usable', orderId: null });
    expect(await count('notices', { kind: 'order.paid' })).toBe(0);

    // The scheduler submits it once; a second run before the poll is due does nothing.
    expect((await runJobs(cloud, ['driveRefunds'])).driveRefunds.result).toMatchObject({ submitted: 1 });
    expect((await runJobs(cloud, ['driveRefunds'])).driveRefunds.result).toMatchObject({ submitted: 0, succeeded: 0, retried: 0 });
    expect((await cloud.client.payments.get(orderId)).payment.refunds.map((r) => [r.outRefundNo, r.refundFee])).toEqual([[refundId, 7900]]);
    expect(await docOf(cloud, 'refunds', refundId)).toMatchObject({ state: 'submitted', attempts: 1 });

    const refunded = await cloud.client.payments.settleRefund(refundId, { result: 'SUCCESS' });
    expect(refunded.deliveries).toMatchObject([{ acked: true, result: { errcode: 0 } }]);
    const snapshot = async () => ({
      order: await docOf(cloud, 'orders', orderId),
      refund: await docOf(cloud, 'refunds', refundId),
      coupon: await docOf(cloud, 'coupons', couponId),
      stock: await stock(),
      notices: await docsOf(cloud, 'notices', { kind: 'refund.succeeded' }),
      events: await docsOf(cloud, 'events', { kind: 'order_refunded' }),
    });
    const once = await snapshot();
    expect(once.refund).toMatchObject({ state: 'succeeded', returnedAt: expect.anything() });
    expect(once.order).toMatchObject({ state: 'cancelled', refunded: 7900 });
    expect(once.notices).toMatchObject([{ _id: `refund.succeeded:${refundId}`, memberId }]);
    // Money that never paid an order is no funnel step: no order_paid, so no order_refunded either.
    expect(once.events).toHaveLength(0);
    expect(once.stock).toBe(5);
    expect(once.coupon).toMatchObject({ state: 'usable' });
    expect(refunded.payment).toMatchObject({ state: 'REFUND', refundedFee: 7900, refundableFee: 0 });

    // The refund callback again, and the scheduler again: nothing changes.
    await cloud.client.clock.advance(3 * MINUTE);
    const twice = await cloud.client.payments.settleRefund(refundId, { result: 'SUCCESS' });
    expect(twice.deliveries).toMatchObject([{ acked: true, result: { errcode: 0 } }]);
    expect((await runJobs(cloud, ['driveRefunds'])).driveRefunds.result).toMatchObject({ submitted: 0, succeeded: 0 });
    expect(await snapshot()).toEqual(once);
    expect((await cloud.client.payments.get(orderId)).payment.refunds).toHaveLength(1);
  });

  /**
   * As above, and every callback of that payment is lost too (payNotify down for WeChat Pay's two
   * days of retries): the money must still go back. The sweep closes the prepay again until WeChat
   * Pay confirms it closed; its answer "already paid" brings the payment in, and it is refunded.
   */
  it('a payment after the auto-cancel whose callbacks are all lost is still found by the sweep and refunded', async () => {
    const { orderId, memberId } = await aliceOrder();
    await cloud.client.faults.add('cloudPay.closeOrder', { errCode: -501001, errMsg: 'system busy' });
    await cloud.client.clock.advance(16 * MINUTE);
    expect((await runJobs(cloud, ['expireOrders'])).expireOrders.result).toMatchObject({ expired: 1 });
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'cancelled' });
    const settled = await cloud.client.payments.settle(orderId, { deliveries: 0 });
    expect(settled.payment.state).toBe('SUCCESS');
    expect(await count('refunds', {})).toBe(0);

    await cloud.client.clock.advance(2 * MINUTE);
    await runJobs(cloud, ['expireOrders']);
    const refundId = `${orderId}-LATE`;
    expect(await docsOf(cloud, 'payment_issues')).toMatchObject([{ kind: 'paid_after_cancel', outTradeNo: orderId, refundId }]);
    expect(await docsOf(cloud, 'refunds')).toMatchObject([{ _id: refundId, memberId, state: 'requested', amount: 7900 }]);
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'cancelled', prepayClosedAt: expect.anything() });
    expect((await runJobs(cloud, ['driveRefunds'])).driveRefunds.result).toMatchObject({ submitted: 1 });
    await cloud.client.payments.settleRefund(refundId);
    expect(await docOf(cloud, 'refunds', refundId)).toMatchObject({ state: 'succeeded', returnedAt: expect.anything() });

    // Settled: later sweeps leave the order alone, and nothing is refunded twice.
    await cloud.client.clock.advance(5 * MINUTE);
    const before = await docOf(cloud, 'orders', orderId);
    await runJobs(cloud, ['expireOrders', 'driveRefunds']);
    expect(await docOf(cloud, 'orders', orderId)).toEqual(before);
    expect((await cloud.client.payments.get(orderId)).payment.refunds).toHaveLength(1);
    expect(await stock()).toBe(5);
    expect(await docOf(cloud, 'coupons', couponId)).toMatchObject({ state: 'usable', orderId: null });
  });

  it('a callback whose amount or currency differs from the order is acknowledged, kept as amount_mismatch and never marks it paid', async () => {
    const { orderId, memberId } = await aliceOrder();
    const notice = (fields: Record<string, unknown>) => ({
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: orderId,
      totalFee: 7900,
      feeType: 'CNY',
      transactionId: '4200000000202612030000000001',
      timeEnd: '20261203100000',
      ...fields,
    });
    const asWeChatPay = async (event: Record<string, unknown>) => {
      const answer = await cloud.client.invoke('payNotify', { event, source: 'wx_paycallback' });
      if ('error' in answer) throw new Error(JSON.stringify(answer.error));
      return answer.result;
    };
    expect(await asWeChatPay(notice({ totalFee: 1 }))).toEqual({ errcode: 0, errmsg: 'OK' });
    expect(await asWeChatPay(notice({ totalFee: 1 }))).toEqual({ errcode: 0, errmsg: 'OK' });
    expect(await asWeChatPay(notice({ feeType: 'USD', transactionId: '4200000000202612030000000002' }))).toEqual({
      errcode: 0,
      errmsg: 'OK',
    });
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'created' });
    expect((await docOf(cloud, 'orders', orderId)).paidAt).toBeUndefined();
    const issues = await docsOf(cloud, 'payment_issues');
    expect(issues.map((issue) => [issue.kind, issue.totalFee, issue.feeType, issue.refundId]).sort()).toEqual([
      ['amount_mismatch', 1, 'CNY', null],
      ['amount_mismatch', 7900, 'USD', null],
    ]);
    expect(await docOf(cloud, 'coupons', couponId)).toMatchObject({ state: 'locked', orderId });
    expect(await count('notices', {})).toBe(0);
    expect(await count('refunds', {})).toBe(0);

    // The real payment then pays it as usual.
    await cloud.client.payments.settle(orderId);
    await expectPaidOnce(orderId, memberId);
    expect(await count('payment_issues', {})).toBe(2);
  });

  it('payNotify called by anyone but WeChat Pay (a member, the console) is refused and changes nothing, even with the right amount', async () => {
    const { orderId } = await aliceOrder();
    const forged = {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: orderId,
      totalFee: 7900,
      feeType: 'CNY',
      transactionId: '4200000000202612030000000009',
    };
    expect(await cloud.invoke('payNotify', forged, 'alice')).toMatchObject({ errcode: 403 });
    expect(await cloud.invoke('payNotify', forged)).toMatchObject({ errcode: 403 });
    const refundForged = { returnCode: 'SUCCESS', reqInfo: { outRefundNo: `${orderId}-M`, outTradeNo: orderId, refundStatus: 'SUCCESS' } };
    expect(await cloud.invoke('payNotify', refundForged, 'alice')).toMatchObject({ errcode: 403 });
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'created' });
    expect(await docOf(cloud, 'coupons', couponId)).toMatchObject({ state: 'locked', orderId });
    expect(await stock()).toBe(4);
    for (const collection of ['payment_issues', 'notices', 'refunds']) expect(await count(collection, {}), collection).toBe(0);
    expect(await count('events', { kind: 'order_paid' })).toBe(0);
  });

  /**
   * A driver run called cloudPay.refund and died before it recorded `submitted` (the refund call is
   * made here, in the test process, exactly as driveRefunds makes it; the document stays
   * `requested`). WeChat Pay's callback then settles it from `requested`.
   */
  it('a refund callback that arrives while the refund is still recorded as requested settles it once: stock and coupon back once', async () => {
    const { orderId, memberId } = await aliceOrder();
    await cloud.client.payments.settle(orderId);
    await expectPaidOnce(orderId, memberId);
    const asked = await cloud.invoke('order', { action: 'requestRefund', orderId, reason: '拍错了' }, 'alice');
    expect(asked, JSON.stringify(asked)).toMatchObject({ ok: true, data: { refund: { state: 'requested', amount: 7900 } } });
    const refundId = asked.data.refund.refundId;
    const refund = await docOf(cloud, 'refunds', refundId);

    const server = await orderServer(cloud);
    const answer = await server.refund({
      outTradeNo: refund.orderId,
      outRefundNo: refund._id,
      totalFee: refund.totalFee,
      refundFee: refund.amount,
      reason: refund.reason,
    });
    expect(answer).toMatchObject({ ok: true });
    expect(await docOf(cloud, 'refunds', refundId)).toMatchObject({ state: 'requested', attempts: 0 });

    const settled = await cloud.client.payments.settleRefund(refundId, { result: 'SUCCESS', deliveries: 3 });
    for (const delivery of settled.deliveries) expect(delivery).toMatchObject({ acked: true, result: { errcode: 0 } });
    const snapshot = async () => ({
      order: await docOf(cloud, 'orders', orderId),
      refund: await docOf(cloud, 'refunds', refundId),
      coupon: await docOf(cloud, 'coupons', couponId),
      stock: await stock(),
      markers: await docsOf(cloud, 'stock_reservations', { _id: `ret:${refundId}:sku-p` }),
      notices: await docsOf(cloud, 'notices', { kind: 'refund.succeeded' }),
    });
    const once = await snapshot();
    expect(once.refund).toMatchObject({ state: 'succeeded', returnedAt: expect.anything() });
    expect(once.order).toMatchObject({ state: 'refunded', refunded: 7900 });
    expect(once.stock).toBe(5);
    expect(once.markers).toHaveLength(1);
    expect(once.coupon).toMatchObject({ state: 'usable', orderId: null });
    expect(once.notices).toHaveLength(1);

    // The scheduler's driver comes by later: nothing is due, nothing is submitted again.
    await cloud.client.clock.advance(10 * MINUTE);
    expect((await runJobs(cloud, ['driveRefunds'])).driveRefunds.result).toMatchObject({
      submitted: 0,
      succeeded: 0,
      retried: 0,
      failed: 0,
    });
    await cloud.client.payments.settleRefund(refundId, { result: 'SUCCESS' });
    expect(await snapshot()).toEqual(once);
    expect((await cloud.client.payments.get(orderId)).payment.refunds).toHaveLength(1);
  });
});
