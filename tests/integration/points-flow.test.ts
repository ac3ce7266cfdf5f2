import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { templateInput } from '../support/coupons';
import { ADDRESS, createOrder, docOf, docsOf, makeProduct, runJobs } from '../support/orders';
import { expectLedgerBalanced, givePoints, makeMallItem, memberIdOf } from '../support/points';

/**
 * Points through the real functions: the check-in shared by the mini-program and 签到 in the
 * 公众号, purchase points and their take-back on refund, exchanges of each kind, expiry, the audit.
 */
describe('points: earning, exchanges, expiry', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';
  const DAY = 24 * 60 * 60 * 1000;

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
  });

  it('a check-in in the app and 签到 in the 公众号 on one day count once; the 公众号 answers with the balance and a card', async () => {
    const memberId = await memberIdOf(cloud, 'alice');
    const first = await cloud.invoke('points', { action: 'checkIn' }, 'alice');
    expect(first, JSON.stringify(first)).toMatchObject({
      ok: true,
      data: { checkedIn: true, awarded: 5, summary: { balance: 5, checkIn: { done: true, streak: 1 } } },
    });
    const pushed = (await cloud.client.mp.push({ persona: 'alice', type: 'text', content: '签到' })) as any;
    expect(JSON.stringify(pushed)).toContain('今天已经签到过啦，当前积分 5');
    const { entries } = await cloud.client.outbox.list('mp');
    expect(entries.some((e: any) => JSON.stringify(e).includes('packages/points/center/index'))).toBe(true);
    expect(await docsOf(cloud, 'points_ledger', { memberId, source: 'checkin' })).toHaveLength(1);
    await expectLedgerBalanced(cloud, memberId);

    // The next day the 公众号 goes first: the app then finds it done, and the streak is 2.
    await cloud.client.clock.advance(DAY);
    const next = (await cloud.client.mp.push({ persona: 'alice', type: 'text', content: ' 签到 ' })) as any;
    expect(JSON.stringify(next)).toContain('签到成功 +5 积分');
    const again = await cloud.invoke('points', { action: 'checkIn' }, 'alice');
    expect(again).toMatchObject({
      ok: true,
      data: { checkedIn: false, awarded: 0, summary: { balance: 10, checkIn: { done: true, streak: 2 } } },
    });
  });

  it('20 check-ins of one member at once, app and 公众号 mixed, write one entry', async () => {
    const memberId = await memberIdOf(cloud, 'alice');
    await cloud.client.mp.push({ persona: 'alice', type: 'text', content: '你好' });
    const calls = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? cloud.invoke('points', { action: 'checkIn' }, 'alice')
        : cloud.client.mp.push({ persona: 'alice', type: 'text', content: '签到', msgId: `2400000000000000${1000 + i}` }),
    );
    await Promise.all(calls);
    expect(await docsOf(cloud, 'points_ledger', { memberId, source: 'checkin' })).toHaveLength(1);
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(5);
  });

  it('a paid order earns a point per yuan; its refund takes them back once, also after repeated callbacks', async () => {
    await makeProduct(cloud, 'prd-pts', [{ id: 'sku-pts', price: 12345, stock: 5 }]);
    const memberId = await memberIdOf(cloud, 'alice');
    const created = await createOrder(cloud, 'alice', [{ skuId: 'sku-pts', quantity: 1 }], 'pts-order-0001');
    const orderId = created.data.order.orderId;
    await cloud.client.payments.settle(orderId, { deliveries: 3 });
    expect(await docOf(cloud, 'points_ledger', `ledger:order:${orderId}`)).toMatchObject({ memberId, delta: 123, source: 'order' });
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(123);

    const asked = await cloud.invoke('order', { action: 'requestRefund', orderId, reason: '不想要了' }, 'alice');
    expect(asked, JSON.stringify(asked)).toMatchObject({ ok: true });
    const refundId = asked.data.refund.refundId;
    await runJobs(cloud, ['driveRefunds']);
    await cloud.client.payments.settleRefund(refundId, { result: 'SUCCESS', deliveries: 3 });
    await runJobs(cloud, ['driveRefunds']);
    expect(await docsOf(cloud, 'points_ledger', { memberId, source: 'refund' })).toMatchObject([{ delta: -123 }]);
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(0);
  });

  it('a refund of points already spent takes back what is left and never goes negative', async () => {
    await makeProduct(cloud, 'prd-pts', [{ id: 'sku-pts', price: 20000, stock: 5 }]);
    await makeMallItem(cloud, 'mi-t', { kind: 'coupon', title: '测试券', points: 150, templateId: 'tpl-mi-t', stock: 10 }).catch(
      () => null,
    );
    const memberId = await memberIdOf(cloud, 'alice');
    const created = await createOrder(cloud, 'alice', [{ skuId: 'sku-pts', quantity: 1 }], 'pts-order-0002');
    const orderId = created.data.order.orderId;
    await cloud.client.payments.settle(orderId);
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(200);
    await givePoints(cloud, memberId, -150);
    const asked = await cloud.invoke('order', { action: 'requestRefund', orderId, reason: '不想要了' }, 'alice');
    await runJobs(cloud, ['driveRefunds']);
    await cloud.client.payments.settleRefund(asked.data.refund.refundId, { result: 'SUCCESS' });
    expect(await docsOf(cloud, 'points_ledger', { memberId, source: 'refund' })).toMatchObject([{ delta: -50, unrecovered: 150 }]);
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(0);
  });

  it('exchanges a coupon item: points, stock and the coupon in the wallet; the same requestId exchanges once', async () => {
    const template = templateInput({ name: '积分兑换券', terms: { kind: 'no_threshold', amountOff: 500 } });
    const made = await cloud.invoke('couponAdmin', { action: 'createCouponTemplate', id: 'tpl-mall', template });
    expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
    await makeMallItem(cloud, 'mi-coupon', {
      kind: 'coupon',
      title: '5元券',
      points: 100,
      templateId: 'tpl-mall',
      stock: 10,
      perMemberLimit: 2,
    });
    const memberId = await memberIdOf(cloud, 'alice');
    await givePoints(cloud, memberId, 250);
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        cloud.invoke('points', { action: 'exchange', itemId: 'mi-coupon', requestId: 'xchg-req-0001', points: 1 }, 'alice'),
      ),
    );
    // One exchange: the first answers it done; a repeat that arrived while it ran answers it as it was then (兑换中 or done).
    const ids = new Set(answers.map((answer) => answer.data?.exchange?.exchangeId));
    expect(ids.size, JSON.stringify(answers)).toBe(1);
    for (const answer of answers) expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true, data: { exchange: { points: 100 } } });
    expect(answers.filter((answer) => !answer.data.repeated)).toMatchObject([{ data: { exchange: { state: 'done' } } }]);
    expect(await docOf(cloud, 'exchanges', [...ids][0])).toMatchObject({ state: 'done', couponId: expect.any(String) });
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(150);
    expect(await docOf(cloud, 'mall_items', 'mi-coupon')).toMatchObject({ stockLeft: 9 });
    const wallet = await cloud.invoke('coupon', { action: 'wallet' }, 'alice');
    expect(JSON.stringify(wallet)).toContain('积分兑换券');
    const mine = await cloud.invoke('points', { action: 'exchanges' }, 'alice');
    expect(mine).toMatchObject({ ok: true, data: { exchanges: [{ itemId: 'mi-coupon', state: 'done', stateText: '已兑换' }] } });
  });

  it('a member with points for exactly k exchanges fires 3k at once: exactly k succeed, balance 0, stock right', async () => {
    await makeProduct(cloud, 'prd-x', [{ id: 'sku-x', price: 5000, stock: 100 }]);
    await makeMallItem(cloud, 'mi-x', { kind: 'product', title: '积分好物', points: 300, skuId: 'sku-x', stock: 50, perMemberLimit: 10 });
    const memberId = await memberIdOf(cloud, 'alice');
    const k = 3;
    await givePoints(cloud, memberId, 300 * k);
    const answers = await Promise.all(
      Array.from({ length: 3 * k }, (_, i) =>
        cloud.invoke('points', { action: 'exchange', itemId: 'mi-x', requestId: `xchg-burst-${1000 + i}`, address: ADDRESS }, 'alice'),
      ),
    );
    const won = answers.filter((a) => a.ok);
    expect(won, JSON.stringify(answers.filter((a) => !a.ok).map((a) => a.code))).toHaveLength(k);
    for (const lost of answers.filter((a) => !a.ok)) expect(['FAILED_PRECONDITION', 'CONFLICT']).toContain(lost.code);
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(0);
    expect(await docOf(cloud, 'mall_items', 'mi-x')).toMatchObject({ stockLeft: 50 - k });
    const orders = await docsOf(cloud, 'orders', { memberId });
    expect(orders.filter((o: any) => o.state === 'paid')).toHaveLength(k);
    expect(orders.every((o: any) => o.payable === 0 && o.exchange?.points === 300)).toBe(true);
    expect(await docOf(cloud, 'skus', 'sku-x')).toMatchObject({ stock: 100 - k });
  });

  it('a points + cash item left unpaid: the order is cancelled and the points and the unit come back', async () => {
    await makeProduct(cloud, 'prd-c', [{ id: 'sku-c', price: 5000, stock: 10 }]);
    await makeMallItem(cloud, 'mi-c', { kind: 'points_cash', title: '换购杯', points: 200, cash: 1900, skuId: 'sku-c', stock: 5 });
    const memberId = await memberIdOf(cloud, 'alice');
    await givePoints(cloud, memberId, 200);
    const answer = await cloud.invoke(
      'points',
      { action: 'exchange', itemId: 'mi-c', requestId: 'xchg-cash-0001', address: ADDRESS },
      'alice',
    );
    expect(answer, JSON.stringify(answer)).toMatchObject({
      ok: true,
      data: { exchange: { state: 'awaiting_payment', cash: 1900 }, payment: expect.anything(), balance: 0 },
    });
    const order = await docOf(cloud, 'orders', answer.data.exchange.orderId);
    expect(order).toMatchObject({ payable: 1900, state: 'created', exchange: { points: 200 } });
    await cloud.client.clock.advance(20 * 60_000);
    await runJobs(cloud, ['expireOrders']);
    // The points jobs run beside the scheduler's own: the next tick finds the order cancelled.
    await runJobs(cloud, ['settleExchanges']);
    expect(await docOf(cloud, 'orders', order._id)).toMatchObject({ state: 'cancelled' });
    expect(await docOf(cloud, 'exchanges', answer.data.exchange.exchangeId)).toMatchObject({ state: 'cancelled', stockReturned: true });
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(200);
    expect(await docOf(cloud, 'mall_items', 'mi-c')).toMatchObject({ stockLeft: 5 });
  });

  it('bad inputs are refused with a clear error and write nothing', async () => {
    await makeProduct(cloud, 'prd-b', [{ id: 'sku-b', price: 5000, stock: 10 }]);
    await makeMallItem(cloud, 'mi-late', {
      kind: 'product',
      title: '未开始',
      points: 10,
      skuId: 'sku-b',
      stock: 5,
      startAt: '2029-01-01T00:00:00+08:00',
    });
    const memberId = await memberIdOf(cloud, 'alice');
    await givePoints(cloud, memberId, 100);
    const before = await docsOf(cloud, 'points_ledger', { memberId });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ action: 'exchange', itemId: 'mi-none', requestId: 'bad-req-0001' }, 'NOT_FOUND'],
      [{ action: 'exchange', itemId: 'mi-late', requestId: 'bad-req-0002', address: ADDRESS }, 'FAILED_PRECONDITION'],
      [{ action: 'exchange', itemId: 'mi-late', requestId: 'x' }, 'INVALID_ARGUMENT'],
      [{ action: 'exchange', itemId: { $ne: 1 }, requestId: 'bad-req-0003' }, 'INVALID_ARGUMENT'],
    ];
    for (const [event, code] of cases) expect(await cloud.invoke('points', event, 'alice')).toMatchObject({ ok: false, code });
    for (const delta of [1.5, 0, -1e9]) {
      expect(
        await cloud.invoke('pointsAdmin', { action: 'adjustPoints', memberId, delta, reason: '测试', requestId: 'bad-adjust-01' }),
      ).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    }
    expect(
      await cloud.invoke('pointsAdmin', { action: 'adjustPoints', memberId, delta: -101, reason: '测试扣减', requestId: 'bad-adjust-02' }),
    ).toMatchObject({
      ok: false,
      code: 'FAILED_PRECONDITION',
    });
    expect(await docsOf(cloud, 'points_ledger', { memberId })).toEqual(before);
    expect(await docsOf(cloud, 'exchanges')).toEqual([]);
    expect(
      await cloud.invoke('points', { action: 'exchange', itemId: 'mi-late', requestId: 'bad-req-0004', address: ADDRESS }, 'alice'),
    ).toMatchObject({ ok: false });
  });

  it('points expire at the end of their lot, spending takes the soonest first, and the audit repairs a tampered balance', async () => {
    const rules = await cloud.invoke('pointsAdmin', { action: 'setPointsRules', expiry: { mode: 'days', days: 1 } });
    expect(rules, JSON.stringify(rules)).toMatchObject({ ok: true });
    const memberId = await memberIdOf(cloud, 'alice');
    await givePoints(cloud, memberId, 100, 'lot-a-0001');
    await cloud.client.clock.advance(DAY);
    await givePoints(cloud, memberId, 50, 'lot-b-0001');
    await givePoints(cloud, memberId, -120, 'spend-0001');
    // Day 2: the first lot (100, spent 100) ends today; the second (50, spent 20) tomorrow.
    await cloud.client.clock.advance(DAY);
    const ran = await runJobs(cloud, ['expirePoints']);
    expect(ran.expirePoints, JSON.stringify(ran)).toMatchObject({ ran: true, result: { members: 0 } });
    await cloud.client.clock.advance(DAY);
    const ran2 = await runJobs(cloud, ['expirePoints']);
    expect(ran2.expirePoints).toMatchObject({ ran: true, result: { members: 1, points: 30 } });
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(0);

    await givePoints(cloud, memberId, 40, 'lot-c-0001');
    await cloud
      .db()
      .collection('members')
      .doc(memberId)
      .update({ data: { points: 999 } });
    const audit = await cloud.invoke('pointsAdmin', { action: 'auditPoints' });
    expect(audit).toMatchObject({
      ok: true,
      data: { complete: true, mismatched: [{ memberId, balance: 999, ledger: 40, lots: 40, fixed: false }] },
    });
    const fixed = await cloud.invoke('pointsAdmin', { action: 'auditPoints', fix: true });
    expect(fixed).toMatchObject({ ok: true, data: { mismatched: [{ memberId, fixed: true }] } });
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(40);
  });
});
