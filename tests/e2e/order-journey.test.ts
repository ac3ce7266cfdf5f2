import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/lib/seed';
import { useJourney } from '../support/journey';
import { shot, shown, visible } from '../support/pages';
import { createOrder, docOf, docsOf, runJobs } from '../support/orders';

/**
 * A reader buys from the storefront: product → SKU → checkout with the best coupon preselected →
 * the local pay sheet → paid (by the pay callback) → 申请退款 → the scheduler refunds → 已退款, and
 * the coupon is back in the wallet. A second reader closes the pay sheet, sees the countdown and
 * cancels. The database is checked at each step, not only the screen. With DUET_SHOTS=<dir>, every
 * page is also saved as a 390×844 screenshot there, for a person to look at.
 */
const NOW = '2026-12-03T02:00:00.000Z';

/** Taro's H5 Input is a web component with the real <input> inside. */
async function type(page: Page, testId: string, text: string) {
  await (await shown(visible(page, testId).locator('input'))).fill(text);
}

async function memberOf(journey: ReturnType<typeof useJourney>, persona: string): Promise<{ _id: string }> {
  const login = await journey.cloud.invoke('member', { action: 'login' }, persona);
  expect(login, JSON.stringify(login)).toMatchObject({ ok: true });
  return login.data;
}

