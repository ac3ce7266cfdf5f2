import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { claimCoupon, createOrder, makeProduct } from '../support/orders';

/**
 * The request budget of the money path: how many database requests (and cloudPay calls) one order
 * creation and one pay callback make, counted by the local cloud (GET /_emu/stats, one count per
 * /admin action). The counts are deterministic, so they are asserted exactly: a change that adds a
 * request fails here and must say why. The benchmark (`npm run bench -- o`) prints the same numbers
 * under load.
 *
 * The member is known (logged in before): a first visit resolves and writes the member as well.
 */
describe('order request budget', () => {
  const cloud = useCloud();

  beforeEach(async () => {
    await cloud.client.clock.set('2026-12-03T02:00:00.000Z');
    await makeProduct(cloud, 'prd-budget', [
      { id: 'sku-b1', price: 9900, stock: 100 },
      { id: 'sku-b2', price: 500, stock: 100 },
    ]);
    await cloud.invoke('member', { action: 'login' }, 'alice');
  });

  /** What `run` cost: the database actions by name (only those it made) and the cloudPay calls. */
  async function cost(run: () => Promise<unknown>): Promise<{ database: Record<string, number>; total: number; pay: number }> {
    const before = (await cloud.client.stats()).counts;
    await run();
    const after = (await cloud.client.stats()).counts;
    const database: Record<string, number> = {};
    for (const [action, n] of Object.entries(after)) {
      const made = n - (before[action] ?? 0);
      if (action.startsWith('database.') && made > 0) database[action.replace('database.', '')] = made;
    }
    const total = Object.values(database).reduce((sum, n) => sum + n, 0);
    return { database, total, pay: (after['wx.wxPayApi'] ?? 0) - (before['wx.wxPayApi'] ?? 0) };
  }
  const create = (requestId: string, lines: Array<{ skuId: string; quantity: number }>, coupon?: string) =>
    cost(async () => {
      const answer = await createOrder(cloud, 'alice', lines, requestId, coupon ? { coupon } : {});
      expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
    });
  const settle = (orderId: string) =>
    cost(async () => {
      const settled = await cloud.client.payments.settle(orderId);
      expect(settled.deliveries).toMatchObject([{ acked: true }]);
    });
  const orderOf = async (requestId: string) => (await cloud.db().collection('orders').where({ requestId }).get()).data[0];

  it('an order creation: 11 database requests and one cloudPay call; a coupon adds 2, each more line 2; a repeat 4 and no call', async () => {
    // Warm an instance first: a cold start must not be counted (it makes no request, but keep the measure clean).
    await cloud.invoke('order', { action: 'counts' }, 'alice');

    // One line, no coupon ("none"):
    //   getDocument ×5:    the caller's identity and member (resolveMember); the order by its id (a repeat?);
    //                      the SKUs and the products (priceForMember; with "none" a create reads no coupons).
    //                      The funnel event takes the member just resolved (and keeps its touches on the order),
    //                      without reading it again: a merge racing the call is moved by the merge sweep.
    //                      A new order has no refunds: its answer reads none.
    //   insertDocument ×3: the order (`reserving`, its _id dedupes the request); the stock reservation; the
    //                      funnel event `order_created:<id>`.
    //   modifyDocument ×3: the conditional stock decrement; reserving → created; the prepay parameters kept on
    //                      the order (a repeat answers them without calling WeChat Pay).
    //   cloudPay ×1:       unifiedOrder.
    expect(await create('budget-req-0001', [{ skuId: 'sku-b1', quantity: 1 }], 'none')).toEqual({
      database: { getDocument: 5, insertDocument: 3, modifyDocument: 3 },
      total: 11,
      pay: 1,
    });

    // With a coupon: + the member's usable coupons (read) and the lock (usable → locked, one conditional update).
    const couponId = await claimCoupon(cloud, 'alice', 'tpl-budget');
    expect(await create('budget-req-0002', [{ skuId: 'sku-b1', quantity: 1 }], couponId)).toEqual({
      database: { getDocument: 6, insertDocument: 3, modifyDocument: 4 },
      total: 13,
      pay: 1,
    });

    // A second line: + its stock decrement and its reservation (the reads fetch all SKUs and products at once).
    expect(
      await create(
        'budget-req-0003',
        [
          { skuId: 'sku-b1', quantity: 1 },
          { skuId: 'sku-b2', quantity: 2 },
        ],
        'none',
      ),
    ).toEqual({ database: { getDocument: 5, insertDocument: 4, modifyDocument: 4 }, total: 13, pay: 1 });

    // The same request again: identity, member, the order found, its refunds for the view — nothing written, no call.
    expect(await create('budget-req-0003', [{ skuId: 'sku-b1', quantity: 1 }], 'none')).toEqual({
      database: { getDocument: 4 },
      total: 4,
      pay: 0,
    });
  });

  it('a pay callback: 15 database requests (+1 on a cold instance, which reads the points rules), +1 with a coupon, +1 per more line; a duplicate delivery 1', async () => {
    const couponId = await claimCoupon(cloud, 'alice', 'tpl-budget');
    await createOrder(cloud, 'alice', [{ skuId: 'sku-b1', quantity: 1 }], 'budget-pay-0001', { coupon: 'none' });
    await createOrder(cloud, 'alice', [{ skuId: 'sku-b1', quantity: 1 }], 'budget-pay-0002', { coupon: couponId });
    await createOrder(
      cloud,
      'alice',
      [
        { skuId: 'sku-b1', quantity: 1 },
        { skuId: 'sku-b2', quantity: 1 },
      ],
      'budget-pay-0003',
      { coupon: 'none' },
    );
    const [plain, withCoupon, twoLines] = await Promise.all(['budget-pay-0001', 'budget-pay-0002', 'budget-pay-0003'].map(orderOf));

    // One line, no coupon:
    //   getDocument ×3:    the order (outTradeNo); its reservations (to confirm them); the member, for the
    //                      first-paid mark (finalMemberId follows a merge). The `order_paid` event reads nothing:
    //                      it is credited to the touches the order kept and written for the order's member.
    //   modifyDocument ×4: created → paid (the conditional update that makes a second delivery a no-op); the
    //                      reservation held → confirmed; the member's firstPaidAt (only if unset); paidSettledAt.
    //   insertDocument ×2: the `order.paid` notice and the `order_paid` funnel event (dedupe _ids).
    // Purchase points (server/ledger/order-points.ts), +5: one transaction (start, commit) with 2 reads (measured:
    // the member's account among them), the ledger entry inserted and the member's balance modified, then the
    // `points_earned` funnel event, credited to the member as the transaction read it (no read of its own); the
    // earning rules are read once per instance and then cached (+1 here, cold).
    expect(await settle(plain._id)).toEqual({
      database: { getDocument: 5, insertDocument: 4, modifyDocument: 5, startTransaction: 1, commitTransaction: 1 },
      total: 16,
      pay: 0,
    });
    // With a coupon: + locked → used (the rules are cached now).
    expect(await settle(withCoupon._id)).toEqual({
      database: { getDocument: 4, insertDocument: 4, modifyDocument: 6, startTransaction: 1, commitTransaction: 1 },
      total: 16,
      pay: 0,
    });
    // Two lines: + the second reservation's confirmation.
    expect(await settle(twoLines._id)).toEqual({
      database: { getDocument: 4, insertDocument: 4, modifyDocument: 6, startTransaction: 1, commitTransaction: 1 },
      total: 16,
      pay: 0,
    });

    // The same callback again: the order read finds it paid and settled by this transaction; nothing else.
    expect(await settle(withCoupon._id)).toEqual({ database: { getDocument: 1 }, total: 1, pay: 0 });
  });
});
