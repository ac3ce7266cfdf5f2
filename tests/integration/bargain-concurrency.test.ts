import { beforeEach, describe, expect, it } from 'vitest';
import { buy, cut, makeBargain, startTask } from '../support/bargains';
import { useCloud } from '../support/cloud';
import { docOf, docsOf, runJobs, seedMembers } from '../support/orders';
import { memberIdOf } from '../support/points';

/**
 * 砍价 under bursts, through the real functions: many friends cutting one task at once, one person
 * cutting from the mini-program and the 公众号 at once, one member starting and buying many times at
 * once. What must hold is read back from the database.
 */
describe('bargain: cuts, starts and purchases at once', () => {
  const cloud = useCloud();

  beforeEach(async () => {
    await cloud.client.clock.set('2026-12-05T02:00:00.000Z');
  });

  it('20 friends cut a 5-friend task at once: exactly 5 cuts of the fixed amounts, the price at the floor, 5 events', async () => {
    // ¥99.00 to ¥59.03 with 5 friends: 799 fen each, the last 801.
    await makeBargain(cloud, 'bg-race', { price: 9900, floorPrice: 5903, friends: 5 });
    const ownerId = await memberIdOf(cloud, 'alice');
    const taskId = await startTask(cloud, 'alice', 'bg-race');
    const openids = Array.from({ length: 20 }, (_, i) => `o-cut-${String(i).padStart(2, '0')}`);
    const members = await seedMembers(cloud, openids);

    const answers = await Promise.all(openids.map((openid) => cut(cloud, { openid }, taskId)));
    const winners = answers.filter((a) => a.ok);
    expect(winners, JSON.stringify(answers.filter((a) => !a.ok && a.reason !== 'complete'))).toHaveLength(5);
    for (const answer of answers.filter((a) => !a.ok)) {
      expect(answer).toMatchObject({ ok: false, code: 'FAILED_PRECONDITION', reason: 'complete', message: 'TA已砍到底价' });
    }
    expect(winners.map((a) => a.data.fen).sort()).toEqual([799, 799, 799, 799, 801]);

    const task = await docOf(cloud, 'bargain_tasks', taskId);
    expect(task).toMatchObject({ cuts: 5, ownerId, bought: false });
    expect(new Set(task.cutterIds).size).toBe(5);
    expect(task.cutters.map((c: any) => c.fen)).toEqual([799, 799, 799, 799, 801]);
    expect(task.cutters.reduce((sum: number, c: any) => sum + c.fen, 0)).toBe(9900 - 5903);
    const cutterIds = [...members.values()].filter((id) => task.cutterIds.includes(id));
    expect(cutterIds).toHaveLength(5);

    const view = await cloud.invoke('bargain', { action: 'task', taskId }, 'alice');
    expect(view.data.task).toMatchObject({ state: 'complete', current: 5903, cuts: 5, nextCut: null, me: { role: 'owner', canBuy: true } });
    const events = await docsOf(cloud, 'events', { kind: 'bargain_cut' });
    expect(events.map((e) => e.memberId).sort()).toEqual([...task.cutterIds].sort());
    expect(events.map((e) => e.index).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('the same person through the mini-program and the 公众号 cuts once, whatever arrives first', async () => {
    await makeBargain(cloud, 'bg-twice', { price: 9900, floorPrice: 5900, friends: 5 });
    const taskId = await startTask(cloud, 'alice', 'bg-twice');
    const mpAppid = cloud.emulator.ctx.options.mp.appid;
    const viaApp = { openid: 'o-app-dan', unionid: 'u-dan' };
    const viaMp = { openid: 'o-mp-dan', unionid: 'u-dan', appid: mpAppid };

    const answers = await Promise.all([
      cut(cloud, viaApp, taskId),
      cut(cloud, viaMp, taskId),
      cut(cloud, viaApp, taskId),
      cut(cloud, viaMp, taskId),
    ]);
    for (const answer of answers) expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true, data: { fen: 800 } });
    expect(answers.filter((a) => a.data.repeated === false)).toHaveLength(1);
    const task = await docOf(cloud, 'bargain_tasks', taskId);
    expect(task).toMatchObject({ cuts: 1, cutterIds: [expect.any(String)] });
    const dan = await memberIdOf(cloud, viaMp as any);
    expect(task.cutterIds).toEqual([dan]);
    expect(await docsOf(cloud, 'events', { kind: 'bargain_cut' })).toHaveLength(1);
    // Later, from either app: the same cut answers again, nothing is added.
    const again = await cut(cloud, viaApp, taskId);
    expect(again).toMatchObject({
      ok: true,
      data: { repeated: true, fen: 800, task: { cuts: 1, me: { role: 'friend', cut: 800, canCut: false } } },
    });
  });

  it('one member fires 6 starts and then 6 purchases at once: one task, one unit of stock, one order', async () => {
    await makeBargain(cloud, 'bg-taps', { price: 5000, floorPrice: 3000, friends: 2, stock: 3 });
    const starts = await Promise.all(
      Array.from({ length: 6 }, () => cloud.invoke('bargain', { action: 'start', bargainId: 'bg-taps' }, 'alice')),
    );
    for (const answer of starts) expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
    const taskIds = new Set(starts.map((a) => a.data.task.taskId));
    expect(taskIds.size).toBe(1);
    expect(await docsOf(cloud, 'bargain_tasks', { bargainId: 'bg-taps' })).toHaveLength(1);
    expect(await docOf(cloud, 'bargains', 'bg-taps')).toMatchObject({ stock: 3, stockLeft: 2, started: 1 });

    const [taskId] = taskIds;
    const buys = await Promise.all(Array.from({ length: 6 }, () => buy(cloud, 'alice', taskId)));
    const orderIds = new Set(buys.filter((a) => a.ok).map((a) => a.data.order.orderId));
    expect(orderIds.size, JSON.stringify(buys)).toBe(1);
    for (const answer of buys.filter((a) => !a.ok)) expect(answer).toMatchObject({ code: 'CONFLICT' });
    const orders = await docsOf(cloud, 'orders', { 'bargain.taskId': taskId });
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ payable: 5000, state: 'created', bargain: { bargainId: 'bg-taps', taskId, price: 5000, cut: 0 } });
  });

  it('a unit a crashed start stranded goes back through the scheduler once the bargain is quiet, and only then', async () => {
    await makeBargain(cloud, 'bg-strand', { price: 5000, floorPrice: 3000, friends: 2, stock: 5 });
    await startTask(cloud, 'alice', 'bg-strand');
    // A start that took its unit and died before writing its task: stock left says 3, one task holds a unit.
    const _ = cloud.db().command;
    await cloud
      .db()
      .collection('bargains')
      .doc('bg-strand')
      .update({ data: { stockLeft: _.inc(-1) } });
    expect(await docOf(cloud, 'bargains', 'bg-strand')).toMatchObject({ stock: 5, stockLeft: 3 });

    // Within two minutes of the last start a start may still be writing its task: nothing moves.
    const early = await runJobs(cloud, ['reconcileBargainStock']);
    expect(early.reconcileBargainStock).toMatchObject({ ran: true, result: { returned: 0 } });
    expect((await docOf(cloud, 'bargains', 'bg-strand')).stockLeft).toBe(3);

    await cloud.client.clock.set('2026-12-05T02:05:00.000Z');
    const late = await runJobs(cloud, ['reconcileBargainStock']);
    expect(late.reconcileBargainStock).toMatchObject({ ran: true, result: { checked: 1, returned: 1 } });
    expect(await docOf(cloud, 'bargains', 'bg-strand')).toMatchObject({ stock: 5, stockLeft: 4 });
    // Run again: nothing more (reconciled since the last take).
    const again = await runJobs(cloud, ['reconcileBargainStock']);
    expect(again.reconcileBargainStock).toMatchObject({ result: { checked: 0, returned: 0 } });
    expect((await docOf(cloud, 'bargains', 'bg-strand')).stockLeft).toBe(4);
  });
});
