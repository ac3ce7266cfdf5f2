import type { BargainInput } from '../../../core/contracts/bargain-admin';
import { findSkus } from '../../shop/repository';
import { bargainDoc } from './bargain-doc';
import { insertBargain } from './repository';

/**
 * The demo shop's bargain (砍价), on a product of seed-products.ts: fixed id and times. ¥39.00 to
 * ¥19.00 with 3 friends: cuts of ¥6.66, ¥6.66 and ¥6.68 (the remainder on the last). The README's
 * and the admin jobs' examples name `bg-spring-cream`.
 */
export const DEMO_BARGAINS: Array<{ id: string; bargain: BargainInput }> = [
  {
    id: 'bg-spring-cream',
    bargain: {
      title: '护手霜好友砍价',
      skuId: 'sku-spring-cream-1',
      floorPrice: 1900,
      friends: 3,
      startAt: '2026-01-01T00:00:00+08:00',
      endAt: '2030-12-31T23:59:59+08:00',
      taskHours: 24,
      stock: 200,
      perMemberLimit: 1,
    },
  },
];

/** Writes each demo bargain once (insert-once): a second run keeps the tasks members started and the stock they took. */
export async function seedBargains(now: Date): Promise<number> {
  const skus = new Map((await findSkus(DEMO_BARGAINS.map((b) => b.bargain.skuId))).map((sku) => [sku._id, sku]));
  for (const { id, bargain } of DEMO_BARGAINS) {
    const sku = skus.get(bargain.skuId);
    if (sku) await insertBargain(bargainDoc(id, bargain, { productId: sku.productId, price: sku.price }, now));
  }
  return DEMO_BARGAINS.length;
}
