import type { MallItemInput } from '../../core/contracts/points-admin';
import { DEFAULT_POINTS_RULES } from '../../core/points/rules';
import { putRulesUnlessSet } from '../ledger/repository';
import { createMallItem } from './create-mall-item';

/**
 * The demo points mall, on templates of seed-demo.ts and SKUs of seed-products.ts, with fixed ids
 * (the README and the admin jobs' examples name `mi-store-5`): a coupon, a product for points and a
 * product for points + cash.
 */
export const DEMO_MALL_ITEMS: Array<{ id: string; item: MallItemInput }> = [
  {
    id: 'mi-store-5',
    item: {
      kind: 'coupon',
      title: '5元无门槛券',
      points: 100,
      templateId: 'tpl-store-5',
      stock: 1000,
      perMemberLimit: 3,
      startAt: '2026-01-01T00:00:00+08:00',
      endAt: '2030-12-31T23:59:59+08:00',
    },
  },
  {
    id: 'mi-spring-cream',
    item: {
      kind: 'product',
      title: '护手霜单支装',
      points: 1500,
      skuId: 'sku-spring-cream-1',
      stock: 50,
      perMemberLimit: 1,
      startAt: '2026-01-01T00:00:00+08:00',
      endAt: '2030-12-31T23:59:59+08:00',
    },
  },
  {
    id: 'mi-spring-mug',
    item: {
      kind: 'points_cash',
      title: '樱花杯 积分换购',
      points: 500,
      cash: 1900,
      skuId: 'sku-spring-mug-pink',
      stock: 20,
      perMemberLimit: 1,
      startAt: '2026-01-01T00:00:00+08:00',
      endAt: '2030-12-31T23:59:59+08:00',
    },
  },
];

/** Rules stay what an operator set: the defaults are written only when there are none. Items insert-once. */
export async function seedMall(seededAt: Date): Promise<number> {
  await putRulesUnlessSet(DEFAULT_POINTS_RULES);
  for (const request of DEMO_MALL_ITEMS) await createMallItem(request, seededAt);
  return DEMO_MALL_ITEMS.length;
}
