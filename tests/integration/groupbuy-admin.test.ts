import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { okData, problemsOf } from '../support/envelopes';
import { expectActivityBalanced, expectGroupConsistent, joinGroup, makeActivity, openGroup, openPaidGroup } from '../support/groups';
import { createOrder, docOf, docsOf, makeProduct, runJobs } from '../support/orders';

/**
 * groupbuyAdmin's console jobs (create, update, list) with every refusal and hostile input, and the
 * rules a member meets around a running group: 仅限新用户开团, no refund and no shipping while the
 * group runs, a retry of a refused 开团. Every case checks what the database holds afterwards.
 */
describe('group-buy: console jobs and the rules around a running group', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
  });

  const admin = (action: string, params: Record<string, unknown> = {}, as?: string | { openid: string }) =>
    cloud.invoke('groupbuyAdmin', { action, ...params }, as);
  const activities = () => docsOf(cloud, 'groupbuy_activities');
  const at = (hours: number) => new Date(Date.parse(NOW) + hours * HOUR).toISOString();
  /** A valid activity input on `prd-x` (SKUs sku-x1 ¥99 and sku-x2 ¥50); override any field. */
  const activityInput = (overrides: Record<string, unknown> = {}) => ({
    title: '双人拼团',
    productId: 'prd-x',
    skus: [
      { skuId: 'sku-x1', groupPrice: 5900 },
      { skuId: 'sku-x2', groupPrice: 3900 },
    ],
    size: 3,
    fillHours: 24,
    startAt: at(-1),
    endAt: at(24 * 7),
    stock: 100,
    ...overrides,
  });

  describe('createGroupBuy / updateGroupBuy', () => {
    beforeEach(async () => {
      await makeProduct(cloud, 'prd-x', [
        { id: 'sku-x1', price: 9900, stock: 50 },
        { id: 'sku-x2', price: 5000, stock: 50 },
      ]);
      await makeProduct(cloud, 'prd-y', [{ id: 'sku-y1', price: 9900, stock: 50 }]);
    });

    it('creates an activity with its defaults; the same id and settings again changes nothing; other settings are refused', async () => {
      const made = okData(await admin('createGroupBuy', { id: 'gb-x', activity: activityInput() }));
      expect(made).toMatchObject({
        created: true,
        activity: {
          id: 'gb-x',
          size: 3,
          stock: 100,
          stockLeft: 100,
          perMemberLimit: 1,
          holdMinutes: 10,
          latePayment: 'place',
          simulateMinPaid: null,
          couponsAllowed: false,
          leaderNewMembersOnly: false,
          paused: false,
          groups: { pending: 0, open: 0, succeeded: 0, failed: 0, abandoned: 0 },
          paidSeats: 0,
          revenue: 0,
        },
      });
      expect(okData(await admin('createGroupBuy', { id: 'gb-x', activity: activityInput() }))).toMatchObject({ created: false });
      expect(await admin('createGroupBuy', { id: 'gb-x', activity: activityInput({ size: 4 }) })).toMatchObject({
        ok: false,
        code: 'ALREADY_EXISTS',
      });
      expect(await activities()).toMatchObject([{ _id: 'gb-x', size: 3, stockLeft: 100 }]);
    });

    it('refuses an activity listing every problem at once, writing nothing', async () => {
      const refused = await admin('createGroupBuy', {
        id: 'gb-bad',
        activity: activityInput({
          skus: [
            { skuId: 'sku-x1', groupPrice: 9900 },
            { skuId: 'sku-nope', groupPrice: 100 },
            { skuId: 'sku-y1', groupPrice: 100 },
          ],
          startAt: at(48),
          endAt: at(24),
          size: 3,
          simulateMinPaid: 3,
        }),
      });
      const problems = problemsOf(refused);
      expect(problems).toEqual([
        "activity.skus[0].groupPrice: 9900 fen is not below the SKU's price 9900",
        'activity.skus[1].skuId: sku-nope is not a SKU of prd-x',
        'activity.skus[2].skuId: sku-y1 is not a SKU of prd-x',
        'activity.endAt: the window ends after it starts',
        'activity.simulateMinPaid: 3 must be below the group size 3',
      ]);
      expect(problemsOf(await admin('createGroupBuy', { activity: activityInput({ productId: 'prd-none', endAt: at(-2) }) }))).toEqual([
        'activity.productId: no product prd-none',
        'activity.skus[0].skuId: sku-x1 is not a SKU of prd-none',
        'activity.skus[1].skuId: sku-x2 is not a SKU of prd-none',
        'activity.endAt: the window ends after it starts',
        'activity.endAt: the window has already ended',
      ]);
      expect(await activities()).toEqual([]);
    });

    it('refuses hostile inputs (60 KB strings, query operators as values, unknown keys) with INVALID_ARGUMENT, writing nothing', async () => {
      const big = 'x'.repeat(60 * 1024);
      const hostile: Array<[string, Record<string, unknown>]> = [
        ['createGroupBuy', { activity: activityInput({ title: big }) }],
        ['createGroupBuy', { id: big, activity: activityInput() }],
        ['createGroupBuy', { activity: activityInput({ productId: { $gt: 0 } }) }],
        ['createGroupBuy', { activity: activityInput({ stock: { $gt: 0 } }) }],
        ['createGroupBuy', { activity: activityInput({ skus: [{ skuId: { $ne: null }, groupPrice: 100 }] }) }],
        ['createGroupBuy', { activity: activityInput({ skus: [{ skuId: 'sku-x1', groupPrice: 100, stock: 5 }] }) }],
        ['createGroupBuy', { activity: activityInput({ stockLeft: 1_000_000 }) }],
        ['createGroupBuy', { activity: activityInput(), paused: true }],
        ['createGroupBuy', { id: '$where', activity: activityInput() }],
        ['createGroupBuy', { activity: activityInput({ size: 1 }) }],
        ['createGroupBuy', { activity: activityInput({ size: 3.5 }) }],
        ['createGroupBuy', { activity: activityInput({ latePayment: 'keep' }) }],
        ['updateGroupBuy', { activityId: { $gt: '' }, title: 'x' }],
        ['updateGroupBuy', { activityId: 'gb-x', stockLeft: 5 }],
        ['updateGroupBuy', { activityId: 'gb-x', size: 10 }],
        ['updateGroupBuy', { activityId: 'gb-x', title: big }],
        ['updateGroupBuy', { activityId: 'gb-x', addStock: -5 }],
        ['listGroupBuys', { activityId: { $ne: null } }],
        ['listGroupBuys', { activityId: big }],
      ];
      for (const [action, params] of hostile) {
        const answer = await admin(action, params);
        expect(answer, `${action} ${JSON.stringify(params).slice(0, 200)}`).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
        expect(JSON.stringify(answer).length).toBeLessThan(2000);
      }
      expect(await activities()).toEqual([]);
      expect(await docsOf(cloud, 'groups')).toEqual([]);
    });

    it('updates what may change (title, end, stock added, limit, 模拟成团, pause) and refuses what may not, writing nothing then', async () => {
      okData(await admin('createGroupBuy', { id: 'gb-x', activity: activityInput() }));
      const before = (await activities())[0];
      expect(problemsOf(await admin('updateGroupBuy', { activityId: 'gb-x', endAt: at(-2), simulateMinPaid: 3 }))).toEqual([
        'endAt: the window ends after it starts',
        'simulateMinPaid: 3 must be below the group size 3',
      ]);
      expect(await admin('updateGroupBuy', { activityId: 'gb-none', title: '新标题' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      expect((await activities())[0]).toEqual(before);

      const updated = okData(
        await admin('updateGroupBuy', {
          activityId: 'gb-x',
          title: '三人团',
          addStock: 20,
          perMemberLimit: 3,
          simulateMinPaid: 2,
          latePayment: 'refund',
          paused: true,
        }),
      );
      expect(updated.activity).toMatchObject({
        title: '三人团',
        stock: 120,
        stockLeft: 120,
        perMemberLimit: 3,
        simulateMinPaid: 2,
        latePayment: 'refund',
        paused: true,
        size: 3,
      });
      expect((await activities())[0]).toMatchObject({ title: '三人团', stock: 120, stockLeft: 120, skus: before.skus, size: 3 });
      // Paused: no new group opens.
      expect(await openGroup(cloud, 'alice', 'open-req-paused', { activityId: 'gb-x', skuId: 'sku-x1' })).toMatchObject({
        ok: false,
        reason: 'activity_ended',
      });
      expect(await docsOf(cloud, 'groups')).toEqual([]);
    });

    it('refuses an app user (a persona, a stranger) for every job, writing nothing and revealing no detail', async () => {
      okData(await admin('createGroupBuy', { id: 'gb-x', activity: activityInput() }));
      const before = await activities();
      for (const as of ['alice', { openid: 'o-stranger' }]) {
        for (const [action, params] of [
          ['createGroupBuy', { id: 'gb-user', activity: activityInput() }],
          ['updateGroupBuy', { activityId: 'gb-x', addStock: 1000 }],
          ['listGroupBuys', {}],
        ] as const) {
          const answer = await admin(action, params, as);
          expect(answer, action).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' });
          expect(answer.detail).toBeUndefined();
        }
      }
      expect(await activities()).toEqual(before);
      expect(await docsOf(cloud, 'members')).toEqual([]);
    });
  });

  describe('listGroupBuys', () => {
    it('counts groups by state, paid seats and revenue after a success, a failure refunded and an abandoned group', async () => {
      await makeActivity(cloud, { size: 2, perMemberLimit: 1 });
      // Succeeded: alice + bob.
      const won = await openPaidGroup(cloud, 'alice', 'open-req-alice');
      const bob = await joinGroup(cloud, 'bob', won, 'join-req-bob1');
      await cloud.client.payments.settle(bob.data.order.orderId);
      expect(await docOf(cloud, 'groups', won)).toMatchObject({ state: 'succeeded' });
      // Will fail: carol alone. Abandoned: dave never pays his 开团.
      const lost = await openPaidGroup(cloud, 'carol', 'open-req-carol');
      const dave = await openGroup(cloud, { openid: 'o-dave' }, 'open-req-dave');
      expect(dave).toMatchObject({ ok: true });
      await cloud.client.clock.advance(11 * MINUTE);
      await runJobs(cloud, ['expireOrders']);
      expect(await docOf(cloud, 'groups', dave.data.group.groupId)).toMatchObject({ state: 'abandoned', taken: 0 });

      const listed = async () => okData(await admin('listGroupBuys', { activityId: 'gb' })).activities[0];
      expect(await listed()).toMatchObject({
        groups: { pending: 0, open: 1, succeeded: 1, failed: 0, abandoned: 1 },
        paidSeats: 3,
        revenue: 3 * 5900,
        stockLeft: 47,
      });

      await cloud.client.clock.advance(24 * HOUR);
      await runJobs(cloud, ['expireGroups', 'driveRefunds']);
      const [refund] = await docsOf(cloud, 'refunds');
      expect(refund).toMatchObject({ reason: 'group_failed', state: 'submitted' });
      await cloud.client.payments.settleRefund(refund._id);
      expect(await docOf(cloud, 'groups', lost)).toMatchObject({ state: 'failed' });
      const row = await listed();
      expect(row).toMatchObject({
        groups: { pending: 0, open: 0, succeeded: 1, failed: 1, abandoned: 1 },
        paidSeats: 2,
        revenue: 2 * 5900,
        stock: 50,
        stockLeft: 48,
      });
      // Listing every activity answers the same row.
      expect(okData(await admin('listGroupBuys')).activities).toEqual([row]);
      await expectActivityBalanced(cloud, 100);
    });
  });

  describe('what a member meets around a group', () => {
    it('仅限新用户开团: a member who paid an order before is refused (new_members_only) and may still join; a new member opens', async () => {
      await makeActivity(cloud, { leaderNewMembersOnly: true });
      await makeProduct(cloud, 'prd-n', [{ id: 'sku-n', price: 1000, stock: 5 }]);
      const bought = await createOrder(cloud, 'bob', [{ skuId: 'sku-n', quantity: 1 }], 'plain-req-bob1');
      await cloud.client.payments.settle(bought.data.order.orderId);
      const buyer = (await docOf(cloud, 'orders', bought.data.order.orderId)).memberId;
      expect((await docOf(cloud, 'members', buyer)).firstPaidAt).toBeTruthy();

      const refused = await openGroup(cloud, 'bob', 'open-req-bob1');
      expect(refused).toMatchObject({
        ok: false,
        code: 'FAILED_PRECONDITION',
        reason: 'new_members_only',
        message: '仅限新用户开团，你可以参加别人的团',
      });
      expect(await docsOf(cloud, 'groups')).toEqual([]);
      expect(await docsOf(cloud, 'orders', { 'group.activityId': 'gb' })).toEqual([]);
      expect((await docOf(cloud, 'groupbuy_activities', 'gb')).stockLeft).toBe(50);

      const groupId = await openPaidGroup(cloud, 'alice');
      expect(await joinGroup(cloud, 'bob', groupId, 'join-req-bob1')).toMatchObject({ ok: true });
      expect(await expectGroupConsistent(cloud, groupId)).toMatchObject({ taken: 2, paid: 1 });
    });

    it('an order of a running group can be neither refunded by its member or an operator nor shipped; once the group succeeded, it ships', async () => {
      await makeActivity(cloud, { size: 3 });
      const groupId = await openPaidGroup(cloud, 'alice');
      const bob = (await joinGroup(cloud, 'bob', groupId, 'join-req-bob1')).data.order.orderId;
      await cloud.client.payments.settle(bob);
      expect(await docOf(cloud, 'orders', bob)).toMatchObject({ state: 'paid', group: { state: 'waiting' } });

      expect(await cloud.invoke('order', { action: 'requestRefund', orderId: bob, reason: '不想等了' }, 'bob')).toMatchObject({
        ok: false,
        code: 'FAILED_PRECONDITION',
        reason: 'group_running',
        message: '拼团进行中，成团后可申请退款；未成团将自动退款',
      });
      const operatorRefund = await cloud.invoke('orderAdmin', {
        action: 'refundOrder',
        orderId: bob,
        reason: '客服退款',
        requestId: 'admin-refund-0001',
      });
      expect(operatorRefund).toMatchObject({ ok: false, code: 'FAILED_PRECONDITION', reason: 'group_running' });
      const shipment = { orderId: bob, carrier: '顺丰速运', trackingNo: 'SF1234567890' };
      const shipped = okData(await cloud.invoke('orderAdmin', { action: 'shipOrder', shipments: [shipment] }));
      expect(shipped.results).toMatchObject([{ orderId: bob, outcome: 'refused', reason: expect.stringContaining('group') }]);
      expect(await docOf(cloud, 'orders', bob)).toMatchObject({ state: 'paid', group: { state: 'waiting' } });
      expect((await docOf(cloud, 'orders', bob)).shipment).toBeUndefined();
      expect(await docsOf(cloud, 'refunds')).toEqual([]);
      expect(await docsOf(cloud, 'notices', { kind: 'order.shipped' })).toEqual([]);

      const carol = (await joinGroup(cloud, 'carol', groupId, 'join-req-carol')).data.order.orderId;
      await cloud.client.payments.settle(carol);
      expect(await docOf(cloud, 'groups', groupId)).toMatchObject({ state: 'succeeded' });
      expect(okData(await cloud.invoke('orderAdmin', { action: 'shipOrder', shipments: [shipment] })).results).toEqual([
        { orderId: bob, outcome: 'shipped' },
      ]);
      expect(await docOf(cloud, 'orders', bob)).toMatchObject({ state: 'shipped', group: { state: 'succeeded' } });
    });

    it('a 开团 refused before its order was written (product off the shelf), retried with the same request once it is back, opens the group', async () => {
      await makeActivity(cloud);
      expect(okData(await cloud.invoke('shopAdmin', { action: 'updateProduct', productId: 'prd-g', onShelf: false }))).toBeTruthy();
      expect(await openGroup(cloud, 'alice', 'open-req-retry')).toMatchObject({ ok: false, reason: 'off_shelf' });
      expect(await docsOf(cloud, 'orders')).toEqual([]);
      expect(await docsOf(cloud, 'groups')).toMatchObject([{ state: 'abandoned', taken: 0 }]);

      okData(await cloud.invoke('shopAdmin', { action: 'updateProduct', productId: 'prd-g', onShelf: true }));
      const retried = await openGroup(cloud, 'alice', 'open-req-retry');
      expect(retried, JSON.stringify(retried)).toMatchObject({ ok: true, data: { group: { state: 'pending', me: { seat: 'held' } } } });
      const group = await expectGroupConsistent(cloud, retried.data.group.groupId);
      expect(group).toMatchObject({ state: 'pending', taken: 1 });
      expect(await docsOf(cloud, 'groups')).toHaveLength(1);
      await cloud.client.payments.settle(retried.data.order.orderId);
      expect(await docOf(cloud, 'groups', group._id)).toMatchObject({ state: 'open', paid: 1 });
      await expectActivityBalanced(cloud, 100);
    });
  });
});
