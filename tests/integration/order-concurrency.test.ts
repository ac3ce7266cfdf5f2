import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { claimCoupon, createOrder, docOf, docsOf, makeProduct, seedMembers, warmOrderInstances } from '../support/orders';

// More instances than the default 4, so creates really interleave in separate processes.
process.env.DUET_FUNCTION_INSTANCES = '8';

/**
 * Orders under concurrency, through the real functions: stock never oversold nor negative, a coupon
 * held by one order only, a request sent again making one order. Every check reads the database.
 */
describe('orders under concurrency', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
  });

  const stockOf = async (skuId: string) => (await docOf(cloud, 'skus', skuId)).stock as number;

  it('50 members ordering a SKU with stock 10 at once: exactly 10 orders, the rest refused; stock never below 0; cancels give back', async () => {
    await makeProduct(cloud, 'prd-hot', [{ id: 'sku-hot', price: 5900, stock: 10 }]);
    const users = Array.from({ length: 50 }, (_, i) => ({ openid: `buyer-${String(i).padStart(2, '0')}` }));
    const members = await seedMembers(
      cloud,
      users.map((user) => user.openid),
    );
    await warmOrderInstances(cloud, users[0], 8);

    // Watch the stock while the burst runs: it must never be seen below zero.
    let burst = true;
    const seen: number[] = [];
    const watcher = (async () => {
      while (burst) seen.push(await stockOf('sku-hot'));
    })();
    const answers = await Promise.all(
      users.map((user, i) => createOrder(cloud, user, [{ skuId: 'sku-hot', quantity: 1 }], `hot-req-${String(i).padStart(4, '0')}`)),
    );
    burst = false;
    await watcher;

    const won = answers.filter((answer) => answer.ok);
    const refused = answers.filter((answer) => !answer.ok);
    expect(won, JSON.stringify(refused.filter((a) => a.reason !== 'insufficient_stock'))).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const answer of refused) expect(answer).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'insufficient_stock' });
    for (const answer of won) expect(answer.data).toMatchObject({ repeated: false, order: { state: 'created', payable: 5900 } });
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    expect(await stockOf('sku-hot')).toBe(0);

    // The database: 10 created orders, each with one held reservation; the refused ones that got as far
    // as writing their order are cancelled and hold nothing.
    const orders = await docsOf(cloud, 'orders');
    const created = orders.filter((order) => order.state === 'created');
    expect(created.map((order) => order._id).sort()).toEqual(won.map((answer) => answer.data.order.orderId).sort());
    for (const order of orders.filter((o) => o.state !== 'created')) {
      expect(order).toMatchObject({ state: 'cancelled', cancelReason: 'reserve_failed', releasedAt: expect.anything() });
    }
    const wonMembers = new Set(created.map((order) => order.memberId));
    expect(wonMembers.size).toBe(10);
    for (const [i, answer] of answers.entries()) {
      if (!answer.ok) expect(wonMembers.has(members.get(users[i].openid))).toBe(false);
    }
    const reservations = await docsOf(cloud, 'stock_reservations');
    expect(reservations.filter((r) => r.state === 'held')).toHaveLength(10);
    expect(reservations).toHaveLength(10);
    expect(new Set(reservations.map((r) => r.orderId))).toEqual(new Set(created.map((order) => order._id)));
    expect(reservations.every((r) => r.skuId === 'sku-hot' && r.quantity === 1)).toBe(true);
    // One prepay per order made, none for the refused.
    expect((await cloud.client.payments.list()).payments.map((p) => p.outTradeNo).sort()).toEqual(created.map((o) => o._id).sort());

    // Three of the winners cancel, at once: three units back, three reservations released, once each.
    const cancelling = won.slice(0, 3).map((answer) => ({
      orderId: answer.data.order.orderId as string,
      user: users[answers.indexOf(answer)],
    }));
    const cancels = await Promise.all(
      [...cancelling, ...cancelling].map(({ orderId, user }) => cloud.invoke('order', { action: 'cancel', orderId }, user)),
    );
    for (const answer of cancels)
      expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true, data: { order: { state: 'cancelled' } } });
    expect(await stockOf('sku-hot')).toBe(3);
    const after = await docsOf(cloud, 'stock_reservations');
    expect(after.filter((r) => r.state === 'held')).toHaveLength(7);
    expect(
      after
        .filter((r) => r.state === 'released')
        .map((r) => r.orderId)
        .sort(),
    ).toEqual(cancelling.map((c) => c.orderId).sort());
    for (const { orderId } of cancelling) {
      expect(await docOf(cloud, 'orders', orderId)).toMatchObject({
        state: 'cancelled',
        cancelReason: 'member_cancelled',
        prepayClosedAt: expect.anything(),
      });
      expect((await cloud.client.payments.get(orderId)).payment.state).toBe('CLOSED');
    }
  }, 180_000);

  it('one member sending 50 different requests for a SKU with stock 10 gets exactly 10 orders', async () => {
    await makeProduct(cloud, 'prd-solo', [{ id: 'sku-solo', price: 1200, stock: 10 }]);
    const user = { openid: 'solo-buyer' };
    await seedMembers(cloud, [user.openid]);
    await warmOrderInstances(cloud, user, 8);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        createOrder(cloud, user, [{ skuId: 'sku-solo', quantity: 1 }], `solo-req-${String(i).padStart(4, '0')}`),
      ),
    );
    expect(answers.filter((answer) => answer.ok)).toHaveLength(10);
    for (const answer of answers.filter((a) => !a.ok))
      expect(answer).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'insufficient_stock' });
    expect(await stockOf('sku-solo')).toBe(0);
    expect(await docsOf(cloud, 'orders', { state: 'created' })).toHaveLength(10);
    expect(await docsOf(cloud, 'stock_reservations', { state: 'held' })).toHaveLength(10);
  }, 120_000);

  it('the same requestId sent 5 times at once makes one order: one reservation, one unit taken, one prepay', async () => {
    await makeProduct(cloud, 'prd-retry', [{ id: 'sku-retry', price: 3300, stock: 10 }]);
    const user = { openid: 'double-tapper' };
    const members = await seedMembers(cloud, [user.openid]);
    await warmOrderInstances(cloud, user, 5);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => createOrder(cloud, user, [{ skuId: 'sku-retry', quantity: 2 }], 'same-req-0001')),
    );

    const orders = await docsOf(cloud, 'orders', { memberId: members.get(user.openid) });
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ state: 'created', payable: 6600 });
    // Each answer is that order, or "still being created" (CONFLICT) when it came while the first was reserving.
    for (const answer of answers) {
      if (answer.ok) expect(answer.data.order.orderId).toBe(orders[0]._id);
      else expect(answer, JSON.stringify(answer)).toMatchObject({ code: 'CONFLICT' });
    }
    expect(answers.filter((answer) => answer.ok && !answer.data.repeated)).toHaveLength(1);
    expect(await stockOf('sku-retry')).toBe(8);
    expect(await docsOf(cloud, 'stock_reservations')).toMatchObject([{ orderId: orders[0]._id, quantity: 2, state: 'held' }]);
    expect((await cloud.client.payments.list()).payments.map((p) => p.outTradeNo)).toEqual([orders[0]._id]);
    // Asked once more after the burst: the same order, repeated, with its prepay.
    const again = await createOrder(cloud, user, [{ skuId: 'sku-retry', quantity: 2 }], 'same-req-0001');
    expect(again).toMatchObject({ ok: true, data: { repeated: true, order: { orderId: orders[0]._id } } });
    expect(again.data.payment.package).toMatch(/^prepay_id=/);
  }, 120_000);

  it('two orders at once with the same coupon by id: exactly one holds it, the other is refused and holds nothing', async () => {
    await makeProduct(cloud, 'prd-c', [{ id: 'sku-c', price: 9900, stock: 10 }]);
    await cloud.invoke('member', { action: 'login' }, 'alice');
    const couponId = await claimCoupon(cloud, 'alice', 'tpl-one');
    await warmOrderInstances(cloud, 'alice', 2);
    const answers = await Promise.all(
      ['coupon-req-a001', 'coupon-req-b001'].map((requestId) =>
        createOrder(cloud, 'alice', [{ skuId: 'sku-c', quantity: 1 }], requestId, { coupon: couponId }),
      ),
    );
    const won = answers.filter((answer) => answer.ok);
    expect(won, JSON.stringify(answers)).toHaveLength(1);
    expect(won[0].data.order).toMatchObject({ couponId, discount: 2000, payable: 7900 });
    const loser = answers.find((answer) => !answer.ok);
    // Refused whether it lost the lock (locked) or priced after the lock (the coupon is no longer usable: not_found).
    expect(loser).toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect(['locked', 'not_found']).toContain(loser.reason);

    const winnerId = won[0].data.order.orderId;
    expect(await docOf(cloud, 'coupons', couponId)).toMatchObject({ state: 'locked', orderId: winnerId });
    expect(await docsOf(cloud, 'orders', { state: 'created' })).toMatchObject([{ _id: winnerId, couponId }]);
    // The loser's order, if written, is cancelled and holds nothing: one unit taken in all.
    for (const order of await docsOf(cloud, 'orders', { state: 'cancelled' })) expect(order.cancelReason).toBe('reserve_failed');
    expect(await stockOf('sku-c')).toBe(9);
    expect(await docsOf(cloud, 'stock_reservations')).toMatchObject([{ orderId: winnerId, state: 'held' }]);

    // Cancelling the winner gives the coupon back; an order now can take it.
    expect(await cloud.invoke('order', { action: 'cancel', orderId: winnerId }, 'alice')).toMatchObject({ ok: true });
    expect(await docOf(cloud, 'coupons', couponId)).toMatchObject({ state: 'usable', orderId: null });
    const next = await createOrder(cloud, 'alice', [{ skuId: 'sku-c', quantity: 1 }], 'coupon-req-c001', { coupon: couponId });
    expect(next).toMatchObject({ ok: true, data: { order: { couponId, payable: 7900 } } });
    expect(await stockOf('sku-c')).toBe(9);
  }, 120_000);

  /**
   * With "best", both creates pick the one coupon when they price. The create that locks it first
   * has it; the other is refused (FAILED_PRECONDITION locked) because the coupon its price was
   * computed with cannot be locked — Duet never silently charges a price other than the one it
   * computed. Only a create that prices after the lock sees no usable coupon and makes an order at
   * the full price: "best" means the best coupon still in the wallet, and one held by another
   * unpaid order is not. Either way exactly one order has the coupon, and none is discounted twice.
   */
  it('two orders at once with "best": exactly one order has the coupon; the other is refused, or priced without it', async () => {
    await makeProduct(cloud, 'prd-b', [{ id: 'sku-b', price: 9900, stock: 10 }]);
    await cloud.invoke('member', { action: 'login' }, 'bob');
    const couponId = await claimCoupon(cloud, 'bob', 'tpl-best');
    await warmOrderInstances(cloud, 'bob', 2);
    const answers = await Promise.all(
      ['best-req-a0001', 'best-req-b0001'].map((requestId) =>
        createOrder(cloud, 'bob', [{ skuId: 'sku-b', quantity: 1 }], requestId, { coupon: 'best' }),
      ),
    );
    const withCoupon = answers.filter((answer) => answer.ok && answer.data.order.couponId === couponId);
    expect(withCoupon, JSON.stringify(answers)).toHaveLength(1);
    expect(withCoupon[0].data.order).toMatchObject({ discount: 2000, payable: 7900 });
    const other = answers.find((answer) => answer !== withCoupon[0]);
    if (other.ok) expect(other.data.order).toMatchObject({ couponId: null, discount: 0, payable: 9900 });
    else expect(other).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'locked' });

    const winnerId = withCoupon[0].data.order.orderId;
    expect(await docOf(cloud, 'coupons', couponId)).toMatchObject({ state: 'locked', orderId: winnerId });
    const live = await docsOf(cloud, 'orders', { state: 'created' });
    expect(live.filter((order) => order.couponId !== null).map((order) => order._id)).toEqual([winnerId]);
    expect(await stockOf('sku-b')).toBe(10 - live.length);
  }, 120_000);
});
