import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import {
  expectActivityBalanced,
  expectGroupConsistent,
  joinGroup,
  ledgerRefunds,
  makeActivity,
  openPaidGroup,
  warmGroupbuyInstances,
} from '../support/groups';
import { docOf, docsOf, runJobs } from '../support/orders';

process.env.DUET_FUNCTION_INSTANCES = '6';

/**
 * Payments that lost their seat: the hold (10 minutes) ran out before the money moved, or the group
 * ended meanwhile. Such a payment is never squeezed into its group: with `latePayment: place` the
 * payer gets a paid seat in another open group, with `refund` (or when no group has room) the whole
 * order is refunded once (`<order>-L`); a payment for an order already cancelled by the sweep is
 * refunded by the order path (`<order>-LATE`). Callbacks come several times and at once.
 */
describe('group-buy: late payments', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';
  const MINUTE = 60_000;

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
  });

  const activity = () => docOf(cloud, 'groupbuy_activities', 'gb');
  const skuStock = async () => (await docOf(cloud, 'skus', 'sku-g')).stock as number;
  const orderOf = (orderId: string) => docOf(cloud, 'orders', orderId);
  const noticeIds = async (kind: string) => (await docsOf(cloud, 'notices', { kind })).map((notice) => notice._id).sort();

  async function seat(groupId: string, as: string | { openid: string }, requestId: string): Promise<string> {
    const joined = await joinGroup(cloud, as, groupId, requestId);
    expect(joined, JSON.stringify(joined)).toMatchObject({ ok: true, data: { group: { me: { seat: 'held' } } } });
    return joined.data.order.orderId;
  }

  /** The same payment's callback delivered by several settles at once (each one delivery), all acknowledged. */
  async function payAtOnce(orderId: string, times: number) {
    const settled = await Promise.all(Array.from({ length: times }, () => cloud.client.payments.settle(orderId)));
    for (const delivery of settled.flatMap((s) => s.deliveries)) expect(delivery).toMatchObject({ acked: true, result: { errcode: 0 } });
  }

  it('place: paid after the hold, before the sweep — the payer takes a paid seat in the group closest to filling, once, and it succeeds', async () => {
    await makeActivity(cloud, { size: 3, perMemberLimit: 1 });
    const g1 = await openPaidGroup(cloud, 'alice', 'open-req-alice');
    const bob = await seat(g1, 'bob', 'join-req-bob1');
    expect(new Date((await orderOf(bob)).payBy).getTime() - Date.parse(NOW)).toBeLessThanOrEqual(10 * MINUTE + 30_000);

    await cloud.client.clock.advance(5 * MINUTE);
    const g2 = await openPaidGroup(cloud, 'carol', 'open-req-carol');
    await cloud.client.payments.settle(await seat(g2, { openid: 'o-dave' }, 'join-req-dave'));
    await cloud.client.clock.advance(6 * MINUTE);
    // Bob's hold ran out (the sweep has not run): erin takes the last seat of g1, which is full of holds now.
    const erin = await seat(g1, { openid: 'o-erin' }, 'join-req-erin');
    expect(await docOf(cloud, 'groups', g1)).toMatchObject({ taken: 3, paid: 1 });

    await warmGroupbuyInstances(cloud, 3);
    await payAtOnce(bob, 3);

    const placed = await orderOf(bob);
    expect(placed).toMatchObject({ state: 'paid', group: { groupId: g2, placedFrom: g1, leader: false, state: 'succeeded' } });
    expect(placed.group.placing).toBeUndefined();
    const from = await expectGroupConsistent(cloud, g1);
    expect(from).toMatchObject({ state: 'open', taken: 2, paid: 1 });
    expect(from.holds[placed.memberId]).toBeUndefined();
    expect(from.holds[(await orderOf(erin)).memberId]).toBe(erin);
    const to = await expectGroupConsistent(cloud, g2);
    expect(to).toMatchObject({ state: 'succeeded', paid: 3, taken: 3, settledAt: expect.anything() });
    expect(to.holds[placed.memberId]).toBe(bob);
    expect(await noticeIds('group.placed')).toEqual([`group.placed:${bob}`]);
    expect((await noticeIds('group.succeeded')).filter((id) => id.includes(g2))).toHaveLength(3);
    expect(await noticeIds('group.succeeded')).toContain(`group.succeeded:${g2}:${placed.memberId}`);
    expect(await noticeIds('group.late_refund')).toEqual([]);
    expect(await docsOf(cloud, 'refunds')).toEqual([]);
    expect(await docOf(cloud, 'groupbuy_limits', `lim:gb:${placed.memberId}`)).toMatchObject({ count: 1, orders: [bob] });
    // alice, erin, carol, dave, bob: one unit each, of the activity and of the SKU.
    expect((await activity()).stockLeft).toBe(45);
    expect(await skuStock()).toBe(95);
    await expectActivityBalanced(cloud, 100);

    // The callback again later, and the sweeps: nothing moves.
    const before = { order: await orderOf(bob), g1: await docOf(cloud, 'groups', g1), g2: await docOf(cloud, 'groups', g2) };
    await cloud.client.clock.advance(2 * MINUTE);
    await payAtOnce(bob, 2);
    await runJobs(cloud, ['expireGroups', 'expireOrders']);
    expect(await orderOf(bob)).toEqual(before.order);
    expect(await docOf(cloud, 'groups', g2)).toEqual(before.g2);
    expect(await noticeIds('group.placed')).toEqual([`group.placed:${bob}`]);
  });

  it('place: the payer placed into a group whose last member pays at the same moment — both seats count, the group succeeds once, every order knows it', async () => {
    await makeActivity(cloud, { size: 4, perMemberLimit: 1 });
    const g1 = await openPaidGroup(cloud, 'alice', 'open-req-alice');
    const bob = await seat(g1, 'bob', 'join-req-bob1');
    await cloud.client.clock.advance(5 * MINUTE);
    const g2 = await openPaidGroup(cloud, 'carol', 'open-req-carol');
    await cloud.client.payments.settle(await seat(g2, { openid: 'o-frank' }, 'join-req-frank'));
    const dave = await seat(g2, { openid: 'o-dave' }, 'join-req-dave');
    await cloud.client.clock.advance(6 * MINUTE);

    await warmGroupbuyInstances(cloud, 4);
    await Promise.all([payAtOnce(bob, 2), payAtOnce(dave, 2)]);

    const to = await expectGroupConsistent(cloud, g2);
    expect(to).toMatchObject({ state: 'succeeded', paid: 4, taken: 4, settledAt: expect.anything() });
    const orders = (await docsOf(cloud, 'orders', { 'group.groupId': g2 })).filter((order) => order.state !== 'cancelled');
    expect(orders.map((order) => order._id).sort()).toEqual(Object.values(to.holds).sort());
    for (const order of orders) expect(order, order._id).toMatchObject({ state: 'paid', group: { state: 'succeeded' } });
    expect((await orderOf(bob)).group).toMatchObject({ groupId: g2, placedFrom: g1 });
    expect((await noticeIds('group.succeeded')).filter((id) => id.includes(g2))).toHaveLength(4);
    expect(await noticeIds('group.placed')).toEqual([`group.placed:${bob}`]);
    expect(await docsOf(cloud, 'refunds')).toEqual([]);
    expect(await expectGroupConsistent(cloud, g1)).toMatchObject({ state: 'open', taken: 1, paid: 1 });
    await expectActivityBalanced(cloud, 100);
  });

  it('refund: paid after the hold, before the sweep — refunded once through the refund state machine (<order>-L), told once; seat, unit, limit and stock back', async () => {
    await makeActivity(cloud, { size: 3, perMemberLimit: 1, latePayment: 'refund' });
    const g1 = await openPaidGroup(cloud, 'alice', 'open-req-alice');
    const bob = await seat(g1, 'bob', 'join-req-bob1');
    // Another group has room, but this activity never places late payments.
    const g2 = await openPaidGroup(cloud, 'carol', 'open-req-carol');
    await cloud.client.clock.advance(11 * MINUTE);

    await warmGroupbuyInstances(cloud, 3);
    await payAtOnce(bob, 3);

    const refundId = `${bob}-L`;
    const order = await orderOf(bob);
    expect(order).toMatchObject({ state: 'refunding', group: { groupId: g1, state: 'late_refunded' } });
    expect(await docsOf(cloud, 'refunds')).toMatchObject([
      { _id: refundId, orderId: bob, memberId: order.memberId, state: 'requested', amount: 5900, whole: true, requestedBy: 'system' },
    ]);
    expect(await noticeIds('group.late_refund')).toEqual([`group.late_refund:${bob}`]);
    expect(await noticeIds('group.placed')).toEqual([]);
    expect(await expectGroupConsistent(cloud, g1)).toMatchObject({ state: 'open', taken: 1, paid: 1 });
    expect(await expectGroupConsistent(cloud, g2)).toMatchObject({ state: 'open', taken: 1, paid: 1 });
    expect((await activity()).stockLeft).toBe(48);
    expect(await docOf(cloud, 'groupbuy_limits', `lim:gb:${order.memberId}`)).toMatchObject({ count: 0, orders: [] });

    expect((await runJobs(cloud, ['driveRefunds'])).driveRefunds.result).toMatchObject({ submitted: 1 });
    await cloud.client.payments.settleRefund(refundId, { deliveries: 2 });
    await payAtOnce(bob, 2);
    expect(await orderOf(bob)).toMatchObject({ state: 'refunded', refunded: 5900, group: { state: 'late_refunded' } });
    expect(await ledgerRefunds(cloud, bob)).toMatchObject([{ outRefundNo: refundId, refundFee: 5900, state: 'SUCCESS' }]);
    expect(await docsOf(cloud, 'refunds')).toHaveLength(1);
    expect(await noticeIds('group.late_refund')).toEqual([`group.late_refund:${bob}`]);
    expect(await skuStock()).toBe(98);
    expect((await activity()).stockLeft).toBe(48);
    await expectActivityBalanced(cloud, 100);
  });

  it('after the sweep cancelled the order: the local cloud refuses to pay a closed prepay; one whose close failed is refunded once (<order>-LATE), never placed, never squeezed in', async () => {
    await makeActivity(cloud, { size: 3, perMemberLimit: 1 });
    const g1 = await openPaidGroup(cloud, 'alice', 'open-req-alice');
    const bob = await seat(g1, 'bob', 'join-req-bob1');
    const erin = await seat(g1, { openid: 'o-erin' }, 'join-req-erin');
    // A group with room, which a cancelled order must not be placed into.
    const g2 = await openPaidGroup(cloud, 'carol', 'open-req-carol');
    await cloud.client.clock.advance(11 * MINUTE);
    // The sweep cancels both holds (bob's first: his window ends first); closing bob's prepay fails.
    await cloud.client.faults.add('cloudPay.closeOrder', { errCode: -501001, errMsg: 'system busy' });
    expect((await runJobs(cloud, ['expireOrders'])).expireOrders.result).toMatchObject({ expired: 2 });
    expect(await orderOf(bob)).toMatchObject({ state: 'cancelled', cancelReason: 'pay_window_elapsed' });
    expect((await orderOf(bob)).prepayClosedAt).toBeUndefined();
    expect(await orderOf(erin)).toMatchObject({ state: 'cancelled', prepayClosedAt: expect.anything() });
    expect(await expectGroupConsistent(cloud, g1)).toMatchObject({ taken: 1, paid: 1 });

    // Erin's prepay is closed: WeChat Pay (the local cloud) takes no payment for it.
    await expect(cloud.client.payments.settle(erin)).rejects.toThrow(/closed/);
    // The freed seats go to others; then bob pays on the pay sheet he left open, twice at once.
    const dave = await seat(g1, { openid: 'o-dave' }, 'join-req-dave');
    await warmGroupbuyInstances(cloud, 2);
    await payAtOnce(bob, 3);

    const refundId = `${bob}-LATE`;
    const order = await orderOf(bob);
    expect(order).toMatchObject({ state: 'cancelled', group: { groupId: g1, state: 'waiting' } });
    expect(await docsOf(cloud, 'refunds')).toMatchObject([{ _id: refundId, orderId: bob, memberId: order.memberId, amount: 5900 }]);
    expect(await docsOf(cloud, 'payment_issues')).toMatchObject([{ kind: 'paid_after_cancel', outTradeNo: bob, refundId }]);
    expect(await noticeIds('group.late_refund')).toEqual([`group.late_refund:${bob}`]);
    expect(await noticeIds('group.placed')).toEqual([]);
    const group = await expectGroupConsistent(cloud, g1);
    expect(group).toMatchObject({ state: 'open', taken: 2, paid: 1 });
    expect(group.holds).toEqual({ [group.leaderId]: expect.any(String), [(await orderOf(dave)).memberId]: dave });
    expect(await expectGroupConsistent(cloud, g2)).toMatchObject({ taken: 1, paid: 1 });

    // The sweep closes bob's prepay again ("already paid"): the same refund, the same notice, nothing new.
    await cloud.client.clock.advance(2 * MINUTE);
    expect((await runJobs(cloud, ['expireOrders'])).expireOrders.result).toMatchObject({ reclosed: 1 });
    expect((await runJobs(cloud, ['driveRefunds'])).driveRefunds.result).toMatchObject({ submitted: 1 });
    await cloud.client.payments.settleRefund(refundId);
    expect(await docOf(cloud, 'refunds', refundId)).toMatchObject({ state: 'succeeded', returnedAt: expect.anything() });
    expect(await ledgerRefunds(cloud, bob)).toMatchObject([{ outRefundNo: refundId, refundFee: 5900, state: 'SUCCESS' }]);
    expect(await docsOf(cloud, 'refunds')).toHaveLength(1);
    expect(await noticeIds('group.late_refund')).toEqual([`group.late_refund:${bob}`]);
    // alice, carol, dave hold units; bob's and erin's came back when they were cancelled.
    expect((await activity()).stockLeft).toBe(47);
    expect(await skuStock()).toBe(97);
    expect(await docOf(cloud, 'groupbuy_limits', `lim:gb:${order.memberId}`)).toMatchObject({ count: 0 });
    await expectActivityBalanced(cloud, 100);
  });

  it("place, but the only group with room ends within 5 minutes: the late payment is refunded (<order>-L) once, and not again when that group fails (-G is the leader's only)", async () => {
    await makeActivity(cloud, { size: 3, perMemberLimit: 1, fillHours: 1 });
    const g1 = await openPaidGroup(cloud, 'alice', 'open-req-alice');
    await cloud.client.clock.advance(40 * MINUTE);
    const bob = await seat(g1, 'bob', 'join-req-bob1');
    // Paid 7 minutes after the hold ran out, 3 minutes before the group's deadline: too close to place him anywhere.
    await cloud.client.clock.advance(17 * MINUTE);
    await payAtOnce(bob, 2);
    const order = await orderOf(bob);
    expect(order).toMatchObject({ state: 'refunding', group: { groupId: g1, state: 'late_refunded' } });
    expect(await docsOf(cloud, 'refunds')).toMatchObject([{ _id: `${bob}-L`, orderId: bob, amount: 5900 }]);
    expect(await noticeIds('group.placed')).toEqual([]);
    expect(await noticeIds('group.late_refund')).toEqual([`group.late_refund:${bob}`]);
    expect(await expectGroupConsistent(cloud, g1)).toMatchObject({ state: 'open', taken: 1, paid: 1 });

    await cloud.client.clock.advance(4 * MINUTE);
    expect((await runJobs(cloud, ['expireGroups'])).expireGroups.result).toMatchObject({ failed: 1 });
    const group = await expectGroupConsistent(cloud, g1);
    const leaderOrder = group.holds[group.leaderId];
    expect((await docsOf(cloud, 'refunds')).map((r) => r._id).sort()).toEqual([`${bob}-L`, `${leaderOrder}-G`].sort());
    expect(await noticeIds('group.failed')).toEqual([`group.failed:${g1}:${group.leaderId}`]);
    expect((await runJobs(cloud, ['driveRefunds'])).driveRefunds.result).toMatchObject({ submitted: 2 });
    await cloud.client.payments.settleRefund(`${bob}-L`);
    await cloud.client.payments.settleRefund(`${leaderOrder}-G`);
    expect(await orderOf(bob)).toMatchObject({ state: 'refunded', refunded: 5900 });
    expect(await orderOf(leaderOrder)).toMatchObject({ state: 'refunded', refunded: 5900, group: { state: 'failed' } });
    expect(await ledgerRefunds(cloud, bob)).toHaveLength(1);
    expect((await activity()).stockLeft).toBe(50);
    expect(await skuStock()).toBe(100);
    await expectActivityBalanced(cloud, 100);
  });

  it('money moved within the hold, callback lost: the sweep finds it paid and confirms the seat; the callback arriving later changes nothing', async () => {
    await makeActivity(cloud, { size: 3, perMemberLimit: 1 });
    const g1 = await openPaidGroup(cloud, 'alice', 'open-req-alice');
    const bob = await seat(g1, 'bob', 'join-req-bob1');
    await cloud.client.clock.advance(5 * MINUTE);
    await cloud.client.payments.settle(bob, { deliveries: 0 });
    await cloud.client.clock.advance(6 * MINUTE);
    expect((await runJobs(cloud, ['expireOrders'])).expireOrders.result).toMatchObject({ paidByQuery: 1, expired: 0 });
    const group = await expectGroupConsistent(cloud, g1);
    expect(group).toMatchObject({ state: 'open', taken: 2, paid: 2 });
    expect(await orderOf(bob)).toMatchObject({ state: 'paid', group: { groupId: g1, state: 'waiting' } });
    const before = { group, order: await orderOf(bob) };
    await payAtOnce(bob, 2);
    expect(await docOf(cloud, 'groups', g1)).toEqual(before.group);
    expect(await orderOf(bob)).toEqual(before.order);
    expect(await docsOf(cloud, 'refunds')).toEqual([]);
    expect(await noticeIds('group.placed')).toEqual([]);
    expect(await noticeIds('group.late_refund')).toEqual([]);
    await expectActivityBalanced(cloud, 100);
  });
});
