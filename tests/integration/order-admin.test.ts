import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runAdminCli } from '../support/admin-cli';
import { useCloud } from '../support/cloud';
import { templateInput } from '../support/coupons';
import { okData } from '../support/envelopes';
import { createOrder, docOf, docsOf, makeProduct, runJobs } from '../support/orders';

const DAY_MS = 24 * 3600_000;

/**
 * orderAdmin's console jobs through the real function on the local cloud: shipping (one, a batch,
 * a CSV through the CLI), auto-completion, operator refunds (partial, repeated, concurrent), stuck
 * refunds and their retry, payment issues. Every case checks the database, not only the answer.
 */
describe('orderAdmin: shipping, operator refunds, stuck refunds', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-order-admin-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
    await makeProduct(cloud, 'prd-a', [
      { id: 'sku-a1', price: 999, stock: 50 },
      { id: 'sku-a2', price: 500, stock: 50 },
    ]);
  });

  const admin = (action: string, params: Record<string, unknown> = {}, as?: string) =>
    cloud.invoke('orderAdmin', { action, ...params }, as);

  let requests = 0;
  /** An order created by `as` and paid through the pay callback; answers its id. */
  async function paidOrder(lines: Array<{ skuId: string; quantity: number }>, as = 'alice', extra: Record<string, unknown> = {}) {
    requests += 1;
    const created = okData(await createOrder(cloud, as, lines, `req-admin-${String(requests).padStart(4, '0')}`, extra));
    const orderId = created.order.orderId as string;
    await cloud.client.payments.settle(orderId, { deliveries: 1 });
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'paid' });
    return orderId;
  }

  const ship = (orderId: string, trackingNo = 'SF1234567890', carrier = '顺丰速运') => ({ orderId, carrier, trackingNo });

  describe('shipOrder', () => {
    it('ships a paid order once: shipment, auto-complete date, one order.shipped notice; again answers already_shipped', async () => {
      const orderId = await paidOrder([{ skuId: 'sku-a1', quantity: 2 }]);
      expect(okData(await admin('shipOrder', { shipments: [ship(orderId)] })).results).toEqual([{ orderId, outcome: 'shipped' }]);

      const order = await docOf(cloud, 'orders', orderId);
      expect(order).toMatchObject({ state: 'shipped', shipment: { carrier: '顺丰速运', trackingNo: 'SF1234567890' } });
      // The local cloud's clock runs on from NOW.
      const shippedAt = new Date(order.shipment.shippedAt).getTime();
      expect(shippedAt - Date.parse(NOW)).toBeGreaterThanOrEqual(0);
      expect(shippedAt - Date.parse(NOW)).toBeLessThan(60_000);
      expect(new Date(order.autoCompleteAt).getTime()).toBe(shippedAt + 7 * DAY_MS);
      const notices = await docsOf(cloud, 'notices', { kind: 'order.shipped' });
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({
        _id: `order.shipped:${orderId}`,
        memberId: order.memberId,
        state: 'pending',
        data: { orderId, carrier: '顺丰速运', trackingNo: 'SF1234567890', amount: '19.98' },
      });

      await cloud.client.clock.advance(3600_000);
      expect(okData(await admin('shipOrder', { shipments: [ship(orderId)] })).results).toEqual([{ orderId, outcome: 'already_shipped' }]);
      const other = okData(await admin('shipOrder', { shipments: [ship(orderId, 'ZT99887766', '中通快递')] })).results;
      expect(other).toEqual([
        { orderId, outcome: 'refused', reason: 'already shipped as 顺丰速运 SF1234567890; a shipment is not changed' },
      ]);
      // Nothing moved: the first shipment stands, one notice.
      expect(await docOf(cloud, 'orders', orderId)).toEqual(order);
      expect(await docsOf(cloud, 'notices', { kind: 'order.shipped' })).toHaveLength(1);
    });

    it('ships a batch with a mix of outcomes, each with its reason, and changes only the paid orders', async () => {
      const paidA = await paidOrder([{ skuId: 'sku-a1', quantity: 1 }]);
      const paidB = await paidOrder([{ skuId: 'sku-a2', quantity: 1 }], 'bob');
      const shipped = await paidOrder([{ skuId: 'sku-a2', quantity: 2 }]);
      okData(await admin('shipOrder', { shipments: [ship(shipped, 'YT0000000001', '圆通速递')] }));
      const unpaid = okData(await createOrder(cloud, 'alice', [{ skuId: 'sku-a1', quantity: 1 }], 'req-admin-unpaid')).order.orderId;
      const refunding = await paidOrder([{ skuId: 'sku-a1', quantity: 1 }]);
      okData(await admin('refundOrder', { orderId: refunding, reason: '缺货', requestId: 'refund-batch-01' }));

      const { results } = okData(
        await admin('shipOrder', {
          shipments: [
            ship(paidA, 'SF0000000001'),
            ship(paidB, 'SF0000000002'),
            ship(shipped, 'YT0000000001', '圆通速递'),
            ship(unpaid, 'SF0000000003'),
            ship(refunding, 'SF0000000004'),
            ship('f'.repeat(32), 'SF0000000005'),
            ship(paidA, 'SF0000000001'),
          ],
        }),
      );
      expect(results).toEqual([
        { orderId: paidA, outcome: 'shipped' },
        { orderId: paidB, outcome: 'shipped' },
        { orderId: shipped, outcome: 'already_shipped' },
        { orderId: unpaid, outcome: 'refused', reason: 'the order is not paid yet' },
        { orderId: refunding, outcome: 'refused', reason: 'the order is being refunded (a refund of the whole order is open)' },
        { orderId: 'f'.repeat(32), outcome: 'refused', reason: 'no such order' },
        { orderId: paidA, outcome: 'already_shipped' },
      ]);
      expect(await docOf(cloud, 'orders', paidA)).toMatchObject({ state: 'shipped', shipment: { trackingNo: 'SF0000000001' } });
      expect(await docOf(cloud, 'orders', paidB)).toMatchObject({ state: 'shipped', shipment: { trackingNo: 'SF0000000002' } });
      expect(await docOf(cloud, 'orders', shipped)).toMatchObject({ state: 'shipped', shipment: { trackingNo: 'YT0000000001' } });
      for (const [id, state] of [
        [unpaid, 'created'],
        [refunding, 'refunding'],
      ]) {
        const doc = await docOf(cloud, 'orders', id);
        expect(doc.state).toBe(state);
        expect(doc.shipment).toBeUndefined();
      }
      expect(await docOf(cloud, 'orders', 'f'.repeat(32))).toBeNull();
      const notices = await docsOf(cloud, 'notices', { kind: 'order.shipped' });
      expect(notices.map((n) => n._id).sort()).toEqual([paidA, paidB, shipped].map((id) => `order.shipped:${id}`).sort());
    });

    it('completes a shipped order 7 days after shipment through the scheduler, not before', async () => {
      const orderId = await paidOrder([{ skuId: 'sku-a1', quantity: 1 }]);
      okData(await admin('shipOrder', { shipments: [ship(orderId)] }));
      await cloud.client.clock.advance(7 * DAY_MS - 60_000);
      expect((await runJobs(cloud, ['completeOrders'])).completeOrders.result).toMatchObject({ completed: 0 });
      expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'shipped' });
      await cloud.client.clock.advance(2 * 60_000);
      expect((await runJobs(cloud, ['completeOrders'])).completeOrders.result).toMatchObject({ completed: 1 });
      const order = await docOf(cloud, 'orders', orderId);
      expect(order.state).toBe('completed');
      expect(new Date(order.completedAt).getTime()).toBeGreaterThanOrEqual(Date.parse(NOW) + 7 * DAY_MS);
      // A completed order carrying the shipment still answers already_shipped (a CSV run again later).
      expect(okData(await admin('shipOrder', { shipments: [ship(orderId)] })).results).toEqual([{ orderId, outcome: 'already_shipped' }]);
      expect(await docOf(cloud, 'orders', orderId)).toEqual(order);
    });
  });

  describe('refundOrder', () => {
    it('refunds units one by one, then the rest: amounts add up to exactly what was paid, and no more is refunded', async () => {
      // A coupon spread over the lines leaves line payables that do not divide by their units.
      okData(
        await cloud.invoke('couponAdmin', {
          action: 'createCouponTemplate',
          id: 'tpl-admin-refund',
          template: templateInput({ terms: { kind: 'amount_off', amountOff: 100 }, scope: 'all' }),
        }),
      );
      okData(await cloud.invoke('coupon', { action: 'claim', templateId: 'tpl-admin-refund', requestId: 'req-claim-admin' }, 'alice'));
      const orderId = await paidOrder([
        { skuId: 'sku-a1', quantity: 3 },
        { skuId: 'sku-a2', quantity: 1 },
      ]);
      const order = await docOf(cloud, 'orders', orderId);
      expect(order.payable).toBe(3 * 999 + 500 - 100);
      const line1 = order.lines.find((l: any) => l.skuId === 'sku-a1');
      expect(line1.payable % 3).not.toBe(0);
      okData(await admin('shipOrder', { shipments: [ship(orderId)] }));

      const first = okData(
        await admin('refundOrder', { orderId, lines: [{ skuId: 'sku-a1', quantity: 1 }], reason: '破损', requestId: 'refund-unit-0001' }),
      );
      expect(first).toMatchObject({
        created: true,
        refund: { orderId, state: 'requested', amount: Math.floor(line1.payable / 3), requestedBy: 'admin', requester: 'console' },
      });
      expect(first.refund.id).toMatch(new RegExp(`^${orderId}-A[0-9a-f]{24}$`));
      // The same requestId answers the same refund; with other units it is refused.
      const again = okData(
        await admin('refundOrder', { orderId, lines: [{ skuId: 'sku-a1', quantity: 1 }], reason: '破损', requestId: 'refund-unit-0001' }),
      );
      expect(again).toEqual({ ...first, created: false });
      expect(
        await admin('refundOrder', { orderId, lines: [{ skuId: 'sku-a1', quantity: 2 }], reason: '破损', requestId: 'refund-unit-0001' }),
      ).toMatchObject({ ok: false, code: 'ALREADY_EXISTS' });
      expect(await docsOf(cloud, 'refunds', { orderId })).toHaveLength(1);
      // A partial refund leaves the state alone.
      expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'shipped', refundedUnits: { 'sku-a1': 1 } });

      const second = okData(
        await admin('refundOrder', { orderId, lines: [{ skuId: 'sku-a1', quantity: 1 }], reason: '破损', requestId: 'refund-unit-0002' }),
      );
      expect(second.refund.amount).toBe(Math.floor((line1.payable * 2) / 3) - Math.floor(line1.payable / 3));
      const rest = okData(await admin('refundOrder', { orderId, reason: '整单退款', requestId: 'refund-rest-0003' }));
      expect(first.refund.amount + second.refund.amount + rest.refund.amount).toBe(order.payable);
      expect(await docOf(cloud, 'orders', orderId)).toMatchObject({
        state: 'refunding',
        refundReserved: order.payable,
        refundedUnits: { 'sku-a1': 3, 'sku-a2': 1 },
      });

      for (const more of [{}, { lines: [{ skuId: 'sku-a2', quantity: 1 }] }]) {
        expect(await admin('refundOrder', { orderId, reason: '再退', requestId: 'refund-more-0004', ...more })).toMatchObject({
          ok: false,
          code: 'FAILED_PRECONDITION',
        });
      }
      const refunds = await docsOf(cloud, 'refunds', { orderId });
      expect(refunds).toHaveLength(3);
      expect(refunds.reduce((sum, r) => sum + r.amount, 0)).toBe(order.payable);

      // Submitted and settled: the order is refunded, WeChat Pay gave back exactly the payment.
      expect((await runJobs(cloud, ['driveRefunds'])).driveRefunds.result).toMatchObject({ submitted: 3 });
      // The refund of the rest settles first: the order is refunded only when every refund of it has.
      for (const id of [rest.refund.id, first.refund.id]) {
        await cloud.client.payments.settleRefund(id, { result: 'SUCCESS' });
        expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'refunding' });
      }
      await cloud.client.payments.settleRefund(second.refund.id, { result: 'SUCCESS' });
      expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'refunded', refunded: order.payable });
      const { payment } = await cloud.client.payments.get(orderId);
      expect(payment.refundedFee).toBe(order.payable);
      // Shipped goods are not back in the warehouse: stock stays as the order left it.
      expect(await docOf(cloud, 'skus', 'sku-a1')).toMatchObject({ stock: 47 });
    });

    it('10 concurrent refunds of 1 unit of a 3-unit line: exactly 3 succeed, never more than was paid', async () => {
      const orderId = await paidOrder([{ skuId: 'sku-a1', quantity: 3 }]);
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          admin('refundOrder', {
            orderId,
            lines: [{ skuId: 'sku-a1', quantity: 1 }],
            reason: '并发退款',
            requestId: `refund-race-${String(i).padStart(4, '0')}`,
          }),
        ),
      );
      const won = answers.filter((a) => a.ok);
      expect(won, JSON.stringify(answers.filter((a) => !a.ok).map((a) => a.code))).toHaveLength(3);
      for (const lost of answers.filter((a) => !a.ok)) expect(['FAILED_PRECONDITION', 'CONFLICT']).toContain(lost.code);
      const refunds = await docsOf(cloud, 'refunds', { orderId });
      expect(refunds).toHaveLength(3);
      expect(refunds.reduce((sum, r) => sum + r.amount, 0)).toBe(2997);
      expect(await docOf(cloud, 'orders', orderId)).toMatchObject({
        state: 'refunding',
        refundedUnits: { 'sku-a1': 3 },
        refundReserved: 2997,
      });
      expect((await docOf(cloud, 'orders', orderId)).refundIds.sort()).toEqual(refunds.map((r) => r._id).sort());
    });

    it('refuses an unknown order, and a refund before payment', async () => {
      expect(await admin('refundOrder', { orderId: 'f'.repeat(32), reason: '测试', requestId: 'refund-none-0001' })).toMatchObject({
        ok: false,
        code: 'NOT_FOUND',
      });
      const unpaid = okData(await createOrder(cloud, 'alice', [{ skuId: 'sku-a1', quantity: 1 }], 'req-admin-unpaid')).order.orderId;
      expect(await admin('refundOrder', { orderId: unpaid, reason: '测试', requestId: 'refund-none-0002' })).toMatchObject({
        ok: false,
        code: 'FAILED_PRECONDITION',
      });
      expect(await docsOf(cloud, 'refunds')).toEqual([]);
    });
  });

  describe('stuck refunds', () => {
    it('lists a refund whose submits fail with its attempts and last error; retryRefund submits it with the same number', async () => {
      const orderId = await paidOrder([{ skuId: 'sku-a1', quantity: 1 }]);
      const { refund } = okData(await admin('refundOrder', { orderId, reason: '客户取消', requestId: 'refund-stuck-0001' }));
      await cloud.client.faults.add('cloudPay.refund', { errCode: -501001, errMsg: 'system busy' }, 5);
      expect((await runJobs(cloud, ['driveRefunds'])).driveRefunds.result).toMatchObject({ retried: 1 });
      expect(await docOf(cloud, 'refunds', refund.id)).toMatchObject({
        state: 'requested',
        attempts: 1,
        lastError: expect.stringContaining('system busy'),
      });

      // Not an hour old yet: not stuck.
      expect(okData(await admin('listStuckRefunds')).refunds).toEqual([]);
      await cloud.client.clock.advance(61 * 60_000);
      const [stuck, ...others] = okData(await admin('listStuckRefunds')).refunds;
      expect(others).toEqual([]);
      expect(stuck).toMatchObject({
        id: refund.id,
        orderId,
        state: 'requested',
        amount: 999,
        attempts: 1,
        lastError: expect.stringContaining('system busy'),
      });
      // The first wait is a minute after the failed attempt (the clock runs on from NOW).
      expect(Date.parse(stuck.nextAttemptAt) - Date.parse(NOW)).toBeGreaterThanOrEqual(60_000);
      expect(Date.parse(stuck.nextAttemptAt) - Date.parse(NOW)).toBeLessThan(120_000);
      expect(okData(await admin('listStuckRefunds', { olderThanMinutes: 120 })).refunds).toEqual([]);

      // Retries now, whatever the backoff: the four faults left fail four more attempts.
      for (let attempt = 2; attempt <= 5; attempt += 1) {
        expect(okData(await admin('retryRefund', { refundId: refund.id })).refund).toMatchObject({
          state: 'requested',
          attempts: attempt,
          lastError: expect.stringContaining('system busy'),
        });
      }
      expect((await cloud.client.faults.list()).faults).toEqual([]);
      expect((await cloud.client.payments.get(orderId)).payment.refunds).toEqual([]);

      const retried = okData(await admin('retryRefund', { refundId: refund.id })).refund;
      expect(retried).toMatchObject({ id: refund.id, state: 'submitted', attempts: 6, lastError: null });
      const { payment } = await cloud.client.payments.get(orderId);
      expect(payment.refunds.map((r: any) => [r.outRefundNo, r.refundFee])).toEqual([[refund.id, 999]]);
      expect(await docOf(cloud, 'refunds', refund.id)).toMatchObject({ state: 'submitted', attempts: 6 });

      // Settled: no longer stuck. A retry of a finished refund changes nothing; an unknown one is NOT_FOUND.
      await cloud.client.payments.settleRefund(refund.id, { result: 'SUCCESS' });
      expect(okData(await admin('listStuckRefunds', { olderThanMinutes: 0 })).refunds).toEqual([]);
      expect(okData(await admin('retryRefund', { refundId: refund.id })).refund).toMatchObject({ state: 'succeeded', attempts: 6 });
      expect((await cloud.client.payments.get(orderId)).payment.refunds).toHaveLength(1);
      expect(await admin('retryRefund', { refundId: 'no-such-refund' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    });
  });

  describe('listOrders and listPaymentIssues', () => {
    it('lists orders newest first, by state and member, and payments that matched no order', async () => {
      const first = await paidOrder([{ skuId: 'sku-a1', quantity: 1 }]);
      await cloud.client.clock.advance(60_000);
      const second = await paidOrder([{ skuId: 'sku-a2', quantity: 2 }], 'bob');
      await cloud.client.clock.advance(60_000);
      const third = await paidOrder([{ skuId: 'sku-a1', quantity: 1 }]);
      okData(await admin('shipOrder', { shipments: [ship(third)] }));

      expect(okData(await admin('listOrders')).orders.map((o: any) => o.id)).toEqual([third, second, first]);
      expect(okData(await admin('listOrders', { limit: 2 })).orders.map((o: any) => o.id)).toEqual([third, second]);
      expect(okData(await admin('listOrders', { state: 'paid' })).orders.map((o: any) => o.id)).toEqual([second, first]);
      const alice = (await docOf(cloud, 'orders', first)).memberId;
      const aliceOrders = okData(await admin('listOrders', { memberId: alice })).orders;
      expect(aliceOrders.map((o: any) => o.id)).toEqual([third, first]);
      expect(aliceOrders[0]).toMatchObject({
        state: 'shipped',
        payable: 999,
        refunded: 0,
        lines: [{ skuId: 'sku-a1', quantity: 1, payable: 999, refundedUnits: 0 }],
        shipment: { carrier: '顺丰速运', trackingNo: 'SF1234567890' },
      });

      // An order cancelled in the instant before its payment arrived: the payment is recorded and refunded.
      const late = okData(await createOrder(cloud, 'bob', [{ skuId: 'sku-a2', quantity: 1 }], 'req-admin-late')).order.orderId;
      await cloud
        .db()
        .collection('orders')
        .doc(late)
        .update({ data: { state: 'cancelled', cancelledAt: new Date(), cancelReason: 'pay_window_elapsed' } });
      await cloud.client.payments.settle(late, { deliveries: 1 });
      const { issues } = okData(await admin('listPaymentIssues'));
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ kind: 'paid_after_cancel', outTradeNo: late, totalFee: 500, refundId: expect.any(String) });
      expect(await docOf(cloud, 'refunds', issues[0].refundId)).toMatchObject({ orderId: late, amount: 500, requestedBy: 'system' });
      expect(await docsOf(cloud, 'payment_issues')).toHaveLength(1);
    });
  });

  it('refuses members who are not admins with PERMISSION_DENIED and writes nothing', async () => {
    const orderId = await paidOrder([{ skuId: 'sku-a1', quantity: 1 }]);
    const before = await docOf(cloud, 'orders', orderId);
    const attempts = [
      ['listOrders', {}],
      ['shipOrder', { shipments: [ship(orderId)] }],
      ['refundOrder', { orderId, reason: '自己退', requestId: 'refund-self-0001' }],
      ['listStuckRefunds', {}],
      ['retryRefund', { refundId: 'x' }],
      ['listPaymentIssues', {}],
    ] as const;
    for (const [action, params] of attempts) {
      const answer = await admin(action, params, 'alice');
      expect(answer, action).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' });
      // A member reads no English detail.
      expect(answer.detail, action).toBeUndefined();
    }
    expect(await docOf(cloud, 'orders', orderId)).toEqual(before);
    expect(await docsOf(cloud, 'refunds')).toEqual([]);
    expect(await docsOf(cloud, 'notices', { kind: 'order.shipped' })).toEqual([]);
  });

  describe('CLI: npm run admin -- shipOrder --csv FILE', () => {
    const cli = (...args: string[]) => runAdminCli(cloud.url, args, dir);

    it('ships the good rows, reports the bad one with its line, and a second run changes nothing', async () => {
      const good = [
        await paidOrder([{ skuId: 'sku-a1', quantity: 1 }]),
        await paidOrder([{ skuId: 'sku-a2', quantity: 1 }], 'bob'),
        await paidOrder([{ skuId: 'sku-a1', quantity: 2 }]),
      ];
      const unpaid = okData(await createOrder(cloud, 'alice', [{ skuId: 'sku-a2', quantity: 1 }], 'req-admin-csv-unpaid')).order.orderId;
      const file = path.join(dir, 'shipments.csv');
      // As a spreadsheet exports it: BOM, CRLF, Chinese carrier names, one quoted.
      fs.writeFileSync(
        file,
        `\uFEFForderId,carrier,trackingNo\r\n${good[0]},顺丰速运,SF1000000001\r\n${good[1]},"中通快递",ZT2000000002\r\n${unpaid},圆通速递,YT3000000003\r\n${good[2]},京东物流,JD4000000004\r\n`,
      );

      const first = await cli('shipOrder', '--csv', file);
      expect(first.code, first.stderr).toBe(1);
      expect(first.stdout).toContain('4/4 rows');
      expect(first.stdout).toMatch(new RegExp(`^4\\s+${unpaid}\\s+refused\\s+the order is not paid yet$`, 'm'));
      expect(first.stdout).toContain('4 rows: shipped 3, already shipped 0, refused 1, invalid 0');
      expect(first.stderr).toContain('1 row(s) not shipped');
      const orders = await Promise.all(good.map((id) => docOf(cloud, 'orders', id)));
      expect(orders.map((o) => [o.state, o.shipment.carrier, o.shipment.trackingNo])).toEqual([
        ['shipped', '顺丰速运', 'SF1000000001'],
        ['shipped', '中通快递', 'ZT2000000002'],
        ['shipped', '京东物流', 'JD4000000004'],
      ]);
      expect(await docOf(cloud, 'orders', unpaid)).toMatchObject({ state: 'created' });

      await cloud.client.clock.advance(3600_000);
      const second = await cli('shipOrder', '--csv', file);
      expect(second.code).toBe(1);
      expect(second.stdout).toContain('4 rows: shipped 0, already shipped 3, refused 1, invalid 0');
      expect(await Promise.all(good.map((id) => docOf(cloud, 'orders', id)))).toEqual(orders);
      expect(await docsOf(cloud, 'notices', { kind: 'order.shipped' })).toHaveLength(3);
    });

    it('sends a long file in chunks of 200 with progress and keeps line numbers across chunks', async () => {
      const orderId = await paidOrder([{ skuId: 'sku-a1', quantity: 1 }]);
      const unknown = (i: number) => `missing-${String(i).padStart(4, '0')}`;
      const lines = ['orderId,carrier,trackingNo'];
      for (let i = 0; i < 203; i += 1) lines.push(`${unknown(i)},顺丰速运,SF${String(i).padStart(10, '0')}`);
      lines.push('bad row,顺丰速运,SF123');
      lines.push(`${orderId},顺丰速运,SF9999999999`);
      const file = path.join(dir, 'long.csv');
      fs.writeFileSync(file, `${lines.join('\n')}\n`);

      const result = await cli('shipOrder', `--csv=${file}`);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('200/204 rows\n204/204 rows');
      expect(result.stdout).toMatch(new RegExp(`^204\\s+${unknown(202)}\\s+refused\\s+no such order$`, 'm'));
      expect(result.stdout).toMatch(/^205\s+invalid\s+orderId: an id has no spaces/m);
      expect(result.stdout).toContain('205 rows: shipped 1, already shipped 0, refused 203, invalid 1');
      expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'shipped', shipment: { trackingNo: 'SF9999999999' } });
    });
  });
});
