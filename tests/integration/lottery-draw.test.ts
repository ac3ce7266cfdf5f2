import { beforeEach, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/lib/seed';
import { useCloud } from '../support/cloud';
import { createLottery, draw, makeLottery, makeLotteryTemplate } from '../support/lottery';
import { ADDRESS, docOf, docsOf, makeProduct, runJobs } from '../support/orders';
import { expectLedgerBalanced, givePoints, memberIdOf } from '../support/points';

/**
 * The points lottery through the real functions: the console's table checks, a draw of each kind of
 * prize (issued once, paid once), fallbacks when stock runs out, the member's limits, the sweep of
 * draws a crash left pending, and the 公众号 ways in (the 抽奖 card, the menu button).
 */
describe('points lottery', () => {
  const cloud = useCloud();

  beforeEach(async () => {
    await cloud.client.clock.set('2026-12-03T02:00:00.000Z');
  });

  const coupon = (odds: number, stock = 100, extra: Record<string, unknown> = {}) => ({
    id: 'coupon',
    kind: 'coupon',
    title: '5元券',
    odds,
    stock,
    templateId: 'tpl-lot',
    ...extra,
  });
  const thanks = (odds: number) => ({ id: 'thanks', kind: 'thanks', title: '谢谢参与', odds });

  it('createLottery refuses hostile tables with every problem in English and writes nothing', async () => {
    await makeLotteryTemplate(cloud, 'tpl-lot');
    const refusals: Array<[Record<string, unknown>, RegExp]> = [
      [
        { price: 100, perMemberDaily: 3, prizes: [coupon(5000), thanks(4999)] },
        /odds must sum to exactly 10000 \(100\.00%\), they sum to 9999/,
      ],
      [
        { price: 100, perMemberDaily: 3, prizes: [coupon(5000), thanks(2500), { ...thanks(2500), id: 'thanks2' }] },
        /exactly one thanks prize, got 2/,
      ],
      [
        { price: 100, perMemberDaily: 3, prizes: [coupon(5000, 10, { templateId: 'tpl-nope' }), thanks(5000)] },
        /prizes\.0\.templateId: no coupon template tpl-nope/,
      ],
      [
        {
          price: 100,
          perMemberDaily: 3,
          prizes: [{ id: 'mug', kind: 'product', title: '杯', odds: 10, stock: 1, skuId: 'sku-nope' }, thanks(9990)],
        },
        /prizes\.0\.skuId: no SKU sku-nope/,
      ],
      [
        {
          price: 100,
          perMemberDaily: 3,
          prizes: [
            coupon(5000, 10, { fallback: 'pts' }),
            { id: 'pts', kind: 'points', title: '10积分', odds: 0, stock: 5, points: 10, fallback: 'coupon' },
            thanks(5000),
          ],
        },
        /go round in a circle/,
      ],
      [
        { price: 100, perMemberDaily: 3, prizes: [coupon(5000), { ...thanks(5000), stock: 3 }] },
        /prizes\.1\.stock: stock does not belong on a thanks prize/,
      ],
      [{ price: 100, perMemberDaily: 3, prizes: [coupon(-1), thanks(10001)] }, /lottery\.prizes\.0\.odds/],
      [{ price: 0, perMemberDaily: 3, prizes: [coupon(5000), thanks(5000)] }, /lottery\.price/],
      [
        { price: 100, perMemberDaily: 3, prizes: [coupon(5000), thanks(5000)], endAt: '2026-01-02T00:00:00+08:00' },
        /the window has already ended/,
      ],
      [{ price: 100, perMemberDaily: 3, prizes: [{ ...coupon(5000), odds: 0.5 }, thanks(5000)] }, /lottery\.prizes\.0\.odds/],
      [{ price: 100, perMemberDaily: 3, prizes: [coupon(5000), thanks(5000)], roll: 1 }, /roll/],
    ];
    for (const [lottery, message] of refusals) {
      const answer = await createLottery(cloud, 'lt-bad', lottery);
      expect(answer, JSON.stringify(lottery)).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      expect(answer.detail ?? answer.message).toMatch(message);
    }
    expect(await docsOf(cloud, 'lotteries')).toEqual([]);
    expect(await docsOf(cloud, 'lottery_stock')).toEqual([]);

    const made = await makeLottery(cloud, 'lt-ok', { price: 100, perMemberDaily: 3, prizes: [coupon(2500), thanks(7500)] });
    expect(made.prizes.map((p: any) => [p.id, p.oddsText, p.stockLeft, p.fallback])).toEqual([
      ['coupon', '25.00%', 100, 'thanks'],
      ['thanks', '75.00%', null, null],
    ]);
    // The same id: the same table answers it; another table is refused (published odds never change).
    expect(await createLottery(cloud, 'lt-ok', { price: 100, perMemberDaily: 3, prizes: [coupon(2500), thanks(7500)] })).toMatchObject({
      ok: true,
      data: { created: false },
    });
    expect(await createLottery(cloud, 'lt-ok', { price: 100, perMemberDaily: 3, prizes: [coupon(5000), thanks(5000)] })).toMatchObject({
      ok: false,
      code: 'ALREADY_EXISTS',
    });
  });

  it('a coupon draw: points taken once, the coupon in the wallet once, the same requestId answers the same draw', async () => {
    await makeLotteryTemplate(cloud, 'tpl-lot');
    await makeLottery(cloud, 'lt-c', { price: 100, perMemberDaily: 3, prizes: [coupon(10000), thanks(0)] });
    const memberId = await memberIdOf(cloud, 'alice');
    await givePoints(cloud, memberId, 250);

    const shown = await cloud.invoke('lottery', { action: 'show' }, 'alice');
    expect(shown).toMatchObject({
      ok: true,
      data: { balance: 250, drawsLeftToday: 3, lottery: { lotteryId: 'lt-c', price: 100, state: 'open' } },
    });
    expect(shown.data.lottery.prizes.map((p: any) => [p.title, p.oddsText, p.soldOut])).toEqual([
      ['5元券', '100.00%', false],
      ['谢谢参与', '0.00%', false],
    ]);

    const first = await draw(cloud, 'alice', 'lt-c', 'draw-req-0001');
    expect(first).toMatchObject({
      ok: true,
      data: { balance: 150, drawsLeftToday: 2, repeated: false, draw: { state: 'done', won: true, price: 100, prize: { kind: 'coupon' } } },
    });
    const drawId = first.data.draw.drawId;
    expect(first.data.draw.couponId).toBe(`lottery:${drawId}`);
    const again = await draw(cloud, 'alice', 'lt-c', 'draw-req-0001');
    expect(again).toMatchObject({ ok: true, data: { repeated: true, balance: 150, draw: { drawId, state: 'done' } } });

    expect(await docsOf(cloud, 'coupons', { memberId })).toHaveLength(1);
    expect(await docOf(cloud, 'coupons', `lottery:${drawId}`)).toMatchObject({ templateId: 'tpl-lot', source: 'lottery', state: 'usable' });
    expect(await docsOf(cloud, 'points_ledger', { memberId, source: 'lottery' })).toHaveLength(1);
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(150);
    expect(await docOf(cloud, 'lottery_stock', 'lt-c:coupon')).toMatchObject({ stock: 100, stockLeft: 99 });
    // Every draw recorded: member, prize, when; and its funnel event.
    expect(await docOf(cloud, 'lottery_draws', drawId)).toMatchObject({
      memberId,
      lotteryId: 'lt-c',
      prizeId: 'coupon',
      state: 'done',
      pointsTaken: true,
      createdAt: expect.any(Date),
      doneAt: expect.any(Date),
    });
    expect(await docOf(cloud, 'events', `lottery_draw:${drawId}`)).toMatchObject({
      kind: 'lottery_draw',
      memberId,
      prizeKind: 'coupon',
      won: true,
    });

    const mine = await cloud.invoke('lottery', { action: 'mine' }, 'alice');
    expect(mine.data.draws).toHaveLength(1);
    expect(mine.data.draws[0]).toMatchObject({ drawId, stateText: '优惠券已放入卡包' });
  });

  it('a friend who came through a share card draws: the draw event carries the sharer’s touch, and no draw is given for the share', async () => {
    await makeLotteryTemplate(cloud, 'tpl-lot');
    await makeLottery(cloud, 'lt-share', { price: 100, perMemberDaily: 3, prizes: [coupon(5000), thanks(5000)] });
    const alice = await memberIdOf(cloud, 'alice');
    const visit = await cloud.invoke(
      'member',
      { action: 'visit', sharer: alice, to: 'packages/lottery/index/index', id: 'lt-share' },
      'bob',
    );
    expect(visit, JSON.stringify(visit)).toMatchObject({ ok: true });
    const bob = await memberIdOf(cloud, 'bob');
    // The share gave alice no draws (her daily draws are the lottery's, the same as anyone's); the lottery wrote nothing for her.
    // (Points for a friend who became a new member are the points rules' invite, earned by the friend's joining, not by the share.)
    expect((await cloud.invoke('lottery', { action: 'show', lotteryId: 'lt-share' }, 'alice')).data).toMatchObject({ drawsLeftToday: 3 });
    expect(await docsOf(cloud, 'lottery_draws', { memberId: alice })).toEqual([]);
    expect((await docsOf(cloud, 'points_ledger', { memberId: alice })).map((e) => e.source)).not.toContain('lottery_prize');
    await givePoints(cloud, bob, 100);
    const drawn = await draw(cloud, 'bob', 'lt-share', 'share-draw-01');
    expect(drawn).toMatchObject({ ok: true });
    expect(await docOf(cloud, 'events', `lottery_draw:${drawn.data.draw.drawId}`)).toMatchObject({
      kind: 'lottery_draw',
      memberId: bob,
      touch: { channel: 'share', sharer: alice },
    });
  });

  it('a points prize arrives once; a product prize is claimed with an address through the orders path at no cash, once', async () => {
    await makeProduct(cloud, 'p-mug', [{ id: 'sku-mug', price: 4900, stock: 10 }]);
    await makeLottery(cloud, 'lt-p', {
      price: 50,
      perMemberDaily: 5,
      prizes: [
        { id: 'pts', kind: 'points', title: '30积分', odds: 10000, stock: 1, points: 30, fallback: 'mug' },
        { id: 'mug', kind: 'product', title: '樱花杯', odds: 0, stock: 1, skuId: 'sku-mug' },
        thanks(0),
      ],
    });
    const memberId = await memberIdOf(cloud, 'alice');
    await givePoints(cloud, memberId, 200);

    const points = await draw(cloud, 'alice', 'lt-p', 'draw-req-0001');
    expect(points).toMatchObject({
      ok: true,
      data: { balance: 180, draw: { prize: { kind: 'points', title: '30积分' }, stateText: '30 积分已到账' } },
    });
    // The points prize is out: the next draw falls back to the cup, the one after to thanks.
    const cup = await draw(cloud, 'alice', 'lt-p', 'draw-req-0002');
    expect(cup).toMatchObject({
      ok: true,
      data: { balance: 130, draw: { prize: { kind: 'product' }, claim: 'unclaimed', stateText: '待填写收货地址' } },
    });
    const nothing = await draw(cloud, 'alice', 'lt-p', 'draw-req-0003');
    expect(nothing).toMatchObject({
      ok: true,
      data: { balance: 80, draw: { prize: { kind: 'thanks' }, won: false, stateText: '谢谢参与' } },
    });
    expect((await docsOf(cloud, 'lottery_stock', { lotteryId: 'lt-p' })).map((s) => s.stockLeft)).toEqual([0, 0]);
    expect(await docsOf(cloud, 'points_ledger', { memberId, source: 'lottery_prize' })).toHaveLength(1);
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(80);

    const shown = await cloud.invoke('lottery', { action: 'show', lotteryId: 'lt-p' }, 'alice');
    expect(shown.data.lottery.prizes.map((p: any) => [p.title, p.soldOut, p.fallbackTitle])).toEqual([
      ['30积分', true, '樱花杯'],
      ['樱花杯', true, '谢谢参与'],
      ['谢谢参与', false, null],
    ]);

    // Nobody else claims it; a draw without a product cannot be claimed.
    const drawId = cup.data.draw.drawId;
    expect(await cloud.invoke('lottery', { action: 'claim', drawId, address: ADDRESS }, 'bob')).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await cloud.invoke('lottery', { action: 'claim', drawId: nothing.data.draw.drawId, address: ADDRESS }, 'alice')).toMatchObject({
      ok: false,
      reason: 'nothing_to_claim',
    });
    const claimed = await cloud.invoke('lottery', { action: 'claim', drawId, address: ADDRESS }, 'alice');
    expect(claimed).toMatchObject({ ok: true, data: { repeated: false, draw: { claim: 'claimed', stateText: '已安排包邮寄出' } } });
    const orderId = claimed.data.draw.orderId;
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({
      memberId,
      state: 'paid',
      payable: 0,
      prize: { lotteryId: 'lt-p', drawId },
      address: ADDRESS,
    });
    expect(await cloud.invoke('lottery', { action: 'claim', drawId, address: ADDRESS }, 'alice')).toMatchObject({
      ok: true,
      data: { repeated: true, draw: { orderId } },
    });
    expect(await docsOf(cloud, 'orders', { memberId })).toHaveLength(1);
    // 我的奖品: the two prizes, not the thanks.
    const won = await cloud.invoke('lottery', { action: 'mine', onlyWon: true }, 'alice');
    expect(won.data.draws.map((d: any) => d.prize.kind)).toEqual(['product', 'points']);
    expect(await docOf(cloud, 'skus', 'sku-mug')).toMatchObject({ stock: 9 });
    // Nothing to pay, nothing earned by the order: the balance is what the draws left.
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(80);
  });

  it('refuses past the daily limit, without points, out of the window, while paused, and past the day’s total — taking nothing', async () => {
    await makeLotteryTemplate(cloud, 'tpl-lot');
    await makeLottery(cloud, 'lt-r', { price: 100, perMemberDaily: 2, totalDaily: 3, prizes: [coupon(5000), thanks(5000)] });
    const alice = await memberIdOf(cloud, 'alice');
    const bob = await memberIdOf(cloud, 'bob');
    await givePoints(cloud, alice, 1000);
    await givePoints(cloud, bob, 150);

    expect(await draw(cloud, 'alice', 'lt-r', 'req-alice-01')).toMatchObject({ ok: true, data: { drawsLeftToday: 1 } });
    expect(await draw(cloud, 'alice', 'lt-r', 'req-alice-02')).toMatchObject({ ok: true, data: { drawsLeftToday: 0 } });
    expect(await draw(cloud, 'alice', 'lt-r', 'req-alice-03')).toMatchObject({
      ok: false,
      code: 'RESOURCE_EXHAUSTED',
      reason: 'daily_limit',
      message: '今日抽奖次数已用完，明天再来',
    });
    expect(await draw(cloud, 'bob', 'lt-r', 'req-bob-0001')).toMatchObject({ ok: true });
    // Bob has 50 left; and the day's total of 3 is reached anyway.
    expect(await draw(cloud, 'bob', 'lt-r', 'req-bob-0002')).toMatchObject({
      ok: false,
      reason: 'insufficient_points',
      message: '积分不足',
    });
    await givePoints(cloud, bob, 100);
    expect(await draw(cloud, 'bob', 'lt-r', 'req-bob-0003')).toMatchObject({
      ok: false,
      code: 'RESOURCE_EXHAUSTED',
      reason: 'total_daily',
    });
    expect(await docOf(cloud, 'lottery_days', 'lday:lt-r:2026-12-03')).toMatchObject({ count: 3 });
    expect(await docOf(cloud, 'lottery_draws', (await docsOf(cloud, 'lottery_draws', { requestId: 'req-bob-0003' }))[0]._id)).toMatchObject(
      {
        state: 'abandoned',
        reason: 'total_daily',
        pointsTaken: false,
      },
    );
    expect(await expectLedgerBalanced(cloud, alice)).toBe(800);
    expect(await expectLedgerBalanced(cloud, bob)).toBe(150);

    // The next Shanghai day starts again.
    await cloud.client.clock.set('2026-12-03T16:00:00.000Z');
    expect(await draw(cloud, 'alice', 'lt-r', 'req-alice-04')).toMatchObject({ ok: true, data: { drawsLeftToday: 1 } });

    expect(await cloud.invoke('lotteryAdmin', { action: 'pauseLottery', lotteryId: 'lt-r', paused: true })).toMatchObject({ ok: true });
    expect(await draw(cloud, 'alice', 'lt-r', 'req-alice-05')).toMatchObject({ ok: false, reason: 'paused' });
    await cloud.invoke('lotteryAdmin', { action: 'pauseLottery', lotteryId: 'lt-r', paused: false });
    await cloud.client.clock.set('2031-01-01T00:00:00.000Z');
    expect(await draw(cloud, 'alice', 'lt-r', 'req-alice-06')).toMatchObject({ ok: false, reason: 'ended', message: '抽奖已结束' });
    expect(await expectLedgerBalanced(cloud, alice)).toBe(700);
  });

  it('the sweep completes a draw cut off after its points (the prize once) and abandons one cut off before them', async () => {
    await makeLotteryTemplate(cloud, 'tpl-lot');
    await makeLottery(cloud, 'lt-s', { price: 100, perMemberDaily: 5, prizes: [coupon(10000), thanks(0)] });
    const memberId = await memberIdOf(cloud, 'alice');
    await givePoints(cloud, memberId, 300);
    const now = new Date('2026-12-03T02:00:00.000Z');
    const base = {
      lotteryId: 'lt-s',
      lotteryTitle: '积分抽奖',
      memberId,
      day: '2026-12-03',
      roll: 42,
      picked: 'coupon',
      price: 100,
      state: 'pending',
      slotTaken: false,
      skipped: [],
      prizeId: null,
      prize: null,
      couponId: null,
      orderId: null,
      claim: null,
      createdAt: now,
      updatedAt: now,
    };
    // Cut off before its points: a draw written pending, nothing else.
    await cloud
      .db()
      .collection('lottery_draws')
      .add({ data: { _id: 'd-before', requestId: 'req-before-1', pointsTaken: false, ...base } });
    // Cut off after its points: the draw's own points transaction ran (the server's repository, as the function runs it), nothing after.
    const { spendForDraw } = await import('../../server/fission/lottery/repository');
    await cloud
      .db()
      .collection('lottery_draws')
      .add({ data: { _id: 'd-after', requestId: 'req-after-01', pointsTaken: false, ...base } });
    await spendForDraw({ _id: 'd-after', requestId: 'req-after-01', pointsTaken: false, ...base } as any, 5, now);
    expect(await docOf(cloud, 'lottery_draws', 'd-after')).toMatchObject({ state: 'pending', pointsTaken: true });
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(200);

    // Too fresh: a live call may still be working on them.
    expect((await runJobs(cloud, ['settleDraws'])).settleDraws.result).toMatchObject({ completed: 0, abandoned: 0 });
    await cloud.client.clock.set('2026-12-03T02:03:00.000Z');
    expect((await runJobs(cloud, ['settleDraws'])).settleDraws.result).toMatchObject({ completed: 1, abandoned: 1 });
    expect((await runJobs(cloud, ['settleDraws'])).settleDraws.result).toMatchObject({ completed: 0, abandoned: 0 });

    expect(await docOf(cloud, 'lottery_draws', 'd-before')).toMatchObject({
      state: 'abandoned',
      reason: 'interrupted',
      pointsTaken: false,
    });
    expect(await docOf(cloud, 'lottery_draws', 'd-after')).toMatchObject({ state: 'done', prizeId: 'coupon', couponId: 'lottery:d-after' });
    expect(await docsOf(cloud, 'coupons', { memberId })).toHaveLength(1);
    expect(await docOf(cloud, 'lottery_stock', 'lt-s:coupon')).toMatchObject({ stockLeft: 99 });
    expect(await docOf(cloud, 'events', 'lottery_draw:d-after')).toMatchObject({ memberId, prizeKind: 'coupon' });
    // Charged once for the completed draw, not at all for the abandoned one.
    expect(await docsOf(cloud, 'points_ledger', { memberId, source: 'lottery' })).toHaveLength(1);
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(200);
    const states = await cloud.invoke('lotteryAdmin', { action: 'lotteryReport', lotteryId: 'lt-s' });
    expect(states).toMatchObject({ ok: true, data: { lotteries: [{ draws: { done: 1, abandoned: 1 }, pointsTaken: 100 }] } });
  });

  it('a coupon prize whose template ran dry falls back down the chain (its unit given back); a unit a crash stranded is reconciled', async () => {
    await makeLotteryTemplate(cloud, 'tpl-lot', 1);
    await makeLottery(cloud, 'lt-dry', {
      price: 10,
      perMemberDaily: 5,
      prizes: [
        coupon(10000, 5, { fallback: 'pts' }),
        { id: 'pts', kind: 'points', title: '3积分', odds: 0, stock: 10, points: 3 },
        thanks(0),
      ],
    });
    const memberId = await memberIdOf(cloud, 'alice');
    await givePoints(cloud, memberId, 100);
    const first = await draw(cloud, 'alice', 'lt-dry', 'dry-draw-0001');
    expect(first).toMatchObject({ ok: true, data: { draw: { prize: { kind: 'coupon' } } } });
    // The template has nothing left: the coupon prize cannot be issued, so the draw becomes the points prize.
    const second = await draw(cloud, 'alice', 'lt-dry', 'dry-draw-0002');
    expect(second).toMatchObject({ ok: true, data: { draw: { prize: { kind: 'points', title: '3积分' } } } });
    expect(await docOf(cloud, 'lottery_draws', second.data.draw.drawId)).toMatchObject({ skipped: ['coupon'], prizeId: 'pts' });
    expect(await docOf(cloud, 'lottery_stock', 'lt-dry:coupon')).toMatchObject({ stockLeft: 4 });
    expect(await docOf(cloud, 'lottery_stock', 'lt-dry:pts')).toMatchObject({ stockLeft: 9 });
    expect(await docsOf(cloud, 'coupons', { memberId })).toHaveLength(1);
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(100 - 10 - 10 + 3);

    // A crash between a unit's decrement and its record: one unit of pts taken, held by no draw.
    const _ = cloud.db().command;
    await cloud
      .db()
      .collection('lottery_stock')
      .doc('lt-dry:pts')
      .update({ data: { stockLeft: _.inc(-1), lastTakeAt: new Date('2026-12-03T02:00:00.000Z') } });
    expect((await runJobs(cloud, ['settleDraws'])).settleDraws.result).toMatchObject({ returned: 0 });
    await cloud.client.clock.set('2026-12-03T02:03:00.000Z');
    expect((await runJobs(cloud, ['settleDraws'])).settleDraws.result).toMatchObject({ returned: 1 });
    expect((await runJobs(cloud, ['settleDraws'])).settleDraws.result).toMatchObject({ returned: 0 });
    expect(await docOf(cloud, 'lottery_stock', 'lt-dry:pts')).toMatchObject({ stock: 10, stockLeft: 9 });
    expect(await docOf(cloud, 'lottery_stock', 'lt-dry:coupon')).toMatchObject({ stock: 5, stockLeft: 4 });
  });

  it('the seed: a demo lottery, the 公众号 menu’s 积分抽奖 button, and 抽奖 answered with a card to the lottery page', async () => {
    await seedDemo(cloud.url);
    const answer = await cloud.client.mp.push({ persona: 'alice', type: 'text', content: '抽奖' });
    expect((answer as any).response.body).toBe('success');
    const cards = (await cloud.client.outbox.list('mp')).entries.filter((e: any) => e.api === 'message/custom/send') as any[];
    expect(cards).toHaveLength(1);
    expect(cards[0].request).toMatchObject({
      touser: 'o-mp-alice',
      msgtype: 'miniprogrampage',
      miniprogrampage: { appid: cloud.emulator.ctx.options.appid, pagepath: 'packages/lottery/index/index' },
    });
    expect(cards[0].response.errcode).toBe(0);

    const sent = (await cloud.client.outbox.list('mp')).entries.filter((e: any) => e.api === 'menu/create') as any[];
    expect(sent).toHaveLength(1);
    const buttons = sent[0].request.button.flatMap((b: any) => [b, ...(b.sub_button ?? [])]);
    expect(buttons).toContainEqual(
      expect.objectContaining({ name: '积分抽奖', type: 'miniprogram', pagepath: 'packages/lottery/index/index' }),
    );

    // The page the card opens shows the demo lottery, and alice's demo points pay for a draw.
    const shown = await cloud.invoke('lottery', { action: 'show' }, 'alice');
    expect(shown).toMatchObject({ ok: true, data: { balance: 1200, lottery: { lotteryId: 'lt-spring', price: 50, state: 'open' } } });
    expect(shown.data.lottery.prizes.map((p: any) => p.kind)).toEqual(['product', 'coupon', 'points', 'thanks']);
    const drawn = await draw(cloud, 'alice', 'lt-spring', 'seed-draw-0001');
    expect(drawn).toMatchObject({ ok: true, data: { draw: { state: 'done', price: 50 } } });
    const prize = drawn.data.draw.prize.kind === 'points' ? 20 : 0;
    expect(drawn.data.balance).toBe(1200 - 50 + prize);
  });
});
