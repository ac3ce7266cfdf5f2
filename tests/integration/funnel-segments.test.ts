import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runAdminCli } from '../support/admin-cli';
import { type TestCloud, useCloud } from '../support/cloud';
import { templateInput } from '../support/coupons';
import { okData } from '../support/envelopes';
import { createOrder, docOf, docsOf, makeProduct, runJobs } from '../support/orders';
import { noticesOf, startKillable } from '../support/notices';

/**
 * Segments (funnelAdmin.segments / segmentMembers) over members and orders written straight into the
 * local cloud's database, read through the real function; and a segment as the audience of
 * couponAdmin.grantCoupons and noticeAdmin.broadcast.
 */

/** 10:00 in Shanghai on 2026-12-03. */
const NOW = '2026-12-03T02:00:00.000Z';
const TODAY = '2026-12-03';
const DAY_MS = 24 * 3600_000;

/** The Shanghai day `days` before TODAY. */
function dayAgo(days: number): string {
  return new Date(Date.parse(`${TODAY}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
}
/** An instant on that day in Shanghai (`time` HH:mm:ss.SSS). */
function at(days: number, time = '10:00:00.000'): Date {
  return new Date(`${dayAgo(days)}T${time}+08:00`);
}

interface MemberSeed {
  id: string;
  createdAt: Date;
  loginDay?: string;
  nickname?: string;
  mergedInto?: string;
}

async function seedMembers(cloud: TestCloud, members: MemberSeed[]): Promise<void> {
  const docs = members.map(({ id, ...fields }) => ({
    _id: id,
    nickname: '微信用户',
    followsMp: false,
    points: 0,
    updatedAt: fields.createdAt,
    ...fields,
  }));
  const collection = cloud.db().collection('members');
  for (let i = 0; i < docs.length; i += 100) await collection.add({ data: docs.slice(i, i + 100) });
}

interface OrderSeed {
  memberId: string;
  payable: number;
  paidAt: Date;
  state?: string;
  refunded?: number;
}

let orderNo = 0;
async function seedOrders(cloud: TestCloud, orders: OrderSeed[]): Promise<void> {
  const docs = orders.map(({ state = 'paid', ...order }) => {
    orderNo += 1;
    return { _id: `ord-${String(orderNo).padStart(5, '0')}`, state, createdAt: new Date(order.paidAt.getTime() - 60_000), ...order };
  });
  await cloud.db().collection('orders').add({ data: docs });
}

const funnelAdmin = async (cloud: TestCloud, action: string, params: Record<string, unknown> = {}) =>
  okData(await cloud.invoke('funnelAdmin', { action, ...params }));

async function counts(cloud: TestCloud): Promise<Record<string, number>> {
  const data = await funnelAdmin(cloud, 'segments');
  return Object.fromEntries(data.segments.map((s: any) => [s.segment, s.members]));
}

/** Every member of a segment, page after page; fails on a member listed twice. */
async function allMembers(cloud: TestCloud, segment: string, limit?: number): Promise<{ ids: string[]; pages: number; rows: any[] }> {
  const rows: any[] = [];
  let cursor: string | null | undefined;
  let pages = 0;
  do {
    const page = await funnelAdmin(cloud, 'segmentMembers', { segment, ...(limit ? { limit } : {}), ...(cursor ? { cursor } : {}) });
    rows.push(...page.members);
    cursor = page.cursor;
    pages += 1;
    expect(pages).toBeLessThan(200);
  } while (cursor);
  const ids = rows.map((r) => r.memberId);
  expect(new Set(ids).size, 'a member listed twice').toBe(ids.length);
  return { ids: [...ids].sort(), pages, rows };
}

async function dbRequests(cloud: TestCloud): Promise<Record<string, number>> {
  const { counts } = await cloud.client.stats();
  return Object.fromEntries(Object.entries(counts).filter(([key]) => key.startsWith('database.')));
}

function delta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([key, n]) => [key, n - (before[key] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
}

describe('segments: lifecycle', () => {
  const cloud = useCloud();

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
    await seedMembers(cloud, [
      // Joined: the first instant of the day 7 days ago (new), the last of the day 8 days ago (not).
      { id: 'm-joined-7', createdAt: new Date(`${dayAgo(7)}T00:00:00.000+08:00`) },
      { id: 'm-joined-8', createdAt: at(8, '23:59:59.999') },
      // Last login 30 / 31 / 90 / 91 days ago, joined long before.
      { id: 'm-login-30', createdAt: at(400), loginDay: dayAgo(30) },
      { id: 'm-login-31', createdAt: at(400), loginDay: dayAgo(31) },
      { id: 'm-login-90', createdAt: at(400), loginDay: dayAgo(90) },
      { id: 'm-login-91', createdAt: at(400), loginDay: dayAgo(91) },
      // Never logged in after joining: the day they joined is their last active day.
      { id: 'm-quiet-30', createdAt: at(30, '23:59:59.999') },
      { id: 'm-quiet-31', createdAt: at(31, '23:59:59.999') },
      { id: 'm-quiet-90', createdAt: new Date(`${dayAgo(90)}T00:00:00.000+08:00`) },
      { id: 'm-quiet-91', createdAt: at(91, '23:59:59.999') },
      // Merged away: in no segment, whatever its days say.
      { id: 'm-merged', createdAt: at(1), loginDay: TODAY, mergedInto: 'm-login-30' },
    ]);
  });

  it('places members by the joined day (7 in, 8 out) and the last active day (30 / 31, 90 / 91)', async () => {
    const before = await dbRequests(cloud);
    const data = await funnelAdmin(cloud, 'segments');
    // Four counts, the merged-away map, one aggregate of the paid orders.
    expect(delta(before, await dbRequests(cloud))).toEqual({
      'database.calculateDocument': 4,
      'database.getDocument': 1,
      'database.aggregateDocuments': 1,
    });
    expect(data.at).toBe(new Date(data.at).toISOString());
    expect(data.segments.map((s: any) => [s.segment, s.label, s.members]).slice(0, 4)).toEqual([
      ['new', '新会员', 1],
      ['active', '活跃会员', 4],
      ['dormant', '沉睡会员', 4],
      ['lapsed', '流失会员', 2],
    ]);
    expect(data.rfm).toEqual({ payers: 0, recencyDays: 0, orders: 0, fen: 0 });

    expect((await allMembers(cloud, 'new')).ids).toEqual(['m-joined-7']);
    expect((await allMembers(cloud, 'active')).ids).toEqual(['m-joined-7', 'm-joined-8', 'm-login-30', 'm-quiet-30']);
    expect((await allMembers(cloud, 'dormant')).ids).toEqual(['m-login-31', 'm-login-90', 'm-quiet-31', 'm-quiet-90']);
    expect((await allMembers(cloud, 'lapsed')).ids).toEqual(['m-login-91', 'm-quiet-91']);
    const { rows } = await allMembers(cloud, 'dormant');
    expect(rows.find((r) => r.memberId === 'm-quiet-31')).toEqual({
      memberId: 'm-quiet-31',
      nickname: '微信用户',
      joinedAt: at(31, '23:59:59.999').toISOString(),
      lastActiveDay: dayAgo(31),
      orders: 0,
      paidFen: 0,
      lastPaidAt: null,
    });
    expect(rows.find((r) => r.memberId === 'm-login-90')).toMatchObject({ lastActiveDay: dayAgo(90) });
  });

  it('a day later every boundary has moved by one day', async () => {
    await cloud.client.clock.set(new Date(Date.parse(NOW) + DAY_MS).toISOString());
    expect(await counts(cloud)).toMatchObject({ new: 0, active: 2, dormant: 4, lapsed: 4 });
    expect((await allMembers(cloud, 'active')).ids).toEqual(['m-joined-7', 'm-joined-8']);
    expect((await allMembers(cloud, 'dormant')).ids).toEqual(['m-login-30', 'm-login-31', 'm-quiet-30', 'm-quiet-31']);
    expect((await allMembers(cloud, 'lapsed')).ids).toEqual(['m-login-90', 'm-login-91', 'm-quiet-90', 'm-quiet-91']);
  });

  it('pages: every member of the segment once, whatever the page size', async () => {
    await seedMembers(
      cloud,
      Array.from({ length: 230 }, (_, i) => ({ id: `m-page-${String(i).padStart(3, '0')}`, createdAt: at(200), loginDay: dayAgo(i % 40) })),
    );
    // Days 0–30 of every 40: 31 of each 40, and the last 30 (200–229) are days 0–29.
    const expected = Array.from({ length: 230 }, (_, i) => i)
      .filter((i) => i % 40 <= 30)
      .map((i) => `m-page-${String(i).padStart(3, '0')}`);
    const active = [...expected, 'm-joined-7', 'm-joined-8', 'm-login-30', 'm-quiet-30'].sort();
    expect((await counts(cloud)).active).toBe(active.length);
    const small = await allMembers(cloud, 'active', 7);
    expect(small.ids).toEqual(active);
    expect(small.pages).toBe(Math.ceil(active.length / 7) + (active.length % 7 === 0 ? 1 : 0));
    expect((await allMembers(cloud, 'active', 1000)).ids).toEqual(active);
    const before = await dbRequests(cloud);
    await funnelAdmin(cloud, 'segmentMembers', { segment: 'active', limit: 50 });
    // The merged-away map, the page, its members' orders.
    expect(delta(before, await dbRequests(cloud))).toEqual({ 'database.getDocument': 1, 'database.aggregateDocuments': 2 });
  });
});

describe('segments: RFM cells', () => {
  const cloud = useCloud();

  /**
   * Eight payers, one per cell. High / low: recency 5 / 100 or 364 days (average 85.5), orders 3 or 4 / 1
   * (average 2.125), fen 50,000 or 60,000 / 5,000 (average 28,750). Orders that must not count are
   * mixed in: each would move its member to another cell if it did.
   */
  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
    const cells = [
      'important_value',
      'important_develop',
      'important_keep',
      'important_retain',
      'general_value',
      'general_develop',
      'general_keep',
      'general_retain',
    ];
    await seedMembers(cloud, [
      ...cells.map((cell) => ({ id: `m-${cell}`, createdAt: at(500), loginDay: dayAgo(2), nickname: cell })),
      { id: 'm-merged-iv', createdAt: at(500), mergedInto: 'm-important_value' },
      { id: 'm-no-orders', createdAt: at(500), loginDay: TODAY },
    ]);
    const three = (memberId: string, fens: number[], lastDays: number) =>
      fens.map((payable, i) => ({ memberId, payable, paidAt: at(lastDays + 10 * (fens.length - 1 - i)) }));
    await seedOrders(cloud, [
      // 3 orders, 50,000 fen, 5 days ago; and a stray order of its merged-away member: 4 orders, 60,000.
      ...three('m-important_value', [20000, 20000, 10000], 5).map((o, i) => ({ ...o, state: ['completed', 'shipped', 'paid'][i] })),
      { memberId: 'm-merged-iv', payable: 10000, paidAt: at(20) },
      // One order: 60,000 less 10,000 refunded; a wholly refunded order does not count.
      { memberId: 'm-important_develop', payable: 60000, refunded: 10000, state: 'shipped', paidAt: at(5) },
      { memberId: 'm-important_develop', payable: 99999, refunded: 99999, state: 'refunded', paidAt: at(3) },
      ...three('m-important_keep', [20000, 20000, 10000], 100),
      // Paid on the first day of the 365-day window: counts; a day earlier: does not.
      { memberId: 'm-important_retain', payable: 50000, paidAt: new Date(`${dayAgo(364)}T00:00:00.000+08:00`) },
      { memberId: 'm-important_retain', payable: 70000, paidAt: at(365, '23:59:59.999') },
      ...three('m-general_value', [2000, 2000, 1000], 5),
      { memberId: 'm-general_develop', payable: 5000, paidAt: at(5) },
      // Cancelled, refunding and unpaid orders hold no money.
      { memberId: 'm-general_develop', payable: 500000, state: 'cancelled', paidAt: at(4) },
      { memberId: 'm-general_develop', payable: 500000, state: 'refunding', paidAt: at(4) },
      { memberId: 'm-general_develop', payable: 500000, state: 'created', paidAt: at(4) },
      ...three('m-general_keep', [2000, 2000, 1000], 100),
      // Refunded line by line down to nothing, still "paid": does not count (else recency 3, 4 orders).
      { memberId: 'm-general_keep', payable: 3000, refunded: 3000, paidAt: at(3) },
      { memberId: 'm-general_retain', payable: 5000, paidAt: at(100) },
    ]);
  });

  it('puts each payer in its cell, cut at the averages over the payers', async () => {
    const before = await dbRequests(cloud);
    const data = await funnelAdmin(cloud, 'segments');
    expect(delta(before, await dbRequests(cloud))).toEqual({
      'database.calculateDocument': 4,
      'database.getDocument': 1,
      'database.aggregateDocuments': 1,
    });
    expect(data.rfm).toEqual({ payers: 8, recencyDays: 85.5, orders: 2.13, fen: 28750 });
    const byCell = Object.fromEntries(data.segments.slice(4).map((s: any) => [s.segment, [s.label, s.members]]));
    expect(byCell).toEqual({
      important_value: ['重要价值客户', 1],
      important_develop: ['重要发展客户', 1],
      important_keep: ['重要保持客户', 1],
      important_retain: ['重要挽留客户', 1],
      general_value: ['一般价值客户', 1],
      general_develop: ['一般发展客户', 1],
      general_keep: ['一般保持客户', 1],
      general_retain: ['一般挽留客户', 1],
    });
    for (const cell of Object.keys(byCell)) {
      const before = await dbRequests(cloud);
      const page = await funnelAdmin(cloud, 'segmentMembers', { segment: cell });
      // The merged-away map, the paid orders' aggregate, the page's members.
      expect(delta(before, await dbRequests(cloud))).toEqual({ 'database.getDocument': 2, 'database.aggregateDocuments': 1 });
      expect(page.members.map((m: any) => m.memberId)).toEqual([`m-${cell}`]);
      expect(page.cursor).toBeNull();
    }
    const [value] = (await funnelAdmin(cloud, 'segmentMembers', { segment: 'important_value' })).members;
    expect(value).toEqual({
      memberId: 'm-important_value',
      nickname: 'important_value',
      joinedAt: at(500).toISOString(),
      lastActiveDay: dayAgo(2),
      orders: 4,
      paidFen: 60000,
      lastPaidAt: at(5).toISOString(),
    });
    const [develop] = (await funnelAdmin(cloud, 'segmentMembers', { segment: 'important_develop' })).members;
    expect(develop).toMatchObject({ orders: 1, paidFen: 50000, lastPaidAt: at(5).toISOString() });
    const [retain] = (await funnelAdmin(cloud, 'segmentMembers', { segment: 'important_retain' })).members;
    expect(retain).toMatchObject({ orders: 1, paidFen: 50000 });
    // The same figures on a lifecycle page: all ten are active (the merged-away one is not listed).
    const active = await allMembers(cloud, 'active');
    expect(active.ids).toHaveLength(9);
    expect(active.rows.find((r) => r.memberId === 'm-important_value')).toEqual(value);
    expect(active.rows.find((r) => r.memberId === 'm-general_keep')).toMatchObject({ orders: 3, paidFen: 5000 });
    expect(active.rows.find((r) => r.memberId === 'm-no-orders')).toMatchObject({ orders: 0, paidFen: 0, lastPaidAt: null });
  });

  it('pages a cell: every member once', async () => {
    // 30 more payers like general_develop's: one order of 5,000 fen 5 days ago.
    await seedMembers(
      cloud,
      Array.from({ length: 30 }, (_, i) => ({ id: `m-gd-${String(i).padStart(2, '0')}`, createdAt: at(500) })),
    );
    await seedOrders(
      cloud,
      Array.from({ length: 30 }, (_, i) => ({ memberId: `m-gd-${String(i).padStart(2, '0')}`, payable: 5000, paidAt: at(5) })),
    );
    const expected = ['m-general_develop', ...Array.from({ length: 30 }, (_, i) => `m-gd-${String(i).padStart(2, '0')}`)].sort();
    expect((await counts(cloud)).general_develop).toBe(31);
    const paged = await allMembers(cloud, 'general_develop', 4);
    expect(paged.ids).toEqual(expected);
    expect(paged.pages).toBe(8);
  });
});

describe('segments: a real order through payment and refunds', () => {
  const cloud = useCloud();

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
    await makeProduct(cloud, 'prd-seg', [{ id: 'sku-seg', price: 5000, stock: 10 }]);
    okData(await cloud.invoke('member', { action: 'login' }, 'alice'));
  });

  it('counts a paid order for what is left after a refunded unit, and a wholly refunded order not at all', async () => {
    const created = okData(await createOrder(cloud, 'alice', [{ skuId: 'sku-seg', quantity: 2 }], 'req-seg-0001'));
    const orderId = created.order.orderId as string;
    await cloud.client.payments.settle(orderId);
    const { memberId, paidAt } = await docOf(cloud, 'orders', orderId);
    const refund = async (requestId: string, lines?: Array<{ skuId: string; quantity: number }>) => {
      const asked = okData(
        await cloud.invoke('orderAdmin', { action: 'refundOrder', orderId, reason: '破损', requestId, ...(lines ? { lines } : {}) }),
      );
      expect((await runJobs(cloud, ['driveRefunds'])).driveRefunds.result).toMatchObject({ submitted: 1 });
      await cloud.client.payments.settleRefund(asked.refund.id, { result: 'SUCCESS' });
    };
    await refund('refund-seg-0001', [{ skuId: 'sku-seg', quantity: 1 }]);
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'paid', refunded: 5000 });

    // The only payer is at every average: 重要价值.
    expect((await funnelAdmin(cloud, 'segments')).rfm).toEqual({ payers: 1, recencyDays: 0, orders: 1, fen: 5000 });
    expect((await funnelAdmin(cloud, 'segmentMembers', { segment: 'important_value' })).members).toEqual([
      expect.objectContaining({ memberId, orders: 1, paidFen: 5000, lastPaidAt: new Date(paidAt).toISOString(), lastActiveDay: TODAY }),
    ]);
    expect((await allMembers(cloud, 'new')).ids).toEqual([memberId]);

    await refund('refund-seg-0002');
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'refunded', refunded: 10000 });
    const after = await funnelAdmin(cloud, 'segments');
    expect(after.rfm).toEqual({ payers: 0, recencyDays: 0, orders: 0, fen: 0 });
    expect(after.segments.slice(4).every((s: any) => s.members === 0)).toBe(true);
  });
});

describe('segments as an audience: grantCoupons and broadcast', () => {
  const cloud = useCloud();
  const message = { title: '老友回归', content: '沉睡会员专享：回来看看新品', page: 'pages/index/index' };

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
  });

  it('grantCoupons to a segment: once per member, chunk after chunk; nobody who entered the segment since the first run', async () => {
    okData(
      await cloud.invoke('couponAdmin', { action: 'createCouponTemplate', id: 'tpl-seg', template: templateInput({ totalStock: 100 }) }),
    );
    const fresh = ['m-new-1', 'm-new-2', 'm-new-3', 'm-new-4', 'm-new-5'];
    await seedMembers(cloud, [
      ...fresh.map((id, i) => ({ id, createdAt: at(i) })),
      { id: 'm-old-1', createdAt: at(8), loginDay: TODAY },
      { id: 'm-old-2', createdAt: at(60) },
      { id: 'm-new-merged', createdAt: at(1), mergedInto: 'm-new-1' },
    ]);
    const grant = (params: Record<string, unknown>) =>
      cloud.invoke('couponAdmin', { action: 'grantCoupons', templateId: 'tpl-seg', ...params });
    const batch = { batchId: 'welcome-new', segment: 'new' };

    expect(await grant({ ...batch, memberIds: ['m-old-1'] })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await grant({ batchId: 'welcome-new' })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await grant({ ...batch, segment: 'newbies' })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await docsOf(cloud, 'job_cursors')).toEqual([]);

    const first = okData(await grant({ ...batch, chunkSize: 2 }));
    expect(first).toMatchObject({ total: 5, done: 2, remaining: 3, granted: 2, finishedAt: null });
    // Joins after the first run: in the segment now, not in the batch.
    await seedMembers(cloud, [{ id: 'm-new-late', createdAt: new Date(NOW) }]);
    expect((await allMembers(cloud, 'new')).ids).toEqual([...fresh, 'm-new-late']);
    expect(await grant({ ...batch, segment: 'active' })).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(await grant({ batchId: 'welcome-new', memberIds: fresh })).toMatchObject({ ok: false, code: 'CONFLICT' });

    let run = first;
    for (let runs = 0; run.remaining > 0; runs += 1) {
      expect(runs).toBeLessThan(5);
      run = okData(await grant({ ...batch, chunkSize: 2 }));
    }
    expect(run).toMatchObject({ total: 5, done: 5, granted: 5, already: 0, unknownMembers: [], finishedAt: expect.any(String) });
    // Resuming without naming the audience goes on with the frozen list too; a finished batch answers as it ended.
    expect(okData(await grant({ batchId: 'welcome-new' }))).toEqual(run);
    expect(okData(await grant(batch))).toEqual(run);

    const coupons = await docsOf(cloud, 'coupons', { batchId: 'welcome-new' });
    expect(coupons.map((c) => c.memberId).sort()).toEqual(fresh);
    expect(coupons.map((c) => c._id).sort()).toEqual(fresh.map((m) => `grant:welcome-new:${m}`));
    // A new batch lists the segment as it is now.
    expect(okData(await grant({ batchId: 'welcome-new-2', segment: 'new' }))).toMatchObject({ total: 6, granted: 6 });
    expect(await docsOf(cloud, 'coupons', { memberId: 'm-new-late' })).toHaveLength(1);
    expect(okData(await grant({ batchId: 'nobody', segment: 'important_value' }))).toMatchObject({
      total: 0,
      remaining: 0,
      granted: 0,
      finishedAt: expect.any(String),
    });
  });

  it('a broadcast to a segment reaches exactly its members when it started: killed half-way, the resumed run adds nobody, each once', async () => {
    const dormant = Array.from({ length: 250 }, (_, i) => `m-d-${String(i).padStart(3, '0')}`);
    await seedMembers(cloud, [
      ...dormant.map((id, i) => ({ id, createdAt: at(300), loginDay: dayAgo(31 + (i % 60)) })),
      ...Array.from({ length: 20 }, (_, i) => ({ id: `m-a-${String(i).padStart(2, '0')}`, createdAt: at(300), loginDay: dayAgo(i) })),
      { id: 'm-lapsed', createdAt: at(300), loginDay: dayAgo(91) },
      { id: 'm-d-merged', createdAt: at(300), loginDay: dayAgo(40), mergedInto: 'm-a-00' },
    ]);
    const broadcast = (params: Record<string, unknown>) => cloud.invoke('noticeAdmin', { action: 'broadcast', ...message, ...params });
    expect(await broadcast({ broadcastId: 'bad-1', segment: 'dormant', memberIds: ['m-d-000'] })).toMatchObject({
      ok: false,
      code: 'INVALID_ARGUMENT',
    });
    expect(await broadcast({ broadcastId: 'bad-2', segment: 'dormant', template: 'TPL_CAMPAIGN' })).toMatchObject({
      ok: false,
      code: 'INVALID_ARGUMENT',
    });
    expect(await docsOf(cloud, 'job_cursors')).toEqual([]);

    const dry = okData(await broadcast({ broadcastId: 'dormant-1', segment: 'dormant', dryRun: true }));
    expect(dry).toMatchObject({ dryRun: true, total: 250, done: 250, written: 0, unknownCount: 0, byChannel: { none: 250 } });
    expect(await noticesOf(cloud)).toEqual([]);

    // Every notice written waits a little, so the kill lands in the middle of the audience.
    await cloud.client.faults.delay('database.insertDocument', 100, 200);
    const request = { broadcastId: 'dormant-1', ...message, segment: 'dormant' };
    const run = await startKillable(cloud, 'broadcast', JSON.stringify(request));
    await run.killWhen(async () => (await noticesOf(cloud, { kind: 'campaign' })).length >= 120);
    const cut = (await noticesOf(cloud, { kind: 'campaign' })).length;
    expect(cut).toBeLessThan(250);

    // After the first run: one member enters the segment by joining, one by falling asleep; one listed member wakes up.
    await seedMembers(cloud, [{ id: 'm-d-late', createdAt: at(300), loginDay: dayAgo(45) }]);
    await cloud
      .db()
      .collection('members')
      .doc('m-a-05')
      .update({ data: { loginDay: dayAgo(45) } });
    await cloud
      .db()
      .collection('members')
      .doc('m-d-249')
      .update({ data: { loginDay: TODAY } });
    expect((await counts(cloud)).dormant).toBe(251);

    await cloud.client.clock.advance(2 * 60_000);
    const done = okData(await broadcast(request));
    expect(done).toMatchObject({ total: 250, remaining: 0, unknownCount: 0, finishedAt: expect.any(String) });
    const again = okData(await broadcast(request));
    expect(again).toEqual(done);

    const notices = await noticesOf(cloud, { kind: 'campaign' });
    const perMember = new Map<string, number>();
    for (const notice of notices) perMember.set(notice.memberId, (perMember.get(notice.memberId) ?? 0) + 1);
    expect([...perMember.keys()].sort()).toEqual(dormant);
    expect([...perMember.values()].every((n) => n === 1)).toBe(true);
    expect(notices.map((n) => n._id).sort()).toEqual(dormant.map((m) => `campaign:dormant-1:${m}`));
    expect(notices.every((n) => n.data.broadcastId === 'dormant-1' && n.data.title === message.title)).toBe(true);
  });
});

describe('CLI: npm run admin -- segments / segmentMembers --csv', () => {
  const cloud = useCloud();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-segments-cli-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) => runAdminCli(cloud.url, args, dir);

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
    await seedMembers(cloud, [
      { id: 'm-c-1', createdAt: at(100), loginDay: dayAgo(1), nickname: '=HYPERLINK("http://evil","点我")' },
      { id: 'm-c-2', createdAt: at(100), loginDay: dayAgo(2), nickname: '小明, "二号"' },
      { id: 'm-c-3', createdAt: new Date('2026-12-02T16:30:00.000Z'), nickname: '+86 138' },
      { id: 'm-c-4', createdAt: at(100), loginDay: dayAgo(4), nickname: '小红' },
      { id: 'm-c-5', createdAt: at(100), loginDay: dayAgo(5) },
      { id: 'm-c-dormant', createdAt: at(100), loginDay: dayAgo(50) },
    ]);
    await seedOrders(cloud, [{ memberId: 'm-c-1', payable: 12345, paidAt: new Date('2026-12-01T02:00:00.000Z') }]);
  });

  it('segments prints a table of every segment and the RFM cut', async () => {
    const result = await cli('segments');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^segment\s+label\s+members$/m);
    expect(result.stdout).toMatch(/^new\s+新会员\s+1$/m);
    expect(result.stdout).toMatch(/^active\s+活跃会员\s+5$/m);
    expect(result.stdout).toMatch(/^dormant\s+沉睡会员\s+1$/m);
    expect(result.stdout).toMatch(/^important_value\s+重要价值客户\s+1$/m);
    expect(result.stdout).toContain(
      'RFM over 1 payer(s) of the last 365 days, cut at the averages: 2 days since the last payment, 1 orders, ¥123.45',
    );
  });

  it('segmentMembers --csv writes every page to one CSV (BOM, CRLF, defused nicknames)', async () => {
    const file = path.join(dir, 'out', 'active.csv');
    const result = await cli('segmentMembers', JSON.stringify({ segment: 'active', limit: 2 }), '--csv', file);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      '2 members (page 1)',
      '4 members (page 2)',
      `5 members of active written to ${path.join('out', 'active.csv')}`,
    ]);
    const text = fs.readFileSync(file, 'utf8');
    expect(fs.existsSync(`${file}.part`)).toBe(false);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1)).toEqual([
      '会员ID,昵称,加入时间,最近活跃日,订单数(365天),实付(元,365天),最近付款时间',
      `m-c-1,"'=HYPERLINK(""http://evil"",""点我"")",${dayAgo(100)} 10:00:00,${dayAgo(1)},1,123.45,2026-12-01 10:00:00`,
      `m-c-2,"小明, ""二号""",${dayAgo(100)} 10:00:00,${dayAgo(2)},0,0.00,`,
      `m-c-3,'+86 138,2026-12-03 00:30:00,${TODAY},0,0.00,`,
      `m-c-4,小红,${dayAgo(100)} 10:00:00,${dayAgo(4)},0,0.00,`,
      `m-c-5,微信用户,${dayAgo(100)} 10:00:00,${dayAgo(5)},0,0.00,`,
    ]);
  });

  it('segmentMembers without --csv prints a page; --csv stays shipOrder’s too, other jobs refuse it', async () => {
    const page = await cli('segmentMembers', JSON.stringify({ segment: 'dormant' }));
    expect(page.code).toBe(0);
    expect(page.stdout).toMatch(/^m-c-dormant\s+微信用户\s/m);
    expect(page.stdout).toContain('1 member(s)');
    const more = await cli('segmentMembers', JSON.stringify({ segment: 'active', limit: 2 }));
    expect(more.stdout).toContain('more: add "cursor":"m-c-2" for the next page');

    const ship = await cli('shipOrder', '--csv', path.join(dir, 'missing.csv'));
    expect(ship.code).toBe(1);
    expect(ship.stderr).toContain('no such file');
    const other = await cli('listOrders', '--csv', path.join(dir, 'x.csv'));
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('--csv is for shipOrder, segmentMembers and funnel only');
    const bad = await cli('segmentMembers', JSON.stringify({ segment: 'sleepy' }), '--csv', path.join(dir, 'bad.csv'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: INVALID_ARGUMENT/m);
    expect(fs.existsSync(path.join(dir, 'bad.csv'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'bad.csv.part'))).toBe(false);
  });
});
