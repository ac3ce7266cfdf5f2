import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import {
  expectActivityBalanced,
  expectGroupConsistent,
  joinGroup,
  makeActivity,
  openGroup,
  openPaidGroup,
  warmGroupbuyInstances,
} from '../support/groups';
import { docOf, docsOf, seedMembers } from '../support/orders';

// More instances than the default 4, so joins and callbacks really interleave in separate processes.
process.env.DUET_FUNCTION_INSTANCES = '8';

/**
 * Group seats under concurrency, through the real functions: a group is never over-full and nobody
 * holds two seats in one; a member's limit holds across groups; pay callbacks delivered several
 * times, reordered or at once make a group succeed exactly once. Every check reads the database.
 */
describe('group-buy under concurrency', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
  });

  const activity = () => docOf(cloud, 'groupbuy_activities', 'gb');
  const skuStock = async () => (await docOf(cloud, 'skus', 'sku-g')).stock as number;
  const orderOf = (orderId: string) => docOf(cloud, 'orders', orderId);
  const padded = (prefix: string, i: number) => `${prefix}-${String(i).padStart(4, '0')}`;

  it('7 friends join the last 4 seats of a group of 5 at once: 4 hold, 3 are told 已满员 and hold nothing; the 4 pay at once (some twice) and the group succeeds once', async () => {
    await makeActivity(cloud, { size: 5, perMemberLimit: 1 });
    const groupId = await openPaidGroup(cloud, 'alice');
    const friends = Array.from({ length: 7 }, (_, i) => ({ openid: `o-friend-${i}` }));
    const members = await seedMembers(
      cloud,
      friends.map((friend) => friend.openid),
    );
    await warmGroupbuyInstances(cloud, 7);

    const answers = await Promise.all(friends.map((friend, i) => joinGroup(cloud, friend, groupId, padded('burst-join', i))));
    const won = answers.flatMap((answer, i) =>
      answer.ok ? [{ memberId: members.get(friends[i].openid)!, orderId: answer.data.order.orderId }] : [],
    );
    const refused = answers.flatMap((answer, i) => (answer.ok ? [] : [{ memberId: members.get(friends[i].openid)!, answer }]));
    expect(won.length, JSON.stringify(refused)).toBeLessThanOrEqual(4);
    for (const { answer } of refused) {
      expect(answer).toMatchObject({
        ok: false,
        code: 'FAILED_PRECONDITION',
        reason: 'group_full',
        message: '这个团已满员，去参加别的团吧',
      });
    }
    // A refusal says the group is full, so it filled: exactly the 4 free seats were taken.
    expect(won).toHaveLength(4);

    const held = await expectGroupConsistent(cloud, groupId);
    expect(held).toMatchObject({ state: 'open', taken: 5, paid: 1 });
    const leader = held.leaderId as string;
    expect([...held.heldBy].sort()).toEqual([leader, ...won.map((w) => w.memberId)].sort());
    for (const { memberId, orderId } of won) expect(held.holds[memberId]).toBe(orderId);
    // The refused hold nothing: any order they got is cancelled with nothing reserved, their limit counts nothing.
    for (const { memberId } of refused) {
      for (const order of await docsOf(cloud, 'orders', { memberId })) {
        expect(order).toMatchObject({ state: 'cancelled', cancelReason: 'reserve_failed', releasedAt: expect.anything() });
        expect(await docsOf(cloud, 'stock_reservations', { orderId: order._id })).toEqual([]);
      }
      const limit = await docOf(cloud, 'groupbuy_limits', `lim:gb:${memberId}`);
      if (limit) expect(limit).toMatchObject({ count: 0, orders: [] });
    }
    expect(await skuStock()).toBe(95);
    expect((await activity()).stockLeft).toBe(45);
    await expectActivityBalanced(cloud, 100);

    // All four pay at once; two of the callbacks come twice more, concurrently with the rest.
    const settles = await Promise.all([
      ...won.map((w) => cloud.client.payments.settle(w.orderId)),
      cloud.client.payments.settle(won[0].orderId, { deliveries: 2 }),
      cloud.client.payments.settle(won[3].orderId),
    ]);
    for (const delivery of settles.flatMap((settled) => settled.deliveries))
      expect(delivery).toMatchObject({ acked: true, result: { errcode: 0 } });

    const done = await expectGroupConsistent(cloud, groupId);
    expect(done).toMatchObject({ state: 'succeeded', paid: 5, taken: 5, settledAt: expect.anything() });
    expect(done.simulated).toBe(false);
    const orders = (await docsOf(cloud, 'orders', { 'group.groupId': groupId })).filter((order) => order.state !== 'cancelled');
    expect(orders.map((order) => order._id).sort()).toEqual([held.holds[leader], ...won.map((w) => w.orderId)].sort());
    for (const order of orders)
      expect(order).toMatchObject({ state: 'paid', group: { state: 'succeeded' }, paidSettledAt: expect.anything() });
    const notices = await docsOf(cloud, 'notices', { kind: 'group.succeeded' });
    expect(notices.map((notice) => notice._id).sort()).toEqual(
      [leader, ...won.map((w) => w.memberId)].map((memberId) => `group.succeeded:${groupId}:${memberId}`).sort(),
    );
    expect(await docsOf(cloud, 'events', { kind: 'group_succeeded' })).toHaveLength(1);
    expect(await docsOf(cloud, 'events', { kind: 'group_joined' })).toHaveLength(4);
    expect(await docsOf(cloud, 'notices', { kind: 'order.paid' })).toHaveLength(5);
    expect(await docsOf(cloud, 'refunds')).toEqual([]);
    expect(await skuStock()).toBe(95);
    expect((await activity()).stockLeft).toBe(45);
    await expectActivityBalanced(cloud, 100);
  }, 180_000);

  it('a member paying three times interleaved with another, then the last seat paid by three callbacks at once: success once, every notice once', async () => {
    await makeActivity(cloud, { size: 4 });
    const groupId = await openPaidGroup(cloud, 'alice');
    const seat = async (as: string | { openid: string }, requestId: string) => {
      const joined = await joinGroup(cloud, as, groupId, requestId);
      expect(joined, JSON.stringify(joined)).toMatchObject({ ok: true });
      return joined.data.order.orderId as string;
    };
    const bob = await seat('bob', 'join-req-bob1');
    const carol = await seat('carol', 'join-req-carol');
    const dave = await seat({ openid: 'o-dave' }, 'join-req-dave');

    // Bob paid first but his callback is lost; carol's arrives; then bob's three times, interleaved with carol's again.
    await cloud.client.payments.settle(bob, { deliveries: 0 });
    await cloud.client.payments.settle(carol);
    await cloud.client.payments.settle(bob);
    await cloud.client.payments.settle(carol);
    await cloud.client.payments.settle(bob);
    await cloud.client.payments.settle(bob);
    const before = await expectGroupConsistent(cloud, groupId);
    expect(before).toMatchObject({ state: 'open', paid: 3, taken: 4 });
    expect(await docsOf(cloud, 'notices', { kind: 'group.succeeded' })).toEqual([]);
    expect(await docsOf(cloud, 'events', { kind: 'group_joined' })).toHaveLength(2);

    await warmGroupbuyInstances(cloud, 3);
    const last = await Promise.all([
      cloud.client.payments.settle(dave),
      cloud.client.payments.settle(dave),
      cloud.client.payments.settle(dave, { deliveries: 2 }),
    ]);
    for (const delivery of last.flatMap((settled) => settled.deliveries))
      expect(delivery).toMatchObject({ acked: true, result: { errcode: 0 } });

    const group = await expectGroupConsistent(cloud, groupId);
    expect(group).toMatchObject({ state: 'succeeded', paid: 4, taken: 4, settledAt: expect.anything() });
    const snapshot = async () => ({
      group: await docOf(cloud, 'groups', groupId),
      orders: (await docsOf(cloud, 'orders', { 'group.groupId': groupId }))
        .map((o) => [o._id, o.state, o.group.state, o.paidAt])
        .sort((a, b) => a[0].localeCompare(b[0])),
      succeeded: (await docsOf(cloud, 'notices', { kind: 'group.succeeded' })).map((n) => n._id).sort(),
      paidNotices: (await docsOf(cloud, 'notices', { kind: 'order.paid' })).length,
      events: (await docsOf(cloud, 'events', {})).map((e) => e._id).sort(),
    });
    const once = await snapshot();
    expect(once.orders.map(([, state, groupState]) => [state, groupState])).toEqual(Array(4).fill(['paid', 'succeeded']));
    expect(once.succeeded).toHaveLength(4);
    expect(once.paidNotices).toBe(4);
    expect(once.events.filter((id) => id.startsWith('group_succeeded:'))).toEqual([`group_succeeded:${groupId}`]);
    expect(once.events.filter((id) => id.startsWith('group_joined:'))).toHaveLength(3);
    expect(once.events.filter((id) => id.startsWith('group_opened:'))).toHaveLength(1);

    // Every callback once more, after the success: nothing changes.
    for (const orderId of [bob, carol, dave]) await cloud.client.payments.settle(orderId);
    expect(await snapshot()).toEqual(once);
    expect(await docsOf(cloud, 'refunds')).toEqual([]);
    await expectActivityBalanced(cloud, 100);
  }, 120_000);

  it('a member with a limit of 1 joining 4 open groups at once gets 1 seat; the other 3 are refused and hold nothing', async () => {
    await makeActivity(cloud, { size: 3, perMemberLimit: 1 });
    const groups = [
      await openPaidGroup(cloud, 'alice', 'open-req-alice'),
      await openPaidGroup(cloud, 'bob', 'open-req-bob1'),
      await openPaidGroup(cloud, 'carol', 'open-req-carol'),
      await openPaidGroup(cloud, { openid: 'o-dave' }, 'open-req-dave'),
    ];
    const greedy = { openid: 'o-greedy' };
    const memberId = (await seedMembers(cloud, [greedy.openid])).get(greedy.openid)!;
    await warmGroupbuyInstances(cloud, 4);

    const answers = await Promise.all(groups.map((groupId, i) => joinGroup(cloud, greedy, groupId, padded('greedy-join', i))));
    const won = answers.filter((answer) => answer.ok);
    expect(won, JSON.stringify(answers)).toHaveLength(1);
    for (const answer of answers.filter((a) => !a.ok)) {
      expect(answer).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'limit_reached', message: '每人限参加1次' });
    }
    const seats = [];
    for (const groupId of groups) {
      const group = await expectGroupConsistent(cloud, groupId);
      if (group.heldBy.includes(memberId)) seats.push(groupId);
    }
    expect(seats).toEqual([won[0].data.group.groupId]);
    expect(await docOf(cloud, 'groupbuy_limits', `lim:gb:${memberId}`)).toMatchObject({ count: 1, orders: [won[0].data.order.orderId] });
    const live = (await docsOf(cloud, 'orders', { memberId })).filter((order) => order.state !== 'cancelled');
    expect(live.map((order) => order._id)).toEqual([won[0].data.order.orderId]);
    expect((await activity()).stockLeft).toBe(45);
    expect(await skuStock()).toBe(95);
    await expectActivityBalanced(cloud, 100);
  }, 120_000);

  it('one member joining one group with 5 different requests at once holds one seat; the others are told they are in already', async () => {
    await makeActivity(cloud, { size: 5, perMemberLimit: 5 });
    const groupId = await openPaidGroup(cloud, 'alice');
    await cloud.invoke('member', { action: 'login' }, 'bob');
    await warmGroupbuyInstances(cloud, 5);
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => joinGroup(cloud, 'bob', groupId, padded('bob-join', i))));
    const won = answers.filter((answer) => answer.ok);
    expect(won, JSON.stringify(answers)).toHaveLength(1);
    for (const answer of answers.filter((a) => !a.ok)) {
      expect(answer).toMatchObject({ code: 'ALREADY_EXISTS', reason: 'already_joined', message: '你已在这个团里了' });
    }
    const group = await expectGroupConsistent(cloud, groupId);
    expect(group).toMatchObject({ taken: 2, paid: 1 });
    const bob = (await orderOf(won[0].data.order.orderId)).memberId;
    expect(group.holds[bob]).toBe(won[0].data.order.orderId);
    expect(await docOf(cloud, 'groupbuy_limits', `lim:gb:${bob}`)).toMatchObject({ count: 1, orders: [won[0].data.order.orderId] });
    expect((await activity()).stockLeft).toBe(48);
    expect(await skuStock()).toBe(98);
    await expectActivityBalanced(cloud, 100);
  }, 120_000);

  it('a join or an open sent 5 times at once with the same requestId makes one order and one seat; asked again, it answers the same order', async () => {
    await makeActivity(cloud, { size: 3, perMemberLimit: 2 });
    await cloud.invoke('member', { action: 'login' }, 'alice');
    await cloud.invoke('member', { action: 'login' }, 'bob');
    await warmGroupbuyInstances(cloud, 5);

    // 开团 tapped five times: one group, pending, with the leader's seat and one order.
    const opens = await Promise.all(Array.from({ length: 5 }, () => openGroup(cloud, 'alice', 'open-req-same')));
    const openedOk = opens.filter((answer) => answer.ok);
    expect(openedOk.length, JSON.stringify(opens)).toBeGreaterThanOrEqual(1);
    for (const answer of opens.filter((a) => !a.ok)) expect(answer, JSON.stringify(answer)).toMatchObject({ code: 'CONFLICT' });
    const leaderOrderId = openedOk[0].data.order.orderId;
    for (const answer of openedOk) expect(answer.data).toMatchObject({ order: { orderId: leaderOrderId, state: 'created' } });
    const groupId = openedOk[0].data.group.groupId;
    const alice = (await orderOf(leaderOrderId)).memberId;
    expect(await docsOf(cloud, 'orders', { memberId: alice })).toHaveLength(1);
    expect(await docsOf(cloud, 'groups')).toHaveLength(1);
    expect(await expectGroupConsistent(cloud, groupId)).toMatchObject({ state: 'pending', taken: 1, holds: { [alice]: leaderOrderId } });
    const openAgain = await openGroup(cloud, 'alice', 'open-req-same');
    expect(openAgain).toMatchObject({ ok: true, data: { repeated: true, order: { orderId: leaderOrderId }, group: { groupId } } });
    expect(openAgain.data.payment.package).toMatch(/^prepay_id=/);
    await cloud.client.payments.settle(leaderOrderId);
    expect(await docOf(cloud, 'groups', groupId)).toMatchObject({ state: 'open', paid: 1 });

    // 参团 tapped five times: one order, one seat.
    const joins = await Promise.all(Array.from({ length: 5 }, () => joinGroup(cloud, 'bob', groupId, 'join-req-same')));
    const joinedOk = joins.filter((answer) => answer.ok);
    expect(joinedOk.length, JSON.stringify(joins)).toBeGreaterThanOrEqual(1);
    for (const answer of joins.filter((a) => !a.ok)) expect(answer, JSON.stringify(answer)).toMatchObject({ code: 'CONFLICT' });
    const bobOrderId = joinedOk[0].data.order.orderId;
    for (const answer of joinedOk) expect(answer.data.order.orderId).toBe(bobOrderId);
    expect(joinedOk.filter((answer) => !answer.data.repeated)).toHaveLength(1);
    const bob = (await orderOf(bobOrderId)).memberId;
    expect(await docsOf(cloud, 'orders', { memberId: bob })).toHaveLength(1);
    expect(await expectGroupConsistent(cloud, groupId)).toMatchObject({ taken: 2, paid: 1, holds: { [bob]: bobOrderId } });
    const again = await joinGroup(cloud, 'bob', groupId, 'join-req-same');
    expect(again).toMatchObject({
      ok: true,
      data: { repeated: true, order: { orderId: bobOrderId }, group: { groupId, me: { seat: 'held' } } },
    });
    expect((await cloud.client.payments.list()).payments.map((p) => p.outTradeNo).sort()).toEqual([leaderOrderId, bobOrderId].sort());
    expect((await activity()).stockLeft).toBe(48);
    await expectActivityBalanced(cloud, 100);
  }, 120_000);
});
