import { beforeEach, describe, expect, it } from 'vitest';
import { bucketOf, placeOf } from '../../core/funnel/place';
import { zeroMetrics } from '../../core/funnel/tally';
import { useCloud } from '../support/cloud';
import { createOrder, docOf, docsOf, makeProduct, runJobs } from '../support/orders';
import { memberIdOf } from '../support/points';

/**
 * The nightly snapshot through the real SDK: money lands on its order's day (a refund two days
 * later moves into it at that night's run), a day re-run writes the same documents, a run cut
 * into many short resumptions counts nothing twice, and a 30-day funnel over 200 articles costs a
 * handful of database requests.
 */
describe('funnel snapshots', () => {
  const cloud = useCloud();
  // 2026-11-20 10:00 in Shanghai.
  const ORDER_TIME = '2026-11-20T02:00:00.000Z';
  const DAY = '2026-11-20';
  const atShanghai = (day: string, time: string) => new Date(`${day}T${time}+08:00`).toISOString();

  beforeEach(async () => {
    await cloud.client.clock.set(ORDER_TIME);
    const now = new Date(ORDER_TIME);
    const db = cloud.db();
    await db.collection('articles').add({ data: { _id: 'art-spring', title: '春季会员节：新会员专享好礼', createdAt: now } });
    await db.collection('scenes').add({
      data: {
        _id: 'spring01',
        article: 'art-spring',
        campaign: 'camp-spring',
        channel: 'article',
        page: 'packages/campaign/detail/index',
        params: {},
        createdAt: now,
      },
    });
  });

  const funnel = (input: Record<string, unknown>) => cloud.invoke('funnelAdmin', { action: 'funnel', ...input });
  const snapshot = (input: Record<string, unknown> = {}) => cloud.invoke('funnelAdmin', { action: 'snapshotFunnel', ...input });
  const dayDoc = (day: string, model = 'last_non_direct', by = 'article') => docOf(cloud, 'funnel_daily', `${day}|${model}|${by}`);
  const rowOf = (doc: any, key: string) => doc?.rows.find((row: any) => row.key === key);

  async function payOrder(orderId: string): Promise<void> {
    const settled = await cloud.client.payments.settle(orderId);
    expect(settled.deliveries).toMatchObject([{ acked: true }]);
  }

  it('a refund two days after its order moves into the order’s day at that night’s run; a re-run changes nothing', async () => {
    await makeProduct(cloud, 'prd-f', [{ id: 'sku-f', price: 9900, stock: 5 }]);
    expect(await cloud.invoke('member', { action: 'visit', scene: 'spring01' }, 'alice')).toMatchObject({
      ok: true,
      data: { attributed: true },
    });
    const alice = await memberIdOf(cloud, 'alice');
    const created = await createOrder(cloud, 'alice', [{ skuId: 'sku-f', quantity: 1 }], 'snap-order-0001');
    const orderId = created.data.order.orderId;
    await payOrder(orderId);

    // The night after: the scheduler's job takes yesterday and the six days before.
    await cloud.client.clock.set(atShanghai('2026-11-21', '00:30:00'));
    const night1 = await runJobs(cloud, ['snapshotFunnel']);
    expect(night1.snapshotFunnel, JSON.stringify(night1.snapshotFunnel)).toMatchObject({ ran: true, result: { more: false } });
    expect(night1.snapshotFunnel.result.done).toEqual([
      '2026-11-14',
      '2026-11-15',
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      DAY,
    ]);
    expect(rowOf(await dayDoc(DAY), 'art-spring')).toMatchObject({
      visitors: 1,
      scans: 1,
      orders: 1,
      payers: 1,
      paidFen: 9900,
      refundedFen: 0,
    });
    // Done for tonight: the next minutes' runs read one document and do nothing.
    expect((await runJobs(cloud, ['snapshotFunnel'])).snapshotFunnel.result).toMatchObject({ more: false, events: 0, requests: 1 });

    // Two days after the order the member asks for a refund; it succeeds that day.
    await cloud.client.clock.set(atShanghai('2026-11-22', '11:00:00'));
    const asked = await cloud.invoke('order', { action: 'requestRefund', orderId, reason: '不想要了' }, 'alice');
    expect(asked, JSON.stringify(asked)).toMatchObject({ ok: true });
    await runJobs(cloud, ['driveRefunds']);
    await cloud.client.payments.settleRefund(asked.data.refund.refundId, { result: 'SUCCESS' });
    await runJobs(cloud, ['driveRefunds']);
    const [refunded] = await docsOf(cloud, 'events', { kind: 'order_refunded' });
    expect(refunded).toMatchObject({ memberId: alice, fen: 9900, day: DAY, bucket: bucketOf(alice) });

    await cloud.client.clock.set(atShanghai('2026-11-23', '00:30:00'));
    const night3 = await runJobs(cloud, ['snapshotFunnel']);
    expect(night3.snapshotFunnel.result.done).toContain(DAY);
    const after = await dayDoc(DAY);
    expect(rowOf(after, 'art-spring')).toMatchObject({ payers: 1, paidFen: 9900, refundedFen: 9900 });
    expect(after.total).toMatchObject({ paidFen: 9900, refundedFen: 9900, visitors: 1, newMembers: 1 });
    // The refund's own day holds no money.
    expect(rowOf(await dayDoc('2026-11-22'), 'art-spring')).toBeUndefined();

    const report = await funnel({ from: DAY, to: DAY, by: 'article' });
    expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
    expect(report.data.modelStatement).toBe('归因：末次非直接触达（7 天窗口）');
    expect(report.data.rows).toEqual([
      expect.objectContaining({
        key: 'art-spring',
        label: '春季会员节：新会员专享好礼',
        paidFen: 9900,
        refundedFen: 9900,
        netFen: 0,
        change: expect.objectContaining({ paidFen: 'new', visitors: 'new' }),
      }),
    ]);

    // Re-running the day by hand writes the same documents, byte for byte.
    const before = await docsOf(cloud, 'funnel_daily', { day: DAY });
    expect(before).toHaveLength(12);
    for (let i = 0; i < 2; i += 1)
      expect(await snapshot({ from: DAY, to: DAY })).toMatchObject({ ok: true, data: { done: [DAY], more: false } });
    expect(await docsOf(cloud, 'funnel_daily', { day: DAY })).toEqual(before);
  });

  it('a run cut into short resumptions counts exactly what one uninterrupted run counts', async () => {
    const db = cloud.db();
    const events: any[] = [];
    const days = ['2026-11-17', '2026-11-18', '2026-11-19'];
    for (let i = 0; i < 1500; i += 1) {
      const day = days[i % 3] as string;
      const memberId = `m-${i % 97}`;
      const at = new Date(`${day}T${String(i % 24).padStart(2, '0')}:15:00+08:00`);
      const article = ['art-a', 'art-b', 'art-c', null][i % 4];
      const touch = article
        ? { scene: null, article, campaign: null, channel: 'article', sharer: null, at: new Date(at.getTime() - (i % 10) * 86_400_000) }
        : null;
      const kind = ['visit', 'visit', 'order_created', 'order_paid', 'coupon_claimed', 'order_refunded'][i % 6];
      const money = kind === 'order_paid' || kind === 'order_refunded';
      const event = {
        _id: `${kind}:gen-${i}`,
        kind,
        memberId,
        at,
        touch,
        firstTouch: touch,
        ...(money || kind === 'order_created' ? { fen: 100 + i } : {}),
        ...(money ? { orderAt: at } : {}),
        ...(kind === 'visit' ? { attributed: i % 2 === 0 } : {}),
      };
      events.push({ ...event, ...placeOf(event) });
    }
    for (let i = 0; i < events.length; i += 500) await db.collection('events').add({ data: events.slice(i, i + 500) });
    await cloud.client.clock.set(atShanghai('2026-11-20', '09:00:00'));

    const whole = await snapshot({ from: days[0], to: days[2] });
    expect(whole).toMatchObject({ ok: true, data: { more: false, events: 1500 } });
    const expected = await docsOf(cloud, 'funnel_daily');
    expect(expected).toHaveLength(36);
    await db
      .collection('funnel_daily')
      .where({ day: db.command.exists(true) })
      .remove();

    // The same range again with a 1-second budget and every read slowed to 150 ms: it stops many times
    // (whatever the machine's speed) and resumes from its saved state.
    await cloud.client.faults.delay('database.getDocument', 150, 1000);
    let answers = 0;
    let answer: any;
    do {
      answer = await snapshot({ from: days[0], to: days[2], budgetMs: 1000 });
      expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
      answers += 1;
    } while (answer.data.more && answers < 200);
    expect(answer.data.more).toBe(false);
    expect(answers).toBeGreaterThan(5);
    const sortById = (docs: any[]) => [...docs].sort((a, b) => (a._id < b._id ? -1 : 1));
    expect(sortById(await docsOf(cloud, 'funnel_daily'))).toEqual(sortById(expected));
    const paid = events.filter((e) => e.kind === 'order_paid' && e.day === days[1]).reduce((s, e) => s + e.fen, 0);
    expect((await dayDoc(days[1] as string)).total.paidFen).toBe(paid);
  });

  it('a 30-day funnel over 200 articles: a few database requests, totals and the previous period right', async () => {
    const db = cloud.db();
    const zero = zeroMetrics();
    const docs: any[] = [];
    for (let d = 0; d < 60; d += 1) {
      const day = new Date(Date.parse('2026-10-01T00:00:00Z') + d * 86_400_000).toISOString().slice(0, 10);
      const rows = Array.from({ length: 200 }, (_, a) => ({
        key: `art-${String(a).padStart(3, '0')}`,
        ...zero,
        visitors: 2,
        payers: 1,
        paidFen: 1000 + a,
        refundedFen: d >= 30 ? 100 : 0,
      }));
      const total = {
        ...zero,
        visitors: 400,
        payers: 200,
        paidFen: rows.reduce((s, r) => s + r.paidFen, 0),
        refundedFen: rows.reduce((s, r) => s + r.refundedFen, 0),
      };
      docs.push({ _id: `${day}|last_non_direct|article`, day, model: 'last_non_direct', by: 'article', windowDays: 7, rows, total });
    }
    for (const doc of docs) await db.collection('funnel_daily').add({ data: doc });
    await cloud.invoke('funnelAdmin', { action: 'segments' }).catch(() => undefined); // warm an instance: no cold start in the count
    const before = (await cloud.client.stats()).counts;
    const report = await funnel({ from: '2026-10-31', to: '2026-11-29', by: 'article' });
    const after = (await cloud.client.stats()).counts;
    expect(report, JSON.stringify(report).slice(0, 500)).toMatchObject({ ok: true });
    const database = Object.entries(after)
      .filter(([action]) => action.startsWith('database.'))
      .reduce((sum, [action, n]) => sum + (n - (before[action] ?? 0)), 0);
    expect(database).toBeLessThanOrEqual(10);
    expect(report.data.requests).toBe(database);
    expect(report.data.rows).toHaveLength(200);
    expect(report.data.missingDays).toEqual([]);
    const top = report.data.rows[0];
    expect(top).toMatchObject({ key: 'art-199', paidFen: 1199 * 30, refundedFen: 3000, netFen: 1199 * 30 - 3000, visitors: 60 });
    expect(top.previous).toMatchObject({ paidFen: 1199 * 30, refundedFen: 0, netFen: 1199 * 30 });
    expect(top.change).toMatchObject({ netFen: '-8.3%', paidFen: '0.0%', visitors: '0.0%' });
    expect(report.data.totals.netFen).toBe(report.data.rows.reduce((s: number, r: any) => s + r.netFen, 0));
    expect(report.data.daily).toHaveLength(30);
  });

  it('refuses a member who is not an admin, and bad periods, with nothing written', async () => {
    const denied = await cloud.invoke('funnelAdmin', { action: 'snapshotFunnel', from: DAY, to: DAY }, 'bob');
    expect(denied).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' });
    expect(await funnel({ from: '2026-11-10', to: '2026-11-01', by: 'article' })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await funnel({ from: '2026-02-30', to: '2026-03-01', by: 'article' })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await funnel({ from: '2024-01-01', to: '2026-01-01', by: 'article' })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await snapshot({ from: '2026-12-01', to: '2026-12-09' })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await docsOf(cloud, 'funnel_runs')).toEqual([]);
    expect(await docsOf(cloud, 'funnel_daily')).toEqual([]);
  });
});
