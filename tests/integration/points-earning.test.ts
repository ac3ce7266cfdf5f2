import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { createOrder, docOf, docsOf, makeProduct, runJobs } from '../support/orders';
import { expectLedgerBalanced, givePoints, memberIdOf } from '../support/points';

/**
 * Earning rules that must hold once per person, per friend, per day: the follow, the invite and
 * its daily cap, purchases and their daily cap, take-backs of partial refunds, and the notice
 * before points expire. Each test sets the rules it needs before any function reads them.
 */
describe('points: earning once, within the caps', () => {
  const cloud = useCloud();
  const DAY = 24 * 60 * 60 * 1000;
  const setRules = async (rules: Record<string, unknown>) => {
    const answer = await cloud.invoke('pointsAdmin', { action: 'setPointsRules', ...rules });
    expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
  };
  const entries = (memberId: string, source: string) => docsOf(cloud, 'points_ledger', { memberId, source });

  beforeEach(async () => {
    await cloud.client.clock.set('2026-12-03T02:00:00.000Z');
  });

  it('following the 公众号 earns once per person: subscribe (delivered twice), unsubscribe, subscribe again → one entry', async () => {
    const bob = await memberIdOf(cloud, 'bob');
    await cloud.client.mp.push({ persona: 'bob', type: 'subscribe', deliveries: 2 });
    await cloud.client.clock.advance(60_000);
    await cloud.client.mp.push({ persona: 'bob', type: 'unsubscribe' });
    await cloud.client.clock.advance(60_000);
    await cloud.client.mp.push({ persona: 'bob', type: 'subscribe' });

    expect(await entries(bob, 'follow')).toMatchObject([{ _id: 'ledger:follow:o-mp-bob', delta: 50, title: '关注公众号' }]);
    expect(await expectLedgerBalanced(cloud, bob)).toBe(50);
    expect(await docOf(cloud, 'members', bob)).toMatchObject({ followsMp: true });
  });

  it('a new member through a share earns the sharer invite points once; repeats, old members and self-shares earn nothing', async () => {
    await setRules({ invite: { points: 100, dailyCap: 500 } });
    const alice = await memberIdOf(cloud, 'alice');
    const share = (as: string | { openid: string }) => cloud.invoke('member', { action: 'visit', sharer: alice }, as);
    // carol became a member two days ago and never arrived through anything.
    const carol = await memberIdOf(cloud, 'carol');
    await cloud.client.clock.advance(2 * DAY);

    // bob's first call ever is opening alice's share: he is new, and it is his first arrival.
    expect(await share('bob')).toMatchObject({ ok: true, data: { attributed: true } });
    const bob = await memberIdOf(cloud, 'bob');
    expect(await entries(alice, 'invite')).toMatchObject([
      { _id: `ledger:invite:${bob}`, delta: 100, title: '邀请好友', ref: { invitee: bob } },
    ]);
    // Again, and 5 times at once: bob arrived already.
    await share('bob');
    await Promise.all(Array.from({ length: 5 }, () => share('bob')));
    // carol is not new; alice opening her own card invites nobody.
    expect(await share('carol')).toMatchObject({ ok: true, data: { attributed: true } });
    expect(await share('alice')).toMatchObject({ ok: true, data: { attributed: false } });

    expect(await entries(alice, 'invite')).toHaveLength(1);
    expect(await expectLedgerBalanced(cloud, alice)).toBe(100);
    for (const other of [bob, carol]) expect(await docsOf(cloud, 'points_ledger', { memberId: other })).toEqual([]);
  });

  it('a new member opening a share 5 times at once earns the sharer one invite', async () => {
    await setRules({ invite: { points: 100, dailyCap: 500 } });
    const alice = await memberIdOf(cloud, 'alice');
    await Promise.all(
      Array.from({ length: 5 }, () => cloud.invoke('member', { action: 'visit', sharer: alice }, { openid: 'o-new-0001' })),
    );
    expect(await entries(alice, 'invite')).toHaveLength(1);
    expect(await expectLedgerBalanced(cloud, alice)).toBe(100);
  });

  it('invites within the daily cap: the last one cut to what is left, then nothing until the next Shanghai day', async () => {
    await setRules({ invite: { points: 100, dailyCap: 250 } });
    const alice = await memberIdOf(cloud, 'alice');
    const invite = async (openid: string) => {
      const answer = await cloud.invoke('member', { action: 'visit', sharer: alice }, { openid });
      expect(answer).toMatchObject({ ok: true, data: { attributed: true } });
    };
    for (const openid of ['o-friend-01', 'o-friend-02', 'o-friend-03', 'o-friend-04']) await invite(openid);
    expect((await entries(alice, 'invite')).map((e) => e.delta).sort((a, b) => b - a)).toEqual([100, 100, 50]);
    expect(await docOf(cloud, 'members', alice)).toMatchObject({ points: 250, pointsDay: { day: '2026-12-03', invite: 250 } });

    // 2026-12-03T16:00Z is the next day in Shanghai.
    await cloud.client.clock.set('2026-12-03T16:30:00.000Z');
    await invite('o-friend-05');
    expect(await entries(alice, 'invite')).toHaveLength(4);
    expect(await docOf(cloud, 'members', alice)).toMatchObject({ pointsDay: { day: '2026-12-04', invite: 100 } });
    expect(await expectLedgerBalanced(cloud, alice)).toBe(350);
  });

  it('purchases within the daily cap: full, cut, nothing, then full again the next day', async () => {
    await setRules({ purchase: { pointsPerYuan: 1, dailyCap: 200 } });
    await makeProduct(cloud, 'prd-cap', [{ id: 'sku-cap', price: 15_000, stock: 10 }]);
    const alice = await memberIdOf(cloud, 'alice');
    const buy = async (requestId: string) => {
      const created = await createOrder(cloud, 'alice', [{ skuId: 'sku-cap', quantity: 1 }], requestId);
      expect(created, JSON.stringify(created)).toMatchObject({ ok: true });
      await cloud.client.payments.settle(created.data.order.orderId);
      return created.data.order.orderId as string;
    };
    const first = await buy('cap-order-0001');
    const second = await buy('cap-order-0002');
    const third = await buy('cap-order-0003');
    expect(await docOf(cloud, 'points_ledger', `ledger:order:${first}`)).toMatchObject({ delta: 150 });
    expect(await docOf(cloud, 'points_ledger', `ledger:order:${second}`)).toMatchObject({ delta: 50 });
    expect(await docOf(cloud, 'points_ledger', `ledger:order:${third}`)).toBeNull();
    expect(await docOf(cloud, 'members', alice)).toMatchObject({ points: 200, pointsDay: { day: '2026-12-03', order: 200 } });

    await cloud.client.clock.advance(DAY);
    const fourth = await buy('cap-order-0004');
    expect(await docOf(cloud, 'points_ledger', `ledger:order:${fourth}`)).toMatchObject({ delta: 150 });
    expect(await expectLedgerBalanced(cloud, alice)).toBe(350);
  });

  it('two partial refunds, then the rest: together they take back exactly what the order earned, in whatever order they settle', async () => {
    // 3 × ¥12.34 = ¥37.02 earns 37 points; one unit's share of them is 12.33.
    await makeProduct(cloud, 'prd-part', [{ id: 'sku-part', price: 1234, stock: 10 }]);
    const alice = await memberIdOf(cloud, 'alice');
    const created = await createOrder(cloud, 'alice', [{ skuId: 'sku-part', quantity: 3 }], 'part-order-0001');
    expect(created, JSON.stringify(created)).toMatchObject({ ok: true, data: { order: { payable: 3702 } } });
    const orderId = created.data.order.orderId as string;
    await cloud.client.payments.settle(orderId);
    expect(await docOf(cloud, 'points_ledger', `ledger:order:${orderId}`)).toMatchObject({ delta: 37 });

    const refund = async (requestId: string, lines?: Array<{ skuId: string; quantity: number }>) => {
      const answer = await cloud.invoke('orderAdmin', {
        action: 'refundOrder',
        orderId,
        reason: '部分退款',
        requestId,
        ...(lines ? { lines } : {}),
      });
      expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
      return answer.data.refund.id as string;
    };
    const first = await refund('part-refund-0001', [{ skuId: 'sku-part', quantity: 1 }]);
    const second = await refund('part-refund-0002', [{ skuId: 'sku-part', quantity: 1 }]);
    const rest = await refund('part-refund-0003');
    expect((await runJobs(cloud, ['driveRefunds'])).driveRefunds.result).toMatchObject({ submitted: 3 });
    // The second settles first, then the rest, then the first; each callback delivered twice.
    for (const id of [second, rest, first]) await cloud.client.payments.settleRefund(id, { result: 'SUCCESS', deliveries: 2 });
    await runJobs(cloud, ['driveRefunds']);

    const takes = await entries(alice, 'refund');
    expect(takes).toHaveLength(3);
    expect(takes.reduce((sum, e) => sum + e.delta, 0)).toBe(-37);
    // Each refund takes its units' share of the points, floored on the total refunded so far: 12, 12, then the 13 left.
    expect(Object.fromEntries(takes.map((e) => [e.ref.refundId, e.delta]))).toEqual({ [first]: -12, [second]: -12, [rest]: -13 });
    expect(takes.every((e) => !e.unrecovered)).toBe(true);
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'refunded', refunded: 3702 });
    expect(await expectLedgerBalanced(cloud, alice)).toBe(0);
  });

  it('the points-expiring notice: one per member and expiry date, a week ahead, also when the job runs twice', async () => {
    await setRules({ expiry: { mode: 'days', days: 10 } });
    const alice = await memberIdOf(cloud, 'alice');
    await givePoints(cloud, alice, 100, 'lot-early-0001'); // ends 2026-12-13
    const notices = () => docsOf(cloud, 'notices', { kind: 'points.expiring' });
    const runNotices = async () => (await runJobs(cloud, ['pointsExpiringNotices'])).pointsExpiringNotices.result.written;

    // Ten days ahead: too early.
    expect(await runNotices()).toBe(0);
    expect(await notices()).toEqual([]);
    // 12-07 10:00: the lot ends in under 7 days.
    await cloud.client.clock.set('2026-12-07T02:00:00.000Z');
    expect(await runNotices()).toBe(1);
    expect(await runNotices()).toBe(0);
    expect(await notices()).toMatchObject([
      {
        _id: `points.expiring:${alice}:2026-12-13`,
        memberId: alice,
        data: { points: 100, balance: 100, expiresAt: '2026-12-13T15:59:59.999Z' },
      },
    ]);
    // A later lot does not move the next expiry: nothing new.
    await givePoints(cloud, alice, 50, 'lot-later-0001'); // ends 2026-12-17
    expect(await runNotices()).toBe(0);

    // The first lot expires; the next one is within the week and gets its own notice, once.
    await cloud.client.clock.set('2026-12-14T02:00:00.000Z');
    expect((await runJobs(cloud, ['expirePoints'])).expirePoints.result).toMatchObject({ members: 1, points: 100 });
    expect(await runNotices()).toBe(1);
    expect(await runNotices()).toBe(0);
    expect((await notices()).map((n) => [n._id, n.data.points]).sort()).toEqual([
      [`points.expiring:${alice}:2026-12-13`, 100],
      [`points.expiring:${alice}:2026-12-17`, 50],
    ]);
    expect(await expectLedgerBalanced(cloud, alice)).toBe(50);
  });
});
