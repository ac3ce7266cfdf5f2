import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { joinGroup, makeActivity, openPaidGroup } from '../support/groups';
import { acceptGrants, dispatch, paidData, writeNotices } from '../support/notices';
import { claimCoupon, createOrder, docOf, docsOf, makeProduct, runJobs } from '../support/orders';
import { givePoints, makeCouponItem, memberIdOf } from '../support/points';

/**
 * Every funnel step is one event (core/funnel/README.md): each family's real action, repeated and
 * raced, leaves exactly one event with its member, time, money and the touch it is credited to.
 */
describe('funnel events: every step once, credited', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';
  const ORDER_PAGE = 'packages/order/detail/index';

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
    const db = cloud.db();
    const now = new Date(NOW);
    for (const [id, article, campaign] of [
      ['spring01', 'art-spring', 'camp-spring'],
      ['autumn01', 'art-autumn', 'camp-autumn'],
    ]) {
      await db.collection('scenes').add({
        data: { _id: id, article, campaign, channel: 'article', page: 'packages/campaign/detail/index', params: {}, createdAt: now },
      });
    }
  });

  const eventsOf = (kind: string, where: Record<string, unknown> = {}) => docsOf(cloud, 'events', { kind, ...where });
  const visit = (params: Record<string, string>, as = 'alice') => cloud.invoke('member', { action: 'visit', ...params }, as);
  const SPRING = { scene: 'spring01', article: 'art-spring', campaign: 'camp-spring', channel: 'article', sharer: null };
  const AUTUMN = { scene: 'autumn01', article: 'art-autumn', campaign: 'camp-autumn', channel: 'article', sharer: null };
  /** alice arrived through the spring article: what her later steps are credited to. */
  async function aliceFromSpring(): Promise<string> {
    expect(await visit({ scene: 'spring01' })).toMatchObject({ ok: true, data: { attributed: true } });
    return memberIdOf(cloud, 'alice');
  }

  it('visit: an arrival is its own touch, a direct visit is credited to the standing one; a retried requestId is one visit', async () => {
    const alice = await aliceFromSpring();
    await Promise.all([1, 2, 3].map(() => visit({ scene: 'autumn01', requestId: 'visit-req-0001' })));
    await visit({});
    const visits = await eventsOf('visit', { memberId: alice });
    expect(visits.filter((e) => e._id === `visit:${alice}:visit-req-0001`)).toHaveLength(1);
    expect(visits.map((e) => [e.channel, e.attributed, e.touch?.article]).sort()).toEqual([
      ['article', true, 'art-autumn'],
      ['article', true, 'art-spring'],
      ['direct', false, 'art-autumn'],
    ]);
    expect(visits.find((e) => e.channel === 'direct').touch).toEqual({ ...AUTUMN, at: expect.any(Date) });
    for (const e of visits) expect(e.firstTouch).toMatchObject(SPRING);
  });

  it('notice landing: once per member, notice kind, page id and day, whatever the taps; never a new touch', async () => {
    const alice = await aliceFromSpring();
    const landing = { from: 'notice_sub', nk: 'order.paid', to: ORDER_PAGE, id: 'order-0001' };
    const answers = await Promise.all([1, 2, 3].map(() => visit(landing)));
    for (const answer of answers)
      expect(answer).toMatchObject({ ok: true, data: { page: ORDER_PAGE, params: { id: 'order-0001' }, attributed: false } });
    await visit(landing);
    await visit({ ...landing, from: 'notice_mp', id: 'order-0002' });
    const landings = await eventsOf('notice_landing');
    expect(landings).toHaveLength(2);
    expect(landings.find((e) => e.pageId === 'order-0001')).toMatchObject({
      _id: `notice_landing:${alice}:2026-12-03:order.paid:order-0001`,
      memberId: alice,
      channel: 'notice_sub',
      noticeKind: 'order.paid',
      page: ORDER_PAGE,
      touch: SPRING,
    });
    // A reminder is not a source: the member's last touch stays the article, and no visit is counted twice.
    expect((await docOf(cloud, 'members', alice)).lastTouch).toMatchObject({ scene: 'spring01' });
    expect(await eventsOf('visit', { memberId: alice })).toHaveLength(1);
  });

  it('login: one per member and Shanghai day, also when five logins of a new day race', async () => {
    const alice = await aliceFromSpring();
    await memberIdOf(cloud, 'alice');
    await memberIdOf(cloud, 'alice');
    expect(await eventsOf('login')).toMatchObject([
      { _id: `login:${alice}:2026-12-03`, memberId: alice, day: '2026-12-03', touch: SPRING },
    ]);
    await cloud.client.clock.advance(24 * 3600_000);
    await Promise.all(Array.from({ length: 5 }, () => cloud.invoke('member', { action: 'login' }, 'alice')));
    expect((await eventsOf('login')).map((e) => e._id).sort()).toEqual([`login:${alice}:2026-12-03`, `login:${alice}:2026-12-04`]);
  });

  it('follow and unfollow: one event per push, whatever WeChat redelivers', async () => {
    const bob = await memberIdOf(cloud, 'bob');
    await cloud.client.mp.push({ persona: 'bob', type: 'subscribe', deliveries: 2 });
    await cloud.client.clock.advance(60_000);
    await cloud.client.mp.push({ persona: 'bob', type: 'unsubscribe', deliveries: 2 });
    const [follow] = await eventsOf('follow');
    expect(await eventsOf('follow')).toHaveLength(1);
    expect(follow).toMatchObject({ memberId: bob, channel: 'mp', touch: { channel: expect.any(String) } });
    expect(follow._id).toMatch(/^follow:evt:o-mp-bob:\d+:subscribe$/);
    expect(await eventsOf('unfollow')).toMatchObject([{ memberId: bob, channel: 'mp' }]);
  });

  it('coupon claimed: once per coupon, also when one requestId is sent five times at once', async () => {
    const alice = await aliceFromSpring();
    const couponId = await claimCoupon(cloud, 'alice', 'tpl-funnel');
    const again = await Promise.all(
      Array.from({ length: 5 }, () =>
        cloud.invoke('coupon', { action: 'claim', templateId: 'tpl-funnel', requestId: 'claim-tpl-funnel' }, 'alice'),
      ),
    );
    for (const answer of again) expect(answer).toMatchObject({ ok: true, data: { repeated: true, coupon: { couponId } } });
    expect(await eventsOf('coupon_claimed')).toMatchObject([
      { _id: `coupon_claimed:${couponId}`, memberId: alice, couponId, templateId: 'tpl-funnel', touch: SPRING },
    ]);
  });

  it('order created, paid (callback 5 times at once) and refunded (callback twice): each once, in fen, credited to the touch the order was made under', async () => {
    await makeProduct(cloud, 'prd-f', [{ id: 'sku-f', price: 9900, stock: 5 }]);
    const alice = await aliceFromSpring();
    const first = await createOrder(cloud, 'alice', [{ skuId: 'sku-f', quantity: 1 }], 'funnel-order-0001');
    const orderId = first.data.order.orderId;
    const repeat = await createOrder(cloud, 'alice', [{ skuId: 'sku-f', quantity: 1 }], 'funnel-order-0001');
    expect(repeat).toMatchObject({ ok: true, data: { order: { orderId }, repeated: true } });
    const [created] = await eventsOf('order_created');
    expect(await eventsOf('order_created')).toHaveLength(1);
    expect(created).toMatchObject({
      _id: `order_created:${orderId}`,
      memberId: alice,
      orderId,
      fen: 9900,
      orderType: 'shop',
      touch: SPRING,
    });

    // She comes back through another article before paying: the money stays with the order's touch.
    await visit({ scene: 'autumn01' });
    const { payment } = await cloud.client.payments.settle(orderId, { deliveries: 0 });
    const callback = {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: orderId,
      totalFee: 9900,
      feeType: 'CNY',
      transactionId: payment.transactionId,
      timeEnd: payment.timeEnd,
    };
    const acks = await Promise.all(
      Array.from({ length: 5 }, () => cloud.client.invoke('payNotify', { event: callback, source: 'wx_paycallback' })),
    );
    for (const ack of acks) expect(ack).toMatchObject({ result: { errcode: 0 } });
    const order = await docOf(cloud, 'orders', orderId);
    expect(await eventsOf('order_paid')).toEqual([
      expect.objectContaining({
        _id: `order_paid:${orderId}`,
        memberId: alice,
        orderId,
        fen: 9900,
        at: order.paidAt,
        orderAt: order.createdAt,
        touch: expect.objectContaining(SPRING),
        firstTouch: expect.objectContaining(SPRING),
      }),
    ]);
    expect((await docOf(cloud, 'members', alice)).lastTouch).toMatchObject({ scene: 'autumn01' });

    const asked = await cloud.invoke('order', { action: 'requestRefund', orderId, reason: '不想要了' }, 'alice');
    expect(asked, JSON.stringify(asked)).toMatchObject({ ok: true });
    const refundId = asked.data.refund.refundId;
    expect((await runJobs(cloud, ['driveRefunds'])).driveRefunds.result).toMatchObject({ submitted: 1 });
    const refunded = await cloud.client.payments.settleRefund(refundId, { result: 'SUCCESS', deliveries: 2 });
    for (const delivery of refunded.deliveries) expect(delivery).toMatchObject({ acked: true });
    await runJobs(cloud, ['driveRefunds']);
    const refund = await docOf(cloud, 'refunds', refundId);
    expect(await eventsOf('order_refunded')).toEqual([
      expect.objectContaining({
        _id: `order_refunded:${refundId}`,
        memberId: alice,
        orderId,
        refundId,
        fen: 9900,
        whole: true,
        at: refund.succeededAt,
        orderAt: order.createdAt,
        touch: expect.objectContaining(SPRING),
      }),
    ]);
  });

  it('group opened, joined and succeeded: once each, with the seat’s fen, whatever the callbacks', async () => {
    await makeActivity(cloud);
    const alice = await aliceFromSpring();
    const groupId = await openPaidGroup(cloud, 'alice');
    const joiners: string[] = [];
    for (const persona of ['bob', 'carol']) {
      joiners.push(await memberIdOf(cloud, persona));
      const joined = await joinGroup(cloud, persona, groupId, `join-${persona}-0001`);
      expect(joined, JSON.stringify(joined)).toMatchObject({ ok: true });
      await cloud.client.payments.settle(joined.data.order.orderId, { deliveries: 2 });
    }
    expect(await docOf(cloud, 'groups', groupId)).toMatchObject({ state: 'succeeded' });
    expect(await eventsOf('group_opened')).toMatchObject([
      { _id: `group_opened:${groupId}`, memberId: alice, groupId, activityId: 'gb', fen: 5900, touch: SPRING },
    ]);
    const joins = await eventsOf('group_joined');
    expect(joins.map((e) => [e._id, e.memberId, e.fen]).sort()).toEqual(
      joiners.map((m) => [`group_joined:${groupId}:${m}`, m, 5900]).sort(),
    );
    expect(await eventsOf('group_succeeded')).toMatchObject([
      { _id: `group_succeeded:${groupId}`, memberId: alice, groupId, touch: SPRING },
    ]);
    // The orders behind the seats are order steps of their own, typed as group orders.
    expect((await eventsOf('order_paid')).map((e) => e.orderType)).toEqual(['group', 'group', 'group']);
  });

  it('points earned and spent: one event per ledger entry with its signed delta, also for an exchange raced three times', async () => {
    const alice = await aliceFromSpring();
    await givePoints(cloud, alice, 300);
    await givePoints(cloud, alice, 300);
    await makeCouponItem(cloud, 'mi-f', { points: 100, stock: 10, perMemberLimit: 2 });
    await Promise.all(
      [1, 2, 3].map(() =>
        cloud.invoke('points', { action: 'exchange', itemId: 'mi-f', requestId: 'xchg-funnel-0001', points: 1 }, 'alice'),
      ),
    );
    const entries = await docsOf(cloud, 'points_ledger', { memberId: alice });
    const earned = await eventsOf('points_earned');
    const spent = await eventsOf('points_spent');
    expect(earned).toMatchObject([{ memberId: alice, delta: 300, source: 'admin', touch: SPRING }]);
    expect(spent).toMatchObject([{ memberId: alice, delta: -100, source: 'exchange', touch: SPRING }]);
    expect([...earned, ...spent].map((e) => e.ledgerId).sort()).toEqual(entries.map((e) => e._id).sort());
    for (const e of [...earned, ...spent]) expect(e.at).toEqual(entries.find((x) => x._id === e.ledgerId).at);
  });

  it('subscribe answer and notice sent: once per sheet and once per delivered notice, across runs', async () => {
    const alice = await aliceFromSpring();
    await acceptGrants(cloud, 'alice', 'TPL_ORDER_PAID');
    const again = await cloud.invoke(
      'notice',
      { action: 'recordGrants', requestId: 'accept-TPL-ORDER-PAID-0', answers: { TPL_ORDER_PAID: 'accept' } },
      'alice',
    );
    expect(again).toMatchObject({ ok: true });
    expect(await eventsOf('subscribe_answer')).toMatchObject([
      { _id: 'subscribe_answer:o-mini-alice:accept-TPL-ORDER-PAID-0', memberId: alice, touch: SPRING },
    ]);
    const [noticeId] = await writeNotices(cloud, [{ kind: 'order.paid', key: 'F-1', memberId: alice, data: paidData('F-1') }]);
    expect(await dispatch(cloud)).toMatchObject({ sent: 1 });
    expect(await dispatch(cloud)).toMatchObject({ claimed: 0 });
    expect(await eventsOf('notice_sent')).toMatchObject([
      { _id: `notice_sent:${noticeId}`, memberId: alice, noticeId, noticeKind: 'order.paid', channel: 'subscribe', touch: SPRING },
    ]);
  });

  it('every event has the one shape: a known kind, its member, its time and its credit', async () => {
    await makeProduct(cloud, 'prd-s', [{ id: 'sku-s', price: 500, stock: 5 }]);
    await aliceFromSpring();
    const made = await createOrder(cloud, 'alice', [{ skuId: 'sku-s', quantity: 1 }], 'shape-order-0001');
    await cloud.client.payments.settle(made.data.order.orderId);
    const events = await docsOf(cloud, 'events');
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['visit', 'login', 'order_created', 'order_paid', 'points_earned']));
    for (const e of events) {
      expect(e._id.startsWith(`${e.kind}:`), e._id).toBe(true);
      expect(e).toMatchObject({ memberId: expect.any(String), at: expect.any(Date), touch: SPRING, firstTouch: SPRING });
    }
  });
});
