import { expect } from 'vitest';
import type { TestCloud } from './cloud';
import { ADDRESS, docOf, makeProduct } from './orders';

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
