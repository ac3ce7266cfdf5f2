import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { ADDRESS, docOf, docsOf, makeProduct, runJobs } from '../support/orders';
import { expectLedgerBalanced, givePoints, makeCouponItem, makeMallItem, memberIdOf } from '../support/points';
import { pointsServer } from '../support/server';

/**
 * Exchanges that die half-way. A `"timeout"` fault holds one call the exchange makes until the
 * function's 10 s limit kills it (a real crash: nothing after that call runs); where the call to
 * hold is not the first of its kind in an exchange (the coupon insert comes after the exchange's
 * own insert), the exchange is run step by step in the test process up to the step that dies. More
 * than 2 minutes later the scheduler's `settleExchanges` must finish it (the item exists) or undo it
 * (points, limit and unit back), once, however often it runs; the stock reconcile gives back a unit
 * a crash stranded.
 */
describe('points mall: exchanges cut off half-way', () => {
  const cloud = useCloud();
  const STALE = 3 * 60_000;

  beforeEach(async () => {
    await cloud.client.clock.set('2026-12-03T02:00:00.000Z');
  });

  /** An exchange through the points function that the local cloud answers with the platform's timeout. */
  async function exchangeThatDies(event: Record<string, unknown>) {
    const answer = await cloud.client.invoke('points', { event: { action: 'exchange', ...event }, persona: 'alice' });
    expect(answer, JSON.stringify(answer).slice(0, 300)).toMatchObject({ error: { errCode: -504003 } });
    const [exchange] = await docsOf(cloud, 'exchanges', { requestId: event.requestId });
    return exchange;
  }

  /** `settleExchanges` run twice after the exchange went stale: the first run's report, and the second's (nothing left). */
  async function settleTwice() {
    await cloud.client.clock.advance(STALE);
    const first = (await runJobs(cloud, ['settleExchanges'])).settleExchanges;
    const second = (await runJobs(cloud, ['settleExchanges'])).settleExchanges;
    expect(first, JSON.stringify(first)).toMatchObject({ ran: true });
    expect(second.result).toMatchObject({ finished: 0, undone: 0, paid: 0, cancelled: 0, returned: 0 });
    return first.result;
  }

  it('dies before its points (the points transaction never starts): failed, the unit back, the points untouched', async () => {
    await makeCouponItem(cloud, 'mi-early', { points: 100, stock: 3 });
    const alice = await memberIdOf(cloud, 'alice');
    await givePoints(cloud, alice, 150);
    await cloud.client.faults.add('database.startTransaction', 'timeout');

    const cut = await exchangeThatDies({ itemId: 'mi-early', requestId: 'early-req-0001' });
    expect(cut).toMatchObject({ state: 'pending', stockTaken: true, pointsTaken: false });
    expect(await docOf(cloud, 'mall_items', 'mi-early')).toMatchObject({ stockLeft: 2 });

    expect(await settleTwice()).toMatchObject({ undone: 1, finished: 0, returned: 0 });
    expect(await docOf(cloud, 'exchanges', cut._id)).toMatchObject({ state: 'failed', reason: 'interrupted', stockReturned: true });
    expect(await docOf(cloud, 'mall_items', 'mi-early')).toMatchObject({ stockLeft: 3 });
    expect(await docsOf(cloud, 'points_ledger', { memberId: alice, source: 'exchange' })).toEqual([]);
    expect(await expectLedgerBalanced(cloud, alice)).toBe(150);
    // The member can exchange it after all.
    const again = await cloud.invoke('points', { action: 'exchange', itemId: 'mi-early', requestId: 'early-req-0002' }, 'alice');
    expect(again).toMatchObject({ ok: true, data: { exchange: { state: 'done' }, balance: 50 } });
  });

  it('dies after its order was placed and paid in points (the image URL call held): finished once, nothing given back', async () => {
    await makeProduct(cloud, 'prd-crash', [{ id: 'sku-crash', price: 5000, stock: 10 }]);
    await makeMallItem(cloud, 'mi-prod', { kind: 'product', title: '积分好物', points: 300, skuId: 'sku-crash', stock: 5 });
    const alice = await memberIdOf(cloud, 'alice');
    await givePoints(cloud, alice, 500);
    await cloud.client.faults.add('storage.batchGetDownloadUrl', 'timeout');

    const cut = await exchangeThatDies({ itemId: 'mi-prod', requestId: 'prod-req-0001', address: ADDRESS });
    expect(cut).toMatchObject({ state: 'pending', stockTaken: true, pointsTaken: true });
    expect(await docOf(cloud, 'orders', cut.orderId)).toMatchObject({ state: 'paid', payable: 0, exchange: { exchangeId: cut._id } });

    expect(await settleTwice()).toMatchObject({ finished: 1, undone: 0 });
    expect(await docOf(cloud, 'exchanges', cut._id)).toMatchObject({ state: 'done', orderId: cut.orderId });
    expect(await docOf(cloud, 'mall_items', 'mi-prod')).toMatchObject({ stockLeft: 4 });
    expect(await docsOf(cloud, 'points_ledger', { memberId: alice, source: 'exchange_return' })).toEqual([]);
    expect(await expectLedgerBalanced(cloud, alice)).toBe(200);
  });

  it('a points + cash exchange dies before its prepay; its order is cancelled: undone once, points with their expiries, limit and unit back', async () => {
    await makeProduct(cloud, 'prd-cash', [{ id: 'sku-cash', price: 5000, stock: 10 }]);
    await makeMallItem(cloud, 'mi-cash', { kind: 'points_cash', title: '换购杯', points: 200, cash: 1900, skuId: 'sku-cash', stock: 5 });
    const alice = await memberIdOf(cloud, 'alice');
    await givePoints(cloud, alice, 200);
    const lotsBefore = (await docOf(cloud, 'members', alice)).pointLots;
    await cloud.client.faults.add('cloudPay.unifiedOrder', 'timeout');

    const cut = await exchangeThatDies({ itemId: 'mi-cash', requestId: 'cash-req-0001', address: ADDRESS });
    expect(cut).toMatchObject({ state: 'pending', pointsTaken: true });
    expect(await docOf(cloud, 'orders', cut.orderId)).toMatchObject({ state: 'created', payable: 1900 });
    expect(await expectLedgerBalanced(cloud, alice)).toBe(0);
    // She gives up on it: the unpaid order is cancelled before the sweep looks at the exchange.
    expect(await cloud.invoke('order', { action: 'cancel', orderId: cut.orderId }, 'alice')).toMatchObject({ ok: true });

    expect(await settleTwice()).toMatchObject({ undone: 1, finished: 0 });
    expect(await docOf(cloud, 'exchanges', cut._id)).toMatchObject({ state: 'failed', reason: 'order_cancelled', stockReturned: true });
    expect(await docsOf(cloud, 'points_ledger', { memberId: alice, source: 'exchange_return' })).toMatchObject([{ delta: 200 }]);
    expect(await expectLedgerBalanced(cloud, alice)).toBe(200);
    expect((await docOf(cloud, 'members', alice)).pointLots).toEqual(lotsBefore);
    expect(await docOf(cloud, 'mall_limits', `mlim:mi-cash:${alice}`)).toMatchObject({ count: 0 });
    expect(await docOf(cloud, 'mall_items', 'mi-cash')).toMatchObject({ stockLeft: 5 });
  });

  it('a points + cash exchange dies before its prepay: it waits for its order, which the member then pays', async () => {
    await makeProduct(cloud, 'prd-cash', [{ id: 'sku-cash', price: 5000, stock: 10 }]);
    await makeMallItem(cloud, 'mi-cash', { kind: 'points_cash', title: '换购杯', points: 200, cash: 1900, skuId: 'sku-cash', stock: 5 });
    const alice = await memberIdOf(cloud, 'alice');
    await givePoints(cloud, alice, 200);
    await cloud.client.faults.add('cloudPay.unifiedOrder', 'timeout');

    const cut = await exchangeThatDies({ itemId: 'mi-cash', requestId: 'cash-req-0002', address: ADDRESS });
    expect(await settleTwice()).toMatchObject({ finished: 1, undone: 0 });
    expect(await docOf(cloud, 'exchanges', cut._id)).toMatchObject({ state: 'awaiting_payment' });
    // The order page asks for the payment again; she pays.
    expect(await cloud.invoke('order', { action: 'pay', orderId: cut.orderId }, 'alice')).toMatchObject({ ok: true });
    await cloud.client.payments.settle(cut.orderId);
    expect((await runJobs(cloud, ['settleExchanges'])).settleExchanges.result).toMatchObject({ paid: 1 });
    expect(await docOf(cloud, 'exchanges', cut._id)).toMatchObject({ state: 'done' });
    expect(await docOf(cloud, 'orders', cut.orderId)).toMatchObject({ state: 'paid' });
    expect(await expectLedgerBalanced(cloud, alice)).toBe(0);
    expect(await docOf(cloud, 'mall_items', 'mi-cash')).toMatchObject({ stockLeft: 4 });
  });

  it('a points + cash exchange whose prepay fails (an error, not a crash) follows its order: never its points back and the order payable', async () => {
    await makeProduct(cloud, 'prd-cash', [{ id: 'sku-cash', price: 5000, stock: 10 }]);
    await makeMallItem(cloud, 'mi-cash', { kind: 'points_cash', title: '换购杯', points: 200, cash: 1900, skuId: 'sku-cash', stock: 5 });
    const alice = await memberIdOf(cloud, 'alice');
    await givePoints(cloud, alice, 200);
    await cloud.client.faults.add('cloudPay.unifiedOrder', { errCode: -501001, errMsg: 'system busy' });

    const answer = await cloud.invoke(
      'points',
      { action: 'exchange', itemId: 'mi-cash', requestId: 'cash-req-0003', address: ADDRESS },
      'alice',
    );
    expect(answer).toMatchObject({ ok: false });
    const [exchange] = await docsOf(cloud, 'exchanges', { requestId: 'cash-req-0003' });
    // The order was placed before its prepay failed: it can still be paid, so the exchange waits for it with the points.
    expect(await docOf(cloud, 'orders', exchange.orderId)).toMatchObject({ state: 'created', payable: 1900, exchange: { points: 200 } });
    expect(exchange).toMatchObject({ state: 'awaiting_payment', pointsTaken: true });
    expect(await expectLedgerBalanced(cloud, alice)).toBe(0);
    expect(await docOf(cloud, 'mall_items', 'mi-cash')).toMatchObject({ stockLeft: 4 });

    // She pays it from the order page: the exchange is done, the points stay spent.
    expect(await cloud.invoke('order', { action: 'pay', orderId: exchange.orderId }, 'alice')).toMatchObject({ ok: true });
    await cloud.client.payments.settle(exchange.orderId);
    expect(await cloud.invoke('points', { action: 'exchanges' }, 'alice')).toMatchObject({
      ok: true,
      data: { exchanges: [{ exchangeId: exchange._id, state: 'done' }] },
    });
    expect(await docsOf(cloud, 'points_ledger', { memberId: alice, source: 'exchange_return' })).toEqual([]);
    expect(await expectLedgerBalanced(cloud, alice)).toBe(0);
    expect(await docOf(cloud, 'mall_items', 'mi-cash')).toMatchObject({ stockLeft: 4 });
  });

  describe('a coupon exchange run step by step in the test process', () => {
    /** The exchange as `exchangeItem` writes it, run up to `upTo` ('stock': the unit taken but not yet marked). */
    async function exchangeUpTo(upTo: 'stock' | 'points' | 'coupon', requestId: string) {
      const server = await pointsServer(cloud);
      const now = new Date((await cloud.client.clock.get()).now);
      const memberId = await memberIdOf(cloud, 'alice');
      const item = await server.findItem('mi-step');
      if (!item) throw new Error('mi-step is missing');
      const doc = server.newExchangeDoc(memberId, requestId, item, now);
      expect(await server.insertExchange(doc)).toBe(true);
      expect(await server.takeItemStock(item._id, now)).toBe(true);
      /** The next step is held by a `"timeout"` fault: the call never answers (the test does not wait for it). */
      const dieAt = async (target: string, step: () => Promise<unknown>) => {
        await cloud.client.faults.add(target, 'timeout');
        void step().catch(() => undefined);
        while ((await cloud.client.faults.list()).faults.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      };
      if (upTo === 'stock') {
        await dieAt('database.modifyDocument', () => server.updateExchange(doc._id, { state: 'pending' }, { stockTaken: true }));
        return doc;
      }
      expect(await server.updateExchange(doc._id, { state: 'pending' }, { stockTaken: true })).toBe(true);
      await server.spendForExchange({ ...doc, stockTaken: true }, item.perMemberLimit, now);
      if (upTo === 'points') await dieAt('database.insertDocument', () => server.issueExchangeCoupon(doc, item, now));
      else await server.issueExchangeCoupon(doc, item, now);
      return doc;
    }

    beforeEach(async () => {
      await makeCouponItem(cloud, 'mi-step', { points: 100, stock: 3, perMemberLimit: 2 });
      await givePoints(cloud, await memberIdOf(cloud, 'alice'), 150);
    });

    it('dies at its coupon insert after taking the points: undone once, the points with their expiries, limit and unit back', async () => {
      const alice = await memberIdOf(cloud, 'alice');
      const lotsBefore = (await docOf(cloud, 'members', alice)).pointLots;
      const doc = await exchangeUpTo('points', 'step-req-0001');
      expect(await docOf(cloud, 'exchanges', doc._id)).toMatchObject({ state: 'pending', stockTaken: true, pointsTaken: true });
      expect(await docOf(cloud, 'coupons', `exchange:${doc._id}`)).toBeNull();
      expect(await expectLedgerBalanced(cloud, alice)).toBe(50);

      expect(await settleTwice()).toMatchObject({ undone: 1, finished: 0 });
      expect(await docOf(cloud, 'exchanges', doc._id)).toMatchObject({ state: 'failed', reason: 'interrupted', stockReturned: true });
      expect(await docsOf(cloud, 'points_ledger', { memberId: alice, source: 'exchange_return' })).toMatchObject([
        { _id: `ledger:exchange_return:${doc._id}`, delta: 100 },
      ]);
      expect(await expectLedgerBalanced(cloud, alice)).toBe(150);
      expect((await docOf(cloud, 'members', alice)).pointLots).toEqual(lotsBefore);
      expect(await docOf(cloud, 'mall_limits', `mlim:mi-step:${alice}`)).toMatchObject({ count: 0 });
      expect(await docOf(cloud, 'mall_items', 'mi-step')).toMatchObject({ stockLeft: 3 });
      expect(await docOf(cloud, 'coupons', `exchange:${doc._id}`)).toBeNull();
    });

    it('dies after its coupon was issued, before it was marked done: finished once with that coupon, nothing given back', async () => {
      const alice = await memberIdOf(cloud, 'alice');
      const doc = await exchangeUpTo('coupon', 'step-req-0002');
      expect(await docOf(cloud, 'exchanges', doc._id)).toMatchObject({ state: 'pending', pointsTaken: true, couponId: null });

      expect(await settleTwice()).toMatchObject({ finished: 1, undone: 0 });
      expect(await docOf(cloud, 'exchanges', doc._id)).toMatchObject({ state: 'done', couponId: `exchange:${doc._id}` });
      expect(await docOf(cloud, 'coupons', `exchange:${doc._id}`)).toMatchObject({ memberId: alice, state: 'usable' });
      expect(await docsOf(cloud, 'points_ledger', { memberId: alice, source: 'exchange_return' })).toEqual([]);
      expect(await expectLedgerBalanced(cloud, alice)).toBe(50);
      expect(await docOf(cloud, 'mall_items', 'mi-step')).toMatchObject({ stockLeft: 2 });
    });

    it('dies between taking a unit and marking it taken: the exchange fails, and the stock reconcile gives the stranded unit back once', async () => {
      const alice = await memberIdOf(cloud, 'alice');
      const doc = await exchangeUpTo('stock', 'step-req-0003');
      expect(await docOf(cloud, 'exchanges', doc._id)).toMatchObject({ state: 'pending', stockTaken: false });
      expect(await docOf(cloud, 'mall_items', 'mi-step')).toMatchObject({ stockLeft: 2 });

      expect(await settleTwice()).toMatchObject({ undone: 1, returned: 1 });
      expect(await docOf(cloud, 'exchanges', doc._id)).toMatchObject({ state: 'failed', reason: 'interrupted', stockTaken: false });
      expect(await docOf(cloud, 'mall_items', 'mi-step')).toMatchObject({ stockLeft: 3 });
      expect(await expectLedgerBalanced(cloud, alice)).toBe(150);
    });
  });
});
