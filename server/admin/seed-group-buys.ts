import type { ActivityInput } from '../../core/contracts/groupbuy-admin';
import { insertActivity } from '../groupbuy/repository';
import { activityDoc } from './create-group-buy';

/**
 * The demo shop's group-buys (拼团), on products of seed-products.ts: fixed ids and times. The
 * README's and the admin jobs' examples name `gb-spring-mug`.
 */
export const DEMO_GROUP_BUYS: Array<{ id: string; activity: ActivityInput }> = [
  {
    id: 'gb-spring-mug',
    activity: {
      title: '樱花杯两人团',
      productId: 'prd-spring-mug',
      skus: [
        { skuId: 'sku-spring-mug-pink', groupPrice: 3900 },
        { skuId: 'sku-spring-mug-blue', groupPrice: 3900 },
      ],
      size: 2,
      fillHours: 24,
      startAt: '2026-01-01T00:00:00+08:00',
      endAt: '2030-12-31T23:59:59+08:00',
      stock: 100,
      perMemberLimit: 2,
    },
  },
  {
    id: 'gb-spring-tea',
    activity: {
      title: '龙井三人团',
      productId: 'prd-spring-tea',
      skus: [{ skuId: 'sku-spring-tea-125', groupPrice: 4400 }],
      size: 3,
      fillHours: 48,
      startAt: '2026-01-01T00:00:00+08:00',
      endAt: '2030-12-31T23:59:59+08:00',
      stock: 30,
    },
  },
];

/**
 * Writes each demo activity once (insert-once, as the coupon templates): a second run keeps the
 * stock members took and whatever operators changed since with updateGroupBuy.
 */
export async function seedGroupBuys(now: Date): Promise<number> {
  for (const { id, activity } of DEMO_GROUP_BUYS) await insertActivity(activityDoc(id, activity, now));
  return DEMO_GROUP_BUYS.length;
}
