import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { createOrder, docOf, docsOf, makeProduct, runJobs } from '../support/orders';

/** An order's life through the real functions: create → pay (callback) → refund → refunded; and the unhappy turns. */
describe('order: create, pay, refund', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
    await makeProduct(cloud, 'prd-a', [
      { id: 'sku-a1', price: 9900, stock: 5 },
      { id: 'sku-a2', price: 4900, stock: 2 },
    ]);
  });

  it('quotes from the database, creates with a prepay, pays once through the callback and refunds back to stock', async () => {
    const quote = await cloud.invoke('order', { action: 'quote', lines: [{ skuId: 'sku-a1', quantity: 2 }] }, 'alice');
    expect(quote, JSON.stringify(quote)).toMatchObject({ ok: true, data: { subtotal: 19800, discount: 0, payable: 19800, problems: [] } });

    const created = await createOrder(cloud, 'alice', [{ skuId: 'sku-a1', quantity: 2 }], 'req-flow-0001');
    expect(created, JSON.stringify(created)).toMatchObject({
      ok: true,
      data: { repeated: false, order: { state: 'created', payable: 19800 } },
    });
    expect(created.data.payment.package).toMatch(/^prepay_id=/);
    const orderId = created.data.order.orderId;
    expect(await docOf(cloud, 'skus', 'sku-a1')).toMatchObject({ stock: 3 });

    const again = await createOrder(cloud, 'alice', [{ skuId: 'sku-a1', quantity: 2 }], 'req-flow-0001');
    expect(again.data).toMatchObject({ repeated: true, order: { orderId } });
    expect(again.data.payment).toEqual(created.data.payment);
    expect(await docOf(cloud, 'skus', 'sku-a1')).toMatchObject({ stock: 3 });

    const settled = await cloud.client.payments.settle(orderId, { deliveries: 3 });
    expect(settled.deliveries.map((d: any) => d.acked)).toEqual([true, true, true]);
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'paid', paidSettledAt: expect.anything() });
    expect(await docsOf(cloud, 'notices', { kind: 'order.paid' })).toHaveLength(1);

    const refund = await cloud.invoke('order', { action: 'requestRefund', orderId, reason: '不想要了' }, 'alice');
    expect(refund, JSON.stringify(refund)).toMatchObject({
      ok: true,
      data: { order: { state: 'refunding' }, refund: { state: 'requested', amount: 19800 } },
    });
    const jobs = await runJobs(cloud, ['driveRefunds']);
    expect(jobs.driveRefunds.result).toMatchObject({ submitted: 1 });
    const refundId = refund.data.refund.refundId;
    await cloud.client.payments.settleRefund(refundId, { result: 'SUCCESS', deliveries: 2 });
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'refunded', refunded: 19800 });
    expect(await docOf(cloud, 'refunds', refundId)).toMatchObject({ state: 'succeeded', returnedAt: expect.anything() });
    expect(await docOf(cloud, 'skus', 'sku-a1')).toMatchObject({ stock: 5 });
    expect(await docsOf(cloud, 'notices', { kind: 'refund.succeeded' })).toHaveLength(1);
    // The reconcile agrees: units sold then refunded are in stock, nothing stranded.
    await cloud.client.clock.advance(3 * 60_000);
    const reconciled = await runJobs(cloud, ['reconcileSkuStock']);
    expect(reconciled.reconcileSkuStock.result).toMatchObject({ returned: [], excess: [] });
    expect(await docOf(cloud, 'skus', 'sku-a1')).toMatchObject({ stock: 5, reconciled: true });
  });

  it('cancels unpaid orders after 15 minutes, giving stock back', async () => {
    const created = await createOrder(cloud, 'alice', [{ skuId: 'sku-a2', quantity: 2 }], 'req-flow-0002');
    const orderId = created.data.order.orderId;
    expect(await docOf(cloud, 'skus', 'sku-a2')).toMatchObject({ stock: 0 });
    await cloud.client.clock.advance(16 * 60_000);
    const jobs = await runJobs(cloud, ['expireOrders']);
    expect(jobs.expireOrders.result).toMatchObject({ expired: 1 });
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'cancelled', cancelReason: 'pay_window_elapsed' });
    expect(await docOf(cloud, 'skus', 'sku-a2')).toMatchObject({ stock: 2 });
  });

  it('returns units a crashed create stranded, once the SKU is quiet; live reservations are never counted as stranded', async () => {
    const created = await createOrder(cloud, 'alice', [{ skuId: 'sku-a1', quantity: 2 }], 'req-flow-0003');
    expect(created.ok).toBe(true);
    // A create that died between its stock decrement and its reservation: 1 unit gone, no reservation.
    const _ = cloud.db().command;
    await cloud
      .db()
      .collection('skus')
      .doc('sku-a1')
      .update({ data: { stock: _.inc(-1) } });
    expect(await docOf(cloud, 'skus', 'sku-a1')).toMatchObject({ stock: 2, stockTotal: 5 });

    const early = await runJobs(cloud, ['reconcileSkuStock']);
    expect(early.reconcileSkuStock.result).toMatchObject({ checked: 0, busy: expect.arrayContaining(['sku-a1']) });
    expect(await docOf(cloud, 'skus', 'sku-a1')).toMatchObject({ stock: 2 });

    await cloud.client.clock.advance(3 * 60_000);
    const later = await runJobs(cloud, ['reconcileSkuStock']);
    expect(later.reconcileSkuStock.result).toMatchObject({ returned: [{ skuId: 'sku-a1', units: 1 }] });
    // 5 put in, 2 held by the live order: 3 in stock.
    expect(await docOf(cloud, 'skus', 'sku-a1')).toMatchObject({ stock: 3, reconciled: true });
    const again = await runJobs(cloud, ['reconcileSkuStock']);
    expect(again.reconcileSkuStock.result).toMatchObject({ checked: 0, returned: [] });
    expect(await docOf(cloud, 'skus', 'sku-a1')).toMatchObject({ stock: 3 });
  });

  it('ignores prices, totals and discounts the app sends: the order is priced from the database', async () => {
    const tampered = await createOrder(cloud, 'alice', [{ skuId: 'sku-a1', quantity: 1, price: 1, payable: 1 } as never], 'req-flow-0004', {
      total: 1,
      discount: 9899,
      payable: 1,
    });
    expect(tampered, JSON.stringify(tampered)).toMatchObject({ ok: true, data: { order: { subtotal: 9900, discount: 0, payable: 9900 } } });
    const order = await docOf(cloud, 'orders', tampered.data.order.orderId);
    expect(order).toMatchObject({ payable: 9900, lines: [{ unitPrice: 9900, payable: 9900 }] });
    expect((await cloud.client.payments.get(order._id)).payment).toMatchObject({ totalFee: 9900 });
    // Anything else unknown is still refused, and nothing is written.
    const odd = await createOrder(cloud, 'alice', [{ skuId: 'sku-a1', quantity: 1 }], 'req-flow-0005', { $where: 'x' });
    expect(odd).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await docsOf(cloud, 'orders')).toHaveLength(1);
  });
});
