import type { BargainInput } from '../contracts/bargain-admin';

/**
 * The demo shop's bargain (砍价), on a product of seed-products.ts: fixed id and times. ¥39.00 to
 * ¥19.00 with 3 friends: cuts of ¥6.66, ¥6.66 and ¥6.68 (the remainder on the last). The README's
 * and the admin jobs' examples name `bg-spring-cream`. The dev seed creates them
 * through `bargainAdmin.createBargain` (scripts/lib/seed.ts), after the products exist.
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
