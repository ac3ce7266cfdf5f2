import { reviewIdOf } from '../../../core/fission/review';
import { insertReviewOnce, type ReviewDoc } from './repository';

/**
 * Demo reviews on the demo shop for `npm run dev`: fixed ids, each written once together with its
 * product's stats (the same transaction step a member's review takes), so the product page shows
 * an average, a count and reviews from the first start. The demo orders behind them are not real
 * orders (`demo-review-order-<n>`); their reviewers are demo members with nicknames only.
 */
const DEMO_REVIEWS: Array<Omit<ReviewDoc, '_id' | 'line' | 'state' | 'photos' | 'createdAt'> & { at: string }> = [
  {
    orderId: 'demo-review-order-1',
    productId: 'prd-spring-tea',
    skuId: 'sku-spring-tea-125',
    memberId: 'demo-reviewer-1',
    nickname: '小林',
    specs: '125g',
    rating: 5,
    text: '茶香很正，回甘明显，礼盒也很体面，送长辈正合适。',
    at: '2026-03-12T04:20:00.000Z',
  },
  {
    orderId: 'demo-review-order-2',
    productId: 'prd-spring-tea',
    skuId: 'sku-spring-tea-250',
    memberId: 'demo-reviewer-2',
    nickname: '阿青',
    specs: '250g',
    rating: 4,
    text: '口感清爽，就是快递慢了一天。',
    at: '2026-03-15T09:05:00.000Z',
  },
  {
    orderId: 'demo-review-order-3',
    productId: 'prd-spring-tea',
    skuId: 'sku-spring-tea-125',
    memberId: 'demo-reviewer-3',
    nickname: '周周',
    specs: '125g',
    rating: 5,
    text: '第二次回购了，自己喝也舍得。',
    at: '2026-04-02T01:40:00.000Z',
  },
  {
    orderId: 'demo-review-order-4',
    productId: 'prd-spring-mug',
    skuId: 'sku-spring-mug-pink',
    memberId: 'demo-reviewer-1',
    nickname: '小林',
    specs: '樱粉',
    rating: 5,
    text: '颜色比图片还好看，手感厚实。',
    at: '2026-03-20T12:00:00.000Z',
  },
  {
    orderId: 'demo-review-order-5',
    productId: 'prd-spring-mug',
    skuId: 'sku-spring-mug-blue',
    memberId: 'demo-reviewer-4',
    nickname: '大熊',
    specs: '天青',
    rating: 3,
    text: '杯子不错，包装可以再结实一点。',
    at: '2026-04-08T07:30:00.000Z',
  },
];

/** Writes the demo reviews that are not there yet; answers how many the demo has. */
export async function seedReviews(): Promise<number> {
  for (const { at, ...review } of DEMO_REVIEWS) {
    await insertReviewOnce({
      ...review,
      _id: reviewIdOf(review.orderId, 0),
      line: 0,
      photos: [],
      state: 'visible',
      createdAt: new Date(at),
    });
  }
  return DEMO_REVIEWS.length;
}
