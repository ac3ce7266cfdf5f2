import { expect } from 'vitest';
import type { TestCloud } from './cloud';
import { ADDRESS, docOf, docsOf, makeProduct } from './orders';

/** A product `prd-g` (SKU `sku-g`, ¥99, stock 100 unless told) and a group-buy activity `gb` on it at ¥59. */
export async function makeActivity(
  cloud: TestCloud,
  activity: Record<string, unknown> = {},
  sku: { price?: number; stock?: number } = {},
): Promise<string> {
  await makeProduct(cloud, 'prd-g', [{ id: 'sku-g', price: sku.price ?? 9900, stock: sku.stock ?? 100 }]);
  const now = new Date((await cloud.client.clock.get()).now);
  const made = await cloud.invoke('groupbuyAdmin', {
    action: 'createGroupBuy',
    id: 'gb',
    activity: {
      title: '测试拼团',
      productId: 'prd-g',
      skus: [{ skuId: 'sku-g', groupPrice: 5900 }],
      size: 3,
      fillHours: 24,
      startAt: new Date(now.getTime() - 3600_000).toISOString(),
      endAt: new Date(now.getTime() + 7 * 24 * 3600_000).toISOString(),
      stock: 50,
      perMemberLimit: 2,
      ...activity,
    },
  });
  expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
  return 'gb';
}

/** `groupbuy.open` as a persona; answers the envelope. */
export function openGroup(cloud: TestCloud, as: string | { openid: string }, requestId: string, extra: Record<string, unknown> = {}) {
  return cloud.invoke('groupbuy', { action: 'open', activityId: 'gb', skuId: 'sku-g', requestId, address: ADDRESS, ...extra }, as);
}

/** `groupbuy.join` as a persona; answers the envelope. */
export function joinGroup(cloud: TestCloud, as: string | { openid: string }, groupId: string, requestId: string) {
  return cloud.invoke('groupbuy', { action: 'join', groupId, skuId: 'sku-g', requestId, address: ADDRESS }, as);
}

/** A group opened by `leader` and paid: answers its id (the group is open). */
export async function openPaidGroup(cloud: TestCloud, leader: string | { openid: string }, requestId = 'open-req-0001'): Promise<string> {
  const opened = await openGroup(cloud, leader, requestId);
  expect(opened, JSON.stringify(opened)).toMatchObject({ ok: true, data: { group: { state: 'pending' } } });
  await cloud.client.payments.settle(opened.data.order.orderId);
  const group = await docOf(cloud, 'groups', opened.data.group.groupId);
  expect(group).toMatchObject({ state: 'open', paid: 1, taken: 1 });
  return group._id;
}

/** What never changes, whatever happened: no more paid seats than the size, counts equal to the lists. */
export async function expectGroupConsistent(cloud: TestCloud, groupId: string) {
  const group = await docOf(cloud, 'groups', groupId);
  expect(group.paid).toBeLessThanOrEqual(group.size);
  expect(group.taken).toBeLessThanOrEqual(group.size);
  expect(group.heldBy).toHaveLength(group.taken);
  expect(group.paidBy).toHaveLength(group.paid);
  expect(new Set(group.heldBy).size).toBe(group.heldBy.length);
  for (const member of group.paidBy) expect(group.heldBy).toContain(member);
  expect(Object.keys(group.holds).sort()).toEqual([...group.heldBy].sort());
  return group;
}

/**
 * Starts `instances` warm instances of the groupbuy function (concurrent `list` calls, which write
 * nothing), so a burst after it runs in parallel processes instead of waiting for cold starts.
 */
export async function warmGroupbuyInstances(cloud: TestCloud, instances: number): Promise<void> {
  const answers = await Promise.all(Array.from({ length: instances }, () => cloud.invoke('groupbuy', { action: 'list' })));
  for (const answer of answers) expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
}

/**
 * What must add up across an activity once its work is done, whatever happened: every group
 * consistent; the activity's units left = its stock − seats taken + units a failed group gave back;
 * the SKU's stock = what it started with − units held or sold + units refunds put back; each
 * member's limit counts exactly the orders holding a seat in a group that did not fail, and never
 * more than the limit. Answers the groups.
 */
export async function expectActivityBalanced(cloud: TestCloud, initialSkuStock: number, activityId = 'gb', skuId = 'sku-g') {
  const activity = await docOf(cloud, 'groupbuy_activities', activityId);
  const groups = await docsOf(cloud, 'groups', { activityId });
  for (const group of groups) await expectGroupConsistent(cloud, group._id);
  const unitsOut = groups.reduce((sum, group) => sum + group.taken - group.returnedBy.length, 0);
  expect(activity.stockLeft, 'activity stockLeft').toBe(activity.stock - unitsOut);

  const reservations = await docsOf(cloud, 'stock_reservations', { skuId });
  const units = (states: string[]) => reservations.filter((r) => states.includes(r.state)).reduce((sum, r) => sum + r.quantity, 0);
  expect((await docOf(cloud, 'skus', skuId)).stock, 'SKU stock').toBe(initialSkuStock - units(['held', 'confirmed']) + units(['returned']));

  const groupOf = new Map(groups.map((group) => [group._id, group]));
  const orders = await docsOf(cloud, 'orders', { 'group.activityId': activityId });
  const seated = new Map<string, string[]>();
  for (const order of orders) {
    const group = groupOf.get(order.group.groupId);
    if (group && group.holds[order.memberId] === order._id && group.state !== 'failed') {
      seated.set(order.memberId, [...(seated.get(order.memberId) ?? []), order._id]);
    }
  }
  const limits = await docsOf(cloud, 'groupbuy_limits', { activityId });
  for (const limit of limits) {
    expect(limit.count, limit._id).toBe(limit.orders.length);
    expect(limit.count, limit._id).toBeLessThanOrEqual(activity.perMemberLimit);
    expect([...limit.orders].sort(), limit._id).toEqual((seated.get(limit.memberId) ?? []).sort());
  }
  for (const memberId of seated.keys()) expect(limits.map((limit) => limit.memberId)).toContain(memberId);
  return groups;
}

/** WeChat Pay's record of an order's refunds (what would really go back to the member). */
export async function ledgerRefunds(
  cloud: TestCloud,
  orderId: string,
): Promise<Array<{ outRefundNo: string; refundFee: number; state: string }>> {
  return (await cloud.client.payments.get(orderId)).payment.refunds;
}
