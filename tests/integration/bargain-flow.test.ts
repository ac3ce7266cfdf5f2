import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/lib/seed';
import { BARGAIN_TASK_PAGE, buy, cut, makeBargain, startTask } from '../support/bargains';
import { projectRoot, useCloud } from '../support/cloud';
import { docOf, docsOf, makeProduct } from '../support/orders';
import { memberIdOf } from '../support/points';

/**
 * 砍价 end to end through the real functions: the operator's bargain, the owner's task, friends
 * arriving through the share card and cutting, the owner buying at the price of the moment through
 * the order path (the server's price, never the app's), paying, and everything refused on the way
 * leaving nothing behind.
 */
describe('bargain: create, cut, buy at the current price', () => {
  const cloud = useCloud();
  const NOW = '2026-12-05T02:00:00.000Z';

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
  });

  it('createBargain refuses cuts under 1 fen, an unknown SKU and a bad window, listing every problem and writing nothing', async () => {
    await makeProduct(cloud, 'prd-x', [{ id: 'sku-x', price: 1000, stock: 5 }]);
    const base = { title: '砍价', skuId: 'sku-x', startAt: '2026-12-01T00:00:00+08:00', endAt: '2026-12-31T00:00:00+08:00', taskHours: 24 };
    const tooFew = await cloud.invoke('bargainAdmin', {
      action: 'createBargain',
      id: 'bg-x',
      bargain: { ...base, floorPrice: 996, friends: 5 },
    });
    expect(tooFew).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(tooFew.detail).toContain('price − floorPrice is 4 fen, fewer than the 5 friends: each cut must be at least 1 fen');
    const floorAbove = await cloud.invoke('bargainAdmin', { action: 'createBargain', bargain: { ...base, floorPrice: 1000, friends: 1 } });
    expect(floorAbove.detail).toContain('floorPrice 1000 fen must be below the price 1000 fen');
    const many = await cloud.invoke('bargainAdmin', {
      action: 'createBargain',
      bargain: {
        ...base,
        skuId: 'sku-nope',
        floorPrice: 500,
        friends: 2,
        startAt: '2026-12-31T00:00:00+08:00',
        endAt: '2026-12-01T00:00:00+08:00',
      },
    });
    expect(many).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(many.detail).toContain('bargain.skuId: no SKU sku-nope on a product');
    expect(many.detail).toContain('bargain.endAt: the window ends after it starts');
    const zero = await cloud.invoke('bargainAdmin', { action: 'createBargain', bargain: { ...base, floorPrice: 0, friends: 2 } });
    expect(zero).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await docsOf(cloud, 'bargains')).toEqual([]);

    const made = await cloud.invoke('bargainAdmin', {
      action: 'createBargain',
      id: 'bg-x',
      bargain: { ...base, floorPrice: 995, friends: 5 },
    });
    expect(made).toMatchObject({ ok: true, data: { created: true, bargain: { price: 1000, floorPrice: 995, cuts: [1, 1, 1, 1, 1] } } });
    const again = await cloud.invoke('bargainAdmin', {
      action: 'createBargain',
      id: 'bg-x',
      bargain: { ...base, floorPrice: 995, friends: 5 },
    });
    expect(again).toMatchObject({ ok: true, data: { created: false } });
    const other = await cloud.invoke('bargainAdmin', {
      action: 'createBargain',
      id: 'bg-x',
      bargain: { ...base, floorPrice: 990, friends: 5 },
    });
    expect(other).toMatchObject({ ok: false, code: 'ALREADY_EXISTS' });
    const listed = await cloud.invoke('bargainAdmin', { action: 'listBargains' });
    expect(listed.data.bargains).toMatchObject([{ id: 'bg-x', rule: '5 位好友帮砍，每人砍 ¥0.01，最低 ¥9.95', started: 0 }]);
  });

  it('shows the whole schedule before anyone shares; a friend through the card cuts, credited to the sharer; the owner cannot cut', async () => {
    await makeBargain(cloud, 'bg-show', { price: 9900, floorPrice: 5903, friends: 5 });
    const offer = await cloud.invoke('bargain', { action: 'offer', bargainId: 'bg-show' }, 'alice');
    expect(offer.data).toMatchObject({
      offer: {
        price: 9900,
        floor: 5903,
        friends: 5,
        cuts: [799, 799, 799, 799, 801],
        rule: '5 位好友帮砍，每人砍 ¥7.99，最后一位砍 ¥8.01，最低 ¥59.03',
      },
      myTask: null,
      canStart: true,
    });
    const aliceId = await memberIdOf(cloud, 'alice');
    const taskId = await startTask(cloud, 'alice', 'bg-show');
    expect(await docsOf(cloud, 'events', { kind: 'bargain_started' })).toMatchObject([
      { _id: `bargain_started:${taskId}`, memberId: aliceId, price: 9900 },
    ]);

    const own = await cut(cloud, 'alice', taskId);
    expect(own).toMatchObject({ ok: false, code: 'PERMISSION_DENIED', reason: 'own_task', message: '不能给自己砍价哦' });

    // bob opens alice's card: the landing page records the share, then the task page; his cut is credited to it.
    const landed = await cloud.invoke('member', { action: 'visit', sharer: aliceId, to: BARGAIN_TASK_PAGE, id: taskId }, 'bob');
    expect(landed).toMatchObject({ ok: true, data: { page: BARGAIN_TASK_PAGE, params: { id: taskId }, attributed: true } });
    const seen = await cloud.invoke('bargain', { action: 'task', taskId }, 'bob');
    expect(seen.data.task).toMatchObject({
      state: 'open',
      current: 9900,
      nextCut: 799,
      owner: { nickname: expect.any(String) },
      me: { role: 'friend', canCut: true, canBuy: false, orderId: null },
    });
    const bobCut = await cut(cloud, 'bob', taskId);
    expect(bobCut).toMatchObject({
      ok: true,
      data: { fen: 799, repeated: false, task: { current: 9101, cuts: 1, me: { cut: 799, canCut: false } } },
    });
    const bobId = await memberIdOf(cloud, 'bob');
    const [event] = await docsOf(cloud, 'events', { kind: 'bargain_cut' });
    expect(event).toMatchObject({
      _id: `bargain_cut:${taskId}:${bobId}`,
      memberId: bobId,
      ownerId: aliceId,
      index: 0,
      cut: 799,
      touch: { channel: 'share', sharer: aliceId },
    });

    // alice's own tasks (the member center's list): this one at ¥91.01; bob started none; a visitor has none.
    const mine = await cloud.invoke('bargain', { action: 'mine' }, 'alice');
    expect(mine.data.tasks).toMatchObject([{ task: { taskId, current: 9101, cuts: 1, state: 'open' }, offer: { bargainId: 'bg-show' } }]);
    expect((await cloud.invoke('bargain', { action: 'mine' }, 'bob')).data.tasks).toEqual([]);
    expect((await cloud.invoke('bargain', { action: 'mine' })).data.tasks).toEqual([]);

    // A visitor without a member sees the task and can do nothing.
    const visitor = await cloud.invoke('bargain', { action: 'task', taskId });
    expect(visitor.data.task.me).toMatchObject({ role: 'visitor', canCut: false, canBuy: false });
  });

  it('the owner buys mid-way at price − cuts (a price the app sends is ignored), pays, and cannot buy twice; cuts stop', async () => {
    await makeBargain(cloud, 'bg-buy', { price: 9900, floorPrice: 5903, friends: 5, skuStock: 5 });
    const taskId = await startTask(cloud, 'alice', 'bg-buy');
    for (const friend of ['bob', 'carol']) expect(await cut(cloud, friend, taskId)).toMatchObject({ ok: true });

    const tampered = await buy(cloud, 'alice', taskId, { price: 1, unitPrice: 1, payable: 1, totalFee: 1 });
    expect(tampered, JSON.stringify(tampered)).toMatchObject({
      ok: true,
      data: {
        repeated: false,
        order: {
          state: 'created',
          payable: 9900 - 2 * 799,
          couponId: null,
          lines: [{ skuId: 'sku-bg-buy', quantity: 1, unitPrice: 8302 }],
        },
      },
    });
    const orderId = tampered.data.order.orderId;
    const order = await docOf(cloud, 'orders', orderId);
    expect(order).toMatchObject({ payable: 8302, bargain: { bargainId: 'bg-buy', taskId, price: 9900, cut: 1598 } });
    expect((await cloud.client.payments.get(orderId)).payment).toMatchObject({ totalFee: 8302 });
    expect(await docsOf(cloud, 'events', { kind: 'order_created' })).toMatchObject([{ orderId, orderType: 'bargain', fen: 8302 }]);

    // A third friend cuts while the order waits: the order keeps its price; buying again answers the same order.
    expect(await cut(cloud, { openid: 'o-dave' }, taskId)).toMatchObject({ ok: true, data: { task: { current: 7503 } } });
    const repeat = await buy(cloud, 'alice', taskId);
    expect(repeat).toMatchObject({ ok: true, data: { repeated: true, order: { orderId, payable: 8302 } } });

    await cloud.client.payments.settle(orderId);
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'paid', payable: 8302 });
    const afterPay = await buy(cloud, 'alice', taskId);
    expect(afterPay).toMatchObject({ ok: false, code: 'FAILED_PRECONDITION', reason: 'bought', message: '你已按砍后价购买过了' });
    expect(await docOf(cloud, 'bargain_tasks', taskId)).toMatchObject({ bought: true, orderId, cuts: 3 });
    expect(await cut(cloud, { openid: 'o-erin' }, taskId)).toMatchObject({ ok: false, reason: 'bought' });
    expect(await docsOf(cloud, 'orders', { 'bargain.taskId': taskId })).toHaveLength(1);
    const view = await cloud.invoke('bargain', { action: 'task', taskId }, 'alice');
    expect(view.data.task).toMatchObject({ state: 'bought', cuts: 3, me: { canBuy: false, orderState: 'paid' } });
  });

  it('a cancelled order lets the owner buy again at the price of that moment', async () => {
    await makeBargain(cloud, 'bg-again', { price: 5000, floorPrice: 3000, friends: 2 });
    const taskId = await startTask(cloud, 'alice', 'bg-again');
    const first = await buy(cloud, 'alice', taskId);
    expect(first).toMatchObject({ ok: true, data: { order: { payable: 5000 } } });
    const cancelled = await cloud.invoke('order', { action: 'cancel', orderId: first.data.order.orderId }, 'alice');
    expect(cancelled).toMatchObject({ ok: true, data: { order: { state: 'cancelled' } } });
    await cut(cloud, 'bob', taskId);
    const second = await buy(cloud, 'alice', taskId);
    expect(second).toMatchObject({ ok: true, data: { repeated: false, order: { payable: 4000, state: 'created' } } });
    expect(second.data.order.orderId).not.toBe(first.data.order.orderId);
    expect(await docOf(cloud, 'bargain_tasks', taskId)).toMatchObject({ attempts: 2, orderId: second.data.order.orderId, bought: false });
  });

  it('refusals write nothing: a stranger buying, a cut or purchase after the task ran out, a second task past the limit, no stock left', async () => {
    await makeBargain(cloud, 'bg-no', { price: 5000, floorPrice: 3000, friends: 2, stock: 1 });
    const taskId = await startTask(cloud, 'alice', 'bg-no');
    const stranger = await buy(cloud, 'bob', taskId);
    expect(stranger).toMatchObject({ ok: false, code: 'PERMISSION_DENIED', reason: 'not_yours' });
    const sold = await cloud.invoke('bargain', { action: 'start', bargainId: 'bg-no' }, 'bob');
    expect(sold).toMatchObject({ ok: false, code: 'RESOURCE_EXHAUSTED', reason: 'sold_out' });
    expect(await docsOf(cloud, 'bargain_tasks')).toHaveLength(1);

    await cloud.client.clock.set('2026-12-06T03:00:00.000Z');
    const before = await docOf(cloud, 'bargain_tasks', taskId);
    expect(await cut(cloud, 'carol', taskId)).toMatchObject({
      ok: false,
      code: 'FAILED_PRECONDITION',
      reason: 'expired',
      message: '这次砍价已结束',
    });
    expect(await buy(cloud, 'alice', taskId)).toMatchObject({ ok: false, code: 'FAILED_PRECONDITION', reason: 'expired' });
    expect(await docOf(cloud, 'bargain_tasks', taskId)).toEqual(before);
    const limited = await cloud.invoke('bargain', { action: 'start', bargainId: 'bg-no' }, 'alice');
    expect(limited).toMatchObject({ ok: false, code: 'RESOURCE_EXHAUSTED', reason: 'limit_reached', message: '每人限发起 1 次' });
    expect(await docsOf(cloud, 'orders')).toEqual([]);
    expect(await docsOf(cloud, 'events', { kind: 'bargain_cut' })).toEqual([]);
    expect(await docOf(cloud, 'bargains', 'bg-no')).toMatchObject({ stockLeft: 0, started: 1 });
  });

  it('the demo bargain is seeded and the documented examples work on it, twice', async () => {
    await seedDemo(cloud.url);
    const listed = await cloud.invoke('bargainAdmin', { action: 'listBargains', bargainId: 'bg-spring-cream' });
    expect(listed).toMatchObject({ ok: true, data: { bargains: [{ price: 3900, floorPrice: 1900, cuts: [666, 666, 668] }] } });
    const offers = await cloud.invoke('bargain', { action: 'list' });
    expect(offers.data.offers.map((o: any) => o.bargainId)).toContain('bg-spring-cream');
    const example = JSON.parse(fs.readFileSync(path.join(projectRoot, 'examples/bargain.json'), 'utf8'));
    const first = await cloud.invoke('bargainAdmin', { action: 'createBargain', ...example });
    expect(first, JSON.stringify(first)).toMatchObject({
      ok: true,
      data: { created: true, bargain: { price: 4900, cuts: [666, 666, 668] } },
    });
    const second = await cloud.invoke('bargainAdmin', { action: 'createBargain', ...example });
    expect(second).toMatchObject({ ok: true, data: { created: false } });
    const jobs = await cloud.invoke('bargainAdmin', { action: 'runBargainJobs', jobs: ['reconcileBargainStock'] });
    expect(jobs).toMatchObject({ ok: true, data: { jobs: [{ name: 'reconcileBargainStock', ran: true }] } });
  });

  it('an owner merged into another member since the start (the unionid arrived later) still owns the task: buys it, cannot cut it', async () => {
    await makeBargain(cloud, 'bg-merge', { price: 5000, floorPrice: 3000, friends: 2 });
    await cloud.client.personas.upsert({ name: 'dora', follows: false });
    const early = await memberIdOf(cloud, 'dora');
    const taskId = await startTask(cloud, 'dora', 'bg-merge');
    // Another app of the same Open Platform account met her with her unionid first; then the mini-program sees it: one member.
    const other = await memberIdOf(cloud, { openid: 'o-other-dora', appid: 'wx0ther000000000a', unionid: 'u-dora' } as any);
    await cloud.client.personas.upsert({ name: 'dora', unionid: 'u-dora' });
    expect(await memberIdOf(cloud, 'dora')).toBe(other);
    expect((await docOf(cloud, 'members', early)).mergedInto).toBe(other);

    const view = await cloud.invoke('bargain', { action: 'task', taskId }, 'dora');
    expect(view.data.task.me).toMatchObject({ role: 'owner', canBuy: true, canCut: false });
    expect(await cut(cloud, 'dora', taskId)).toMatchObject({ ok: false, reason: 'own_task' });
    const bought = await buy(cloud, 'dora', taskId);
    expect(bought, JSON.stringify(bought)).toMatchObject({ ok: true, data: { order: { payable: 5000 } } });
    expect(await docOf(cloud, 'orders', bought.data.order.orderId)).toMatchObject({ memberId: other, bargain: { taskId } });
  });
});