describe('orders: buy with the best coupon, pay, refund', () => {
  const journey = useJourney();

  beforeAll(async () => {
    await journey.cloud.client.clock.set(NOW);
    // The demo brand: personas, the spring campaign's products (with pictures) and coupon templates.
    await seedDemo(journey.cloud.url);
  });

  it('pays on the local sheet, refunds through the scheduler, and the coupon comes back', async () => {
    // Carol joins (the welcome pack: 满50减8) and claims the no-threshold ¥10 coupon: the best for a ¥158 tea.
    const carol = await memberOf(journey, 'carol');
    const claimed = await journey.cloud.invoke(
      'coupon',
      { action: 'claim', templateId: 'tpl-spring-new', requestId: 'orderjourney00001' },
      'carol',
    );
    expect(claimed, JSON.stringify(claimed)).toMatchObject({ ok: true });
    const couponId: string = claimed.data.coupon.couponId;

    // The storefront lists the products; the tea opens its page.
    const page = await journey.open('pages/index/index?persona=carol');
    const tea = await shown(visible(page, 'product-prd-spring-tea'));
    expect(await tea.getByTestId('product-price').textContent()).toBe('¥88.00起');
    await visible(page, 'home-products').scrollIntoViewIfNeeded();
    await shot(page, 'order-01-home-products');
    await tea.click();
    await page.waitForURL(/packages\/shop\/detail\/index\?id=prd-spring-tea/, { timeout: 10_000 });
    expect(await (await shown(visible(page, 'product-title'))).textContent()).toBe('明前龙井春茶礼盒');
    expect(await visible(page, 'product-detail-price').textContent()).toBe('¥88.00-¥158.00');
    await shot(page, 'order-02-product');

    // 立即购买 without a choice opens the SKU sheet; 250g is picked.
    await visible(page, 'product-buy').click();
    const picker = await shown(visible(page, 'sku-picker'));
    expect(await picker.getByTestId('sku-chosen').textContent()).toBe('请选择 规格');
    await picker.getByTestId('sku-value-规格-250g').click();
    await expect.poll(() => picker.getByTestId('sku-chosen').textContent()).toBe('已选 250g');
    expect(await picker.getByTestId('sku-price').textContent()).toBe('¥158.00');
    await shot(page, 'order-03-sku-picker');
    await visible(page, 'sku-confirm').click();

    // Checkout: no address yet; the best coupon is preselected and labelled.
    await page.waitForURL(/packages\/order\/checkout\/index\?lines=/, { timeout: 10_000 });
    await shown(visible(page, 'address-form'));
    expect(await (await shown(visible(page, 'checkout-coupon-name'))).textContent()).toBe('新人专享券');
    expect(await visible(page, 'checkout-coupon').textContent()).toContain('最优');
    expect(await visible(page, 'checkout-discount').textContent()).toBe('-¥10.00');
    await shot(page, 'order-04-checkout-new-address');
    // A wrong phone is named beside its field, and nothing is sent.
    await type(page, 'address-name', '卡罗尔');
    await type(page, 'address-phone', '1380013');
    await type(page, 'address-region', '浙江省 杭州市 西湖区');
    await type(page, 'address-detail', '文三路 100 号');
    await visible(page, 'address-save').click();
    expect(await (await shown(visible(page, 'address-error-phone'))).textContent()).toBe('请输入11位手机号码');
    await shot(page, 'order-05-checkout-address-error');
    await type(page, 'address-phone', '13800138000');
    await visible(page, 'address-save').click();
    expect(await (await shown(visible(page, 'address-summary'))).textContent()).toContain('138****8000');

    // The coupon sheet: the applicable ones with their saving, the best labelled, the others greyed with why.
    await visible(page, 'checkout-coupon').click();
    const sheet = await shown(visible(page, 'coupon-sheet'));
    expect(await sheet.getByTestId(`coupon-option-${couponId}`).textContent()).toContain('最优');
    await shot(page, 'order-06-coupon-sheet');
    await sheet.getByTestId(`coupon-option-${couponId}`).click();
    await shot(page, 'order-07-checkout-ready');

    // 提交订单并支付 → the local pay sheet with the payable → paid.
    await visible(page, 'checkout-submit').click();
    const paySheet = await shown(page.getByTestId('local-sheet-pay'));
    expect(await paySheet.getByTestId('pay-amount').textContent()).toBe('¥148.00');
    await shot(page, 'order-08-pay-sheet');
    await paySheet
      .locator('taro-button-core')
      .filter({ hasText: /^确认支付$/ })
      .click();
    await page.waitForURL(/packages\/order\/detail\/index\?id=/, { timeout: 20_000 });
    const orderId = new URL(page.url().replace('#/', '')).searchParams.get('id') as string;
    await expect.poll(() => visible(page, 'order-state').first().textContent(), { timeout: 15_000 }).toBe('待发货');
    await shot(page, 'order-09-paid');

    // The database: paid by the callback, with the coupon used and the stock taken.
    expect(await docOf(journey.cloud, 'orders', orderId)).toMatchObject({
      memberId: carol._id,
      state: 'paid',
      couponId,
      subtotal: 15800,
      discount: 1000,
      payable: 14800,
      address: { name: '卡罗尔', phone: '13800138000' },
    });
    expect(await docOf(journey.cloud, 'coupons', couponId)).toMatchObject({ state: 'used', orderId });
    expect(await docOf(journey.cloud, 'skus', 'sku-spring-tea-250')).toMatchObject({ stock: 29 });
    // The page shows the 订单编号 people read (never the internal id).
    const { orderNo } = await docOf(journey.cloud, 'orders', orderId);
    expect(orderNo).toMatch(/^\d{20}$/);
    expect(await visible(page, 'order-no').first().textContent()).toBe(orderNo);
    expect(await page.locator('body').textContent()).not.toContain(orderId);

    // 申请退款 with a reason.
    await visible(page, 'order-refund').click();
    const refundSheet = await shown(visible(page, 'refund-sheet'));
    await refundSheet.getByText('不想要了').click();
    await shot(page, 'order-10-refund-sheet');
    await refundSheet.getByTestId('refund-submit').click();
    await expect.poll(() => visible(page, 'order-state').first().textContent(), { timeout: 15_000 }).toBe('退款中');
    expect(await (await shown(visible(page, 'refund-state'))).textContent()).toBe('退款处理中');
    await shot(page, 'order-11-refunding');
    const [refund] = await docsOf(journey.cloud, 'refunds', { orderId });
    expect(refund).toMatchObject({ state: 'requested', amount: 14800, reason: '不想要了' });

    // The scheduler submits the refund; WeChat Pay settles it; the page shows it once read again.
    const jobs = await runJobs(journey.cloud, ['driveRefunds']);
    expect(jobs.driveRefunds.result).toMatchObject({ submitted: 1 });
    await journey.cloud.client.payments.settleRefund(refund._id, { result: 'SUCCESS' });
    await page.reload();
    await expect.poll(() => visible(page, 'order-state').first().textContent(), { timeout: 15_000 }).toBe('已退款');
    expect(await (await shown(visible(page, 'refund-state'))).textContent()).toBe('退款成功');
    await shot(page, 'order-12-refunded');

    expect(await docOf(journey.cloud, 'orders', orderId)).toMatchObject({ state: 'refunded', refunded: 14800 });
    expect(await docOf(journey.cloud, 'refunds', refund._id)).toMatchObject({ state: 'succeeded' });
    expect(await docOf(journey.cloud, 'coupons', couponId)).toMatchObject({ state: 'usable' });
    expect(await docOf(journey.cloud, 'skus', 'sku-spring-tea-250')).toMatchObject({ stock: 30 });

    // The coupon is back in the wallet.
    await page.goto(`${journey.cloud.url}/#/packages/coupon/wallet/index`);
    const usable = await shown(visible(page, 'wallet-usable'));
    await expect.poll(() => usable.getByTestId('coupon-name').allTextContents(), { timeout: 15_000 }).toContain('新人专享券');
    await shot(page, 'order-13-wallet-coupon-back');

    // The order list's 退款 tab and the member center's counts.
    await page.goto(`${journey.cloud.url}/#/packages/order/list/index?state=refund`);
    await shown(visible(page, 'orders-refund').getByTestId(`order-${orderId}`));
    await shot(page, 'order-14-list-refund');
    await page.goto(`${journey.cloud.url}/#/pages/member/index`);
    const refunds = await shown(visible(page, 'order-shortcut-refund'));
    await expect.poll(() => refunds.getByTestId('order-shortcut-count').textContent(), { timeout: 15_000 }).toBe('1');
    await shot(page, 'order-15-member-orders');
    await page.context().close();
  });

  it('a closed pay sheet leaves the order to pay within its time; 取消订单 asks first, then cancels', async () => {
    await memberOf(journey, 'bob');
    // A 满99减20 coupon that a ¥59 mug cannot use: the coupon sheet greys it with why.
    const claimed = await journey.cloud.invoke(
      'coupon',
      { action: 'claim', templateId: 'tpl-spring-99-20', requestId: 'orderjourney00002' },
      'bob',
    );
    expect(claimed, JSON.stringify(claimed)).toMatchObject({ ok: true });
    const page = await journey.open('packages/shop/detail/index?id=prd-spring-mug&persona=bob');
    await shown(visible(page, 'product-detail'));
    await visible(page, 'product-buy').click();
    const picker = await shown(visible(page, 'sku-picker'));
    // 米白 has 10 left: the sheet says how many.
    await picker.getByTestId('sku-value-颜色-米白').click();
    expect(await (await shown(picker.getByTestId('sku-stock'))).textContent()).toBe('仅剩 10 件');
    await visible(page, 'sku-confirm').click();

    await page.waitForURL(/packages\/order\/checkout\/index/, { timeout: 10_000 });
    await shown(visible(page, 'address-form'));
    await type(page, 'address-name', '小波');
    await type(page, 'address-phone', '13900139000');
    await type(page, 'address-region', '上海市 徐汇区');
    await type(page, 'address-detail', '漕溪北路 1 号');
    await visible(page, 'checkout-coupon').click();
    const sheet = await shown(visible(page, 'coupon-sheet'));
    const below = sheet.getByTestId(`coupon-option-${claimed.data.coupon.couponId}`);
    expect(await below.textContent()).toContain('未达到使用门槛');
    await shot(page, 'order-15b-coupon-sheet-inapplicable');
    // Tapping a coupon that does not apply changes nothing; the best one is chosen again.
    await below.click();
    await (await shown(sheet.getByTestId('coupon-best'))).click();
    await visible(page, 'checkout-submit').click();
    const paySheet = await shown(page.getByTestId('local-sheet-pay'));
    // NutUI's button takes the tap, not the text inside it.
    await paySheet
      .locator('taro-button-core')
      .filter({ hasText: /^取消$/ })
      .click();

    // The order waits, unpaid, with its countdown; nothing was paid.
    await page.waitForURL(/packages\/order\/detail\/index\?id=/, { timeout: 20_000 });
    const orderId = new URL(page.url().replace('#/', '')).searchParams.get('id') as string;
    expect(await (await shown(visible(page, 'order-state'))).textContent()).toBe('待付款');
    expect(await (await shown(visible(page, 'pay-countdown'))).textContent()).toMatch(/^剩余1[45]:\d\d后订单自动取消$/);
    await shown(visible(page, 'order-pay'));
    await shot(page, 'order-16-unpaid-countdown');
    // Bob's welcome pack (满50减8) was the best coupon: locked by the unpaid order.
    const unpaid = await docOf(journey.cloud, 'orders', orderId);
    expect(unpaid).toMatchObject({ state: 'created', subtotal: 5900, discount: 800, payable: 5100 });
    expect(await docOf(journey.cloud, 'coupons', unpaid.couponId)).toMatchObject({ state: 'locked' });

    // The list's 待付款 tab offers 去支付 with the time left.
    await page.goto(`${journey.cloud.url}/#/packages/order/list/index?state=created`);
    const card = await shown(visible(page, 'orders-created').getByTestId(`order-${orderId}`));
    await shown(card.getByTestId('order-pay'));
    expect(await card.getByTestId('pay-countdown').textContent()).toMatch(/^剩余\d\d:\d\d$/);
    await shot(page, 'order-17-list-unpaid');

    // 取消订单 asks first; 再想想 keeps the order, 取消订单 cancels it.
    await card.click();
    await page.waitForURL(/packages\/order\/detail\/index\?id=/, { timeout: 10_000 });
    await (await shown(visible(page, 'order-cancel'))).click();
    await shown(page.locator('.taro-modal__content').filter({ visible: true }));
    await shot(page, 'order-18-cancel-confirm');
    await page.locator('.taro-model__confirm').filter({ visible: true }).click();
    await expect.poll(() => visible(page, 'order-state').first().textContent(), { timeout: 15_000 }).toBe('已取消');
    await shot(page, 'order-19-cancelled');
    expect(await docOf(journey.cloud, 'orders', orderId)).toMatchObject({ state: 'cancelled' });
    expect(await docOf(journey.cloud, 'skus', 'sku-spring-mug-white')).toMatchObject({ stock: 10 });
    expect(await docOf(journey.cloud, 'coupons', unpaid.couponId)).toMatchObject({ state: 'usable' });
    await page.context().close();
  });

  it('a reader without orders sees empty tabs with a next step; an order past its pay-by time says so', async () => {
    const page = await journey.open('packages/order/list/index?persona=alice');
    const next = await shown(visible(page, 'orders-all').getByTestId('status-next'));
    expect(await next.textContent()).toBe('去逛逛');
    await shot(page, 'order-20-list-empty');
    await next.click();
    await page.waitForURL(/packages\/shop\/list\/index/, { timeout: 10_000 });
    await shown(visible(page, 'product-grid'));
    await shot(page, 'order-21-product-list');

    // An order left unpaid past its time: 订单已超时, and no 去支付 (the server's clock decides, not the phone's).
    const made = await createOrder(journey.cloud, 'alice', [{ skuId: 'sku-spring-cream-1', quantity: 1 }], 'orderjourney00003');
    expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
    await journey.cloud.client.clock.advance(16 * 60_000);
    await page.goto(`${journey.cloud.url}/#/packages/order/detail/index?id=${made.data.order.orderId}`);
    await expect.poll(() => visible(page, 'order-state').first().textContent(), { timeout: 15_000 }).toBe('订单已超时');
    expect(await visible(page, 'order-pay').count()).toBe(0);
    await shot(page, 'order-22-timed-out');
    await page.context().close();
  });
});
