import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import {
  expectActivityBalanced,
  expectGroupConsistent,
  joinGroup,
  ledgerRefunds,
  makeActivity,
  openGroup,
  openPaidGroup,
  warmGroupbuyInstances,
} from '../support/groups';
import { claimCoupon, docOf, docsOf, runJobs, seedMembers } from '../support/orders';

process.env.DUET_FUNCTION_INSTANCES = '6';

/**
 * A group's deadline: failure with refunds that fail and are retried, 模拟成团, and joins and
 * payments racing the deadline job. Whatever happens, a group ends one way only, and every payment
 * is either a seat in a succeeded group or refunded exactly once (the local cloud's payment ledger
 * is what WeChat Pay would hold).
 */
describe('group-buy: the deadline', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
  });

  const activity = () => docOf(cloud, 'groupbuy_activities', 'gb');
  const skuStock = async () => (await docOf(cloud, 'skus', 'sku-g')).stock as number;
  const orderOf = (orderId: string) => docOf(cloud, 'orders', orderId);
  const noticeIds = async (kind: string) => (await docsOf(cloud, 'notices', { kind })).map((notice) => notice._id).sort();

  async function seat(groupId: string, as: string | { openid: string }, requestId: string): Promise<string> {
    const joined = await joinGroup(cloud, as, groupId, requestId);
    expect(joined, JSON.stringify(joined)).toMatchObject({ ok: true });
    return joined.data.order.orderId;
  }

  it('2 of 5 paid at the deadline, the first refund call of each failing: after the retries both are refunded exactly once; stock, coupon, unit and limit back', async () => {
    await makeActivity(cloud, { size: 5, couponsAllowed: true, perMemberLimit: 1 });
    await cloud.invoke('member', { action: 'login' }, 'alice');
    const couponId = await claimCoupon(cloud, 'alice', 'tpl-gb', { terms: { kind: 'threshold_off', threshold: 5000, amountOff: 1000 } });
    const opened = await openGroup(cloud, 'alice', 'open-req-alice', { coupon: couponId });
    expect(opened, JSON.stringify(opened)).toMatchObject({ ok: true, data: { order: { payable: 4900, couponId } } });
    const alice = opened.data.order.orderId;
    const groupId = opened.data.group.groupId;
    await cloud.client.payments.settle(alice);
    expect(await docOf(cloud, 'coupons', couponId)).toMatchObject({ state: 'used', orderId: alice });
    const bob = await seat(groupId, 'bob', 'join-req-bob1');
    await cloud.client.payments.settle(bob);
    const carol = await seat(groupId, 'carol', 'join-req-carol');
    expect(await skuStock()).toBe(97);
    expect((await activity()).stockLeft).toBe(47);

    await cloud.client.clock.advance(24 * HOUR + MINUTE);
    // The first refund call of each fails (no answer from WeChat Pay).
    await cloud.client.faults.add('cloudPay.refund', { errCode: -501001, errMsg: 'system busy' }, 2);
    expect((await runJobs(cloud, ['expireGroups'])).expireGroups.result).toMatchObject({ failed: 1, errors: 0 });
    const failed = await expectGroupConsistent(cloud, groupId);
    expect(failed).toMatchObject({ state: 'failed', paid: 2, taken: 2, settledAt: expect.anything() });
    expect(failed.returnedBy).toHaveLength(2);
    expect(await orderOf(carol)).toMatchObject({ state: 'cancelled' });
    const refundIds = [`${alice}-G`, `${bob}-G`].sort();
    const refundRows = async () =>
      (await docsOf(cloud, 'refunds')).map((r) => [r._id, r.state, r.amount, r.reason]).sort((a, b) => a[0].localeCompare(b[0]));
    expect(await refundRows()).toEqual(
      [
        [`${alice}-G`, 'requested', 4900, 'group_failed'],
        [`${bob}-G`, 'requested', 5900, 'group_failed'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(Object.values(failed.holds).sort()).toEqual([alice, bob].sort());
    expect(await noticeIds('group.failed')).toEqual(failed.paidBy.map((memberId: string) => `group.failed:${groupId}:${memberId}`).sort());

    const first = (await runJobs(cloud, ['driveRefunds'])).driveRefunds.result;
    expect(first).toMatchObject({ submitted: 0, retried: 2 });
    for (const refundId of refundIds) {
      expect(await docOf(cloud, 'refunds', refundId)).toMatchObject({
        state: 'requested',
        attempts: 1,
        lastError: expect.stringContaining('system busy'),
      });
    }
    expect(await ledgerRefunds(cloud, alice)).toEqual([]);
    expect(await ledgerRefunds(cloud, bob)).toEqual([]);
    expect((await cloud.client.faults.list()).faults).toEqual([]);
    // Nothing comes back before WeChat Pay says the money went back.
    expect(await skuStock()).toBe(98);
    expect(await docOf(cloud, 'coupons', couponId)).toMatchObject({ state: 'used' });

    await cloud.client.clock.advance(MINUTE + 5000);
    expect((await runJobs(cloud, ['driveRefunds'])).driveRefunds.result).toMatchObject({ submitted: 2 });
    await cloud.client.payments.settleRefund(`${alice}-G`, { deliveries: 2 });
    await cloud.client.payments.settleRefund(`${bob}-G`);

    // Every job again, later: nothing more goes back.
    await cloud.client.clock.advance(5 * MINUTE);
    await runJobs(cloud, ['expireGroups', 'expireOrders', 'driveRefunds']);
    for (const [orderId, fee] of [
      [alice, 4900],
      [bob, 5900],
    ] as const) {
      expect(await orderOf(orderId)).toMatchObject({ state: 'refunded', refunded: fee, group: { state: 'failed' } });
      expect(await ledgerRefunds(cloud, orderId)).toMatchObject([{ outRefundNo: `${orderId}-G`, refundFee: fee, state: 'SUCCESS' }]);
      expect(await docOf(cloud, 'refunds', `${orderId}-G`)).toMatchObject({
        state: 'succeeded',
        attempts: 2,
        returnedAt: expect.anything(),
      });
    }
    expect(await docsOf(cloud, 'refunds')).toHaveLength(2);
    expect(await docOf(cloud, 'coupons', couponId)).toMatchObject({ state: 'usable', orderId: null });
    expect(await skuStock()).toBe(100);
    expect((await activity()).stockLeft).toBe(50);
    expect(await docsOf(cloud, 'groupbuy_limits', { count: 1 })).toEqual([]);
    expect(await noticeIds('group.failed')).toHaveLength(2);
    expect(await noticeIds('group.succeeded')).toEqual([]);
    expect(await docsOf(cloud, 'notices', { kind: 'refund.succeeded' })).toHaveLength(2);
    expect(await docOf(cloud, 'groups', groupId)).toMatchObject({ state: 'failed' });
    await expectActivityBalanced(cloud, 100);
  });

  it('模拟成团: 3 of 5 paid at the deadline with simulateMinPaid 3 — succeeded as simulated, the paid confirmed, the seat still held cancelled', async () => {
    await makeActivity(cloud, { size: 5, simulateMinPaid: 3, perMemberLimit: 1 });
    const groupId = await openPaidGroup(cloud, 'alice');
    await cloud.client.payments.settle(await seat(groupId, 'bob', 'join-req-bob1'));
    await cloud.client.payments.settle(await seat(groupId, 'carol', 'join-req-carol'));
    await cloud.client.clock.advance(23 * HOUR + 55 * MINUTE);
    // Dave joins 5 minutes before the deadline: his hold ends with the group, unpaid.
    const dave = await seat(groupId, { openid: 'o-dave' }, 'join-req-dave');
    // Before the deadline the job leaves it alone.
    expect((await runJobs(cloud, ['expireGroups'])).expireGroups.result).toMatchObject({ simulated: 0, failed: 0 });
    await cloud.client.clock.advance(6 * MINUTE);
    expect((await runJobs(cloud, ['expireGroups'])).expireGroups.result).toMatchObject({ simulated: 1, failed: 0 });
    expect((await runJobs(cloud, ['expireGroups'])).expireGroups.result).toMatchObject({ simulated: 0, failed: 0, succeeded: 0 });

    const group = await expectGroupConsistent(cloud, groupId);
    expect(group).toMatchObject({ state: 'succeeded', simulated: true, paid: 3, taken: 3, settledAt: expect.anything() });
    const paid = (await docsOf(cloud, 'orders', { 'group.groupId': groupId })).filter((order) => order.state === 'paid');
    expect(paid).toHaveLength(3);
    for (const order of paid) expect(order.group.state).toBe('succeeded');
    expect(await noticeIds('group.succeeded')).toEqual(
      group.paidBy.map((memberId: string) => `group.succeeded:${groupId}:${memberId}`).sort(),
    );
    expect(await orderOf(dave)).toMatchObject({ state: 'cancelled', cancelReason: 'pay_window_elapsed', group: { state: 'waiting' } });
    expect(await docsOf(cloud, 'refunds')).toEqual([]);
    expect((await activity()).stockLeft).toBe(47);
    expect(await skuStock()).toBe(97);
    await expectActivityBalanced(cloud, 100);

    const view = await cloud.invoke('groupbuy', { action: 'group', groupId }, 'bob');
    expect(view).toMatchObject({
      ok: true,
      data: { group: { state: 'succeeded', simulated: true, me: { seat: 'paid', action: 'joined' } } },
    });
  });

  it('模拟成团 not reached: 2 of 5 paid with simulateMinPaid 3 — the group fails and both are refunded', async () => {
    await makeActivity(cloud, { size: 5, simulateMinPaid: 3, perMemberLimit: 1 });
    const groupId = await openPaidGroup(cloud, 'alice');
    const bob = await seat(groupId, 'bob', 'join-req-bob1');
    await cloud.client.payments.settle(bob);
    await cloud.client.clock.advance(24 * HOUR);
    expect((await runJobs(cloud, ['expireGroups'])).expireGroups.result).toMatchObject({ simulated: 0, failed: 1 });
    const group = await expectGroupConsistent(cloud, groupId);
    expect(group).toMatchObject({ state: 'failed', paid: 2 });
    expect(group.simulated).toBeUndefined();
    expect((await docsOf(cloud, 'refunds')).map((r) => r._id).sort()).toEqual([`${group.holds[group.leaderId]}-G`, `${bob}-G`].sort());
    expect(await noticeIds('group.failed')).toHaveLength(2);
    expect(await noticeIds('group.succeeded')).toEqual([]);
  });

  for (const [name, offsetMs] of [
    ['payments a moment before the deadline', -1500],
    ['everything at the deadline', -300],
  ] as const) {
    it(`joins and payments racing the deadline job (${name}): the group ends one way only; every payment is a seat in the succeeded group or refunded once`, async () => {
      await makeActivity(cloud, { size: 5, fillHours: 1, perMemberLimit: 1 });
      const groupId = await openPaidGroup(cloud, 'alice');
      await cloud.client.clock.advance(52 * MINUTE);
      const holders = await Promise.all([
        seat(groupId, 'bob', 'join-req-bob1'),
        seat(groupId, 'carol', 'join-req-carol'),
        seat(groupId, { openid: 'o-holder' }, 'join-req-holder'),
      ]);
      const latecomers = Array.from({ length: 4 }, (_, i) => ({ openid: `o-late-${i}` }));
      await seedMembers(
        cloud,
        latecomers.map((who) => who.openid),
      );
      await warmGroupbuyInstances(cloud, 6);
      const deadline = new Date((await docOf(cloud, 'groups', groupId)).deadline).getTime();
      await cloud.client.clock.set(new Date(deadline + offsetMs).toISOString());

      // A settle refused by the local cloud (the prepay was closed when the group failed) is a payment that did not happen.
      const pay = (orderId: string) => cloud.client.payments.settle(orderId).catch((error: Error) => error);
      const joinAndPay = async (who: { openid: string }, i: number) => {
        const joined = await joinGroup(cloud, who, groupId, `race-join-${String(i).padStart(4, '0')}`);
        if (joined.ok) await pay(joined.data.order.orderId);
        else expect(['group_full', 'group_ended']).toContain(joined.reason);
        return joined;
      };
      const deadlineJob = async () => {
        for (let i = 0; i < 4; i += 1) await runJobs(cloud, ['expireGroups']);
      };
      await Promise.all([...holders.map(pay), ...latecomers.map(joinAndPay), deadlineJob(), deadlineJob()]);

      // Whatever raced, the jobs bring everything to an end: holds run out, refunds are submitted and go through.
      await cloud.client.clock.advance(15 * MINUTE);
      await runJobs(cloud, ['expireGroups', 'expireOrders', 'driveRefunds']);
      await cloud.client.clock.advance(2 * MINUTE);
      await runJobs(cloud, ['expireGroups', 'expireOrders', 'driveRefunds']);
      for (const refund of await docsOf(cloud, 'refunds', { state: 'submitted' })) await cloud.client.payments.settleRefund(refund._id);
      await cloud.client.clock.advance(5 * MINUTE);
      await runJobs(cloud, ['expireGroups', 'expireOrders', 'driveRefunds']);

      const group = await expectGroupConsistent(cloud, groupId);
      expect(['succeeded', 'failed']).toContain(group.state);
      const succeeded = await noticeIds('group.succeeded');
      const failed = await noticeIds('group.failed');
      if (group.state === 'succeeded') {
        expect(failed).toEqual([]);
        expect(succeeded).toEqual(group.paidBy.map((memberId: string) => `group.succeeded:${groupId}:${memberId}`).sort());
        expect(group.paid).toBe(5);
      } else {
        expect(succeeded).toEqual([]);
        expect(failed).toEqual(group.paidBy.map((memberId: string) => `group.failed:${groupId}:${memberId}`).sort());
      }

      // Every payment WeChat Pay took: a seat in the succeeded group, or refunded exactly once.
      const payments = (await cloud.client.payments.list()).payments.filter((p) => p.state === 'SUCCESS' || p.state === 'REFUND');
      for (const payment of payments) {
        const order = await orderOf(payment.outTradeNo);
        const refunds = await docsOf(cloud, 'refunds', { orderId: payment.outTradeNo });
        const seated = group.state === 'succeeded' && group.holds[order.memberId] === order._id && group.paidBy.includes(order.memberId);
        if (seated) {
          expect(order, order._id).toMatchObject({ state: 'paid', group: { groupId, state: 'succeeded' } });
          expect(refunds, order._id).toEqual([]);
          expect(payment.refunds).toEqual([]);
        } else {
          expect(refunds, order._id).toHaveLength(1);
          expect(refunds[0], order._id).toMatchObject({ state: 'succeeded', amount: payment.totalFee });
          expect(
            payment.refunds.map((r) => [r.outRefundNo, r.refundFee, r.state]),
            order._id,
          ).toEqual([[refunds[0]._id, payment.totalFee, 'SUCCESS']]);
        }
      }
      // Nobody is left holding anything: no order waits for payment, no seat is held unpaid.
      expect(await docsOf(cloud, 'orders', { state: 'created' })).toEqual([]);
      expect(group.taken).toBe(group.paid);
      expect(await skuStock()).toBe(100 - (group.state === 'succeeded' ? 5 : 0));
      expect((await activity()).stockLeft).toBe(50 - (group.state === 'succeeded' ? 5 : 0));
      await expectActivityBalanced(cloud, 100);
    }, 180_000);
  }
});
