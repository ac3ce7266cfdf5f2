import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/lib/seed';
import { useJourney } from '../support/journey';
import { createOrder, docOf, docsOf } from '../support/orders';
import { shot, shown, visible } from '../support/pages';

/**
 * Reviews in the H5 app: the product page shows the demo reviews' average, count and reviews; a
 * member opens the write page of a completed order, gives 5 stars and a text, submits, and sees the
 * review posted; the product page then counts it. The database is checked, not only the screen.
 * With DUET_SHOTS=<dir>, each step is saved as a 390×844 screenshot.
 */
const NOW = '2026-12-03T02:00:00.000Z';

describe('reviews: read on the product page, write after a completed order', () => {
  const journey = useJourney();

  beforeAll(async () => {
    await journey.cloud.client.clock.set(NOW);
    await seedDemo(journey.cloud.url);
  });

  it('shows the demo reviews, then a member reviews a completed order and the product counts it', async () => {
    const product = await journey.open('packages/shop/detail/index?id=prd-spring-tea&persona=carol');
    const block = await shown(visible(product, 'product-reviews'));
    await shown(visible(product, 'product-reviews-score'));
    expect(await visible(product, 'product-reviews-score').textContent()).toBe('4.7 分 · 好评率 100%');
    expect(await visible(product, 'product-review').count()).toBe(3);
    await block.scrollIntoViewIfNeeded();
    await shot(product, 'review-01-product-reviews');
    await product.context().close();

    // carol buys the 125g tea; it is paid, shipped and received.
    const created = await createOrder(journey.cloud, 'carol', [{ skuId: 'sku-spring-tea-125', quantity: 1 }], 'reviewjourney0001');
    expect(created, JSON.stringify(created)).toMatchObject({ ok: true });
    const orderId: string = created.data.order.orderId;
    await journey.cloud.client.payments.settle(orderId, { deliveries: 1 });
    const shipped = await journey.cloud.invoke('orderAdmin', {
      action: 'shipOrder',
      shipments: [{ orderId, carrier: '顺丰速运', trackingNo: 'SF1234567890' }],
    });
    expect(shipped, JSON.stringify(shipped)).toMatchObject({ ok: true });
    expect(await journey.cloud.invoke('order', { action: 'confirmReceipt', orderId }, 'carol')).toMatchObject({ ok: true });

    // The order page offers 评价; it opens the write page.
    const page = await journey.open(`packages/order/detail/index?id=${orderId}&persona=carol`);
    await (await shown(visible(page, 'order-review'))).click();
    await page.waitForURL(/packages\/review\/write\/index\?orderId=/, { timeout: 10_000 });
    const submit = await shown(visible(page, 'review-submit'));
    expect(await submit.textContent()).toContain('请先打分');
    await shot(page, 'review-02-write-empty');
    await visible(page, 'review-star-5').click();
    await (await shown(visible(page, 'review-text').locator('input'))).fill('茶汤清亮，回甘很快，包装也精致。');
    await shot(page, 'review-03-write-filled');
    await visible(page, 'review-submit').click();
    await shown(visible(page, 'review-posted'));
    await shot(page, 'review-04-posted');
    await page.context().close();

    expect(await docOf(journey.cloud, 'reviews', `${orderId}:0`)).toMatchObject({
      rating: 5,
      state: 'visible',
      productId: 'prd-spring-tea',
    });
    const entries = await docsOf(journey.cloud, 'points_ledger', { source: 'review' });
    expect(entries.map((e) => e._id)).toEqual([`ledger:review:${orderId}:0`]);

    const after = await journey.open('packages/shop/detail/index?id=prd-spring-tea&persona=carol');
    await shown(visible(after, 'product-reviews-score'));
    expect(await visible(after, 'product-reviews-score').textContent()).toBe('4.8 分 · 好评率 100%');
    expect(await visible(after, 'product-review').count()).toBe(4);
    await after.context().close();
  });
});
