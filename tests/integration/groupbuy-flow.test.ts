import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { expectGroupConsistent, joinGroup, makeActivity, openGroup, openPaidGroup } from '../support/groups';
import { docOf, docsOf, runJobs } from '../support/orders';

/**
 * A group from opening to its outcome through the real functions: the leader's seat, friends
 * joining and paying, success exactly once at the N-th paid seat; a group that does not fill fails
 * at its deadline and every paid member is refunded once.
 */
describe('group-buy: open, join, pay, succeed or fail', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
    await makeActivity(cloud);
  });

  it('the leader opens and pays; two friends join and pay; the third paid seat makes the group succeed once', async () => {
    const opened = await openGroup(cloud, 'alice', 'open-req-0001');
    expect(opened, JSON.stringify(opened)).toMatchObject({
      ok: true,
      data: { group: { state: 'pending', me: { seat: 'held', leader: true, action: 'pay' } }, order: { payable: 5900, state: 'created' } },
    });
    const groupId = opened.data.group.groupId;
    // Nobody may join before the leader paid.
    expect(await joinGroup(cloud, 'bob', groupId, 'join-req-bob1')).toMatchObject({ ok: false, reason: 'group_not_open' });

    await cloud.client.payments.settle(opened.data.order.orderId);
    expect(await docOf(cloud, 'groups', groupId)).toMatchObject({ state: 'open', paid: 1 });

    const bob = await joinGroup(cloud, 'bob', groupId, 'join-req-bob2');
    expect(bob, JSON.stringify(bob)).toMatchObject({
      ok: true,
      data: { group: { me: { seat: 'held', action: 'pay' } }, order: { payable: 5900 } },
    });
    const carol = await joinGroup(cloud, 'carol', groupId, 'join-req-carol');
    expect(carol).toMatchObject({ ok: true });
    // Full of holds: a fourth friend is told so.
    expect(await joinGroup(cloud, { openid: 'o-dave' }, groupId, 'join-req-dave')).toMatchObject({ ok: false, reason: 'group_full' });
    // Bob again with another request: he has a seat already.
    expect(await joinGroup(cloud, 'bob', groupId, 'join-req-bob3')).toMatchObject({ ok: false, reason: 'already_joined' });

    await cloud.client.payments.settle(bob.data.order.orderId, { deliveries: 2 });
    expect(await docOf(cloud, 'groups', groupId)).toMatchObject({ state: 'open', paid: 2 });
    await cloud.client.payments.settle(carol.data.order.orderId, { deliveries: 3 });

    const group = await expectGroupConsistent(cloud, groupId);
    expect(group).toMatchObject({ state: 'succeeded', paid: 3, settledAt: expect.anything() });
    const orders = await docsOf(cloud, 'orders', { 'group.groupId': groupId });
    expect(orders.map((o) => [o.state, o.group.state])).toEqual([
      ['paid', 'succeeded'],
      ['paid', 'succeeded'],
      ['paid', 'succeeded'],
    ]);
    expect(await docsOf(cloud, 'notices', { kind: 'group.succeeded' })).toHaveLength(3);
    expect((await docOf(cloud, 'groupbuy_activities', 'gb')).stockLeft).toBe(47);

    const seen = await cloud.invoke('groupbuy', { action: 'group', groupId }, { openid: 'o-dave' });
    expect(seen).toMatchObject({
      ok: true,
      data: { group: { state: 'succeeded', me: { action: 'full', label: '已满员，去参加别的团' } } },
    });
    const mine = await cloud.invoke('groupbuy', { action: 'mine' }, 'bob');
    expect(mine).toMatchObject({ ok: true, data: { groups: [{ group: { groupId, me: { seat: 'paid', action: 'joined' } } }] } });
  });

  it('a group not full at its deadline fails: the paid members are refunded once, unit and limit back, a held seat cancelled', async () => {
    const groupId = await openPaidGroup(cloud, 'alice');
    const bob = await joinGroup(cloud, 'bob', groupId, 'join-req-bob1');
    expect(bob).toMatchObject({ ok: true });
    await cloud.client.clock.advance(25 * 3600_000);
    const first = await runJobs(cloud, ['expireGroups']);
    expect(first.expireGroups.result).toMatchObject({ failed: 1 });
    expect(await docOf(cloud, 'groups', groupId)).toMatchObject({ state: 'failed', settledAt: expect.anything() });
    const refunds = await docsOf(cloud, 'refunds', { reason: 'group_failed' });
    expect(refunds).toHaveLength(1);
    expect(await docOf(cloud, 'orders', bob.data.order.orderId)).toMatchObject({ state: 'cancelled' });
    await runJobs(cloud, ['expireGroups', 'driveRefunds']);
    expect(await docsOf(cloud, 'refunds', { reason: 'group_failed' })).toHaveLength(1);
    await cloud.client.payments.settleRefund(refunds[0]._id);
    const leaderOrder = await docOf(cloud, 'orders', refunds[0].orderId);
    expect(leaderOrder).toMatchObject({ state: 'refunded', refunded: 5900, group: { state: 'failed' } });
    expect(await docsOf(cloud, 'notices', { kind: 'group.failed' })).toHaveLength(1);
    expect((await docOf(cloud, 'groupbuy_activities', 'gb')).stockLeft).toBe(50);
    expect((await docOf(cloud, 'skus', 'sku-g')).stock).toBe(100);
    expect(await docsOf(cloud, 'groupbuy_limits', { count: 1 })).toHaveLength(0);
  });
});
