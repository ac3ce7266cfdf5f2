import type { Page } from 'playwright-core';
import { describe, expect, it, beforeAll } from 'vitest';
import { seedDemo } from '../../scripts/lib/seed';
import { docOf, docsOf } from '../support/orders';
import { useJourney } from '../support/journey';
import { shot, shown, visible } from '../support/pages';

/**
 * 砍价 with two personas: alice opens the demo bargain (every cut shown before anything), starts her
 * task; bob opens her card (through the landing page, as a share card does) and cuts the first
 * fixed amount; alice sees it, buys at the price of that moment on the local pay sheet and the order
 * is paid at exactly that price. With DUET_SHOTS=<dir>, every page is saved at 390×844.
 */
const NOW = '2026-12-05T02:00:00.000Z';
const BARGAIN = 'bg-spring-cream';

async function type(page: Page, testId: string, text: string) {
  await (await shown(visible(page, testId).locator('input'))).fill(text);
}

describe('bargain: start, a friend cuts through the card, buy at the current price', () => {
  const journey = useJourney();

  beforeAll(async () => {
    await journey.cloud.client.clock.set(NOW);
    await seedDemo(journey.cloud.url);
  });

  it('alice starts, bob cuts ¥6.66 from her card, alice pays ¥32.34', async () => {
    const alice = (await journey.cloud.invoke('member', { action: 'login' }, 'alice')).data;
    // The storefront's 砍价 entry: the running bargains; the demo one opens its offer.
    const page = await journey.open('packages/bargain/task/index?persona=alice');
    const item = await shown(visible(page, 'bargain-list-item'));
    await shot(page, 'bargain-00-list');
    await item.click();
    await page.waitForURL(new RegExp(`packages/bargain/task/index\\?bargain=${BARGAIN}`), { timeout: 10_000 });
    const rule = await shown(visible(page, 'bargain-rule'));
    expect(await rule.textContent()).toBe('3 位好友帮砍，每人砍 ¥6.66，最后一位砍 ¥6.68，最低 ¥19.00');
    const main = visible(page, 'bargain-main');
    await expect.poll(() => main.textContent(), { timeout: 10_000 }).toBe('发起砍价');
    await shot(page, 'bargain-01-offer');
    await main.click();
    await shown(visible(page, 'bargain-task'));
    await expect.poll(() => visible(page, 'bargain-state').textContent(), { timeout: 10_000 }).toBe('已砍 ¥0.00，还差 3 位好友');
    expect(await main.textContent()).toBe('¥39.00 立即购买');
    await shot(page, 'bargain-02-my-task');
    const [task] = await docsOf(journey.cloud, 'bargain_tasks', { bargainId: BARGAIN, ownerId: alice._id });

    // bob opens alice's card: the landing page records the share and opens the task.
    const friend = await journey.open(
      `packages/entry/landing/index?sharer=${alice._id}&to=${encodeURIComponent('packages/bargain/task/index')}&id=${task._id}&persona=bob`,
    );
    await friend.waitForURL(/packages\/bargain\/task\/index\?id=/, { timeout: 15_000 });
    const cutButton = visible(friend, 'bargain-main');
    await expect.poll(() => cutButton.textContent(), { timeout: 15_000 }).toBe('帮TA砍一刀（¥6.66）');
    await shot(friend, 'bargain-03-friend');
    await cutButton.click();
    await expect.poll(() => cutButton.textContent(), { timeout: 10_000 }).toBe('已帮砍 ¥6.66，我也要砍价');
    await shot(friend, 'bargain-04-friend-cut');
    const text = (await friend.locator('body').textContent()) ?? '';
    for (const id of [alice._id, task._id]) expect(text).not.toContain(id);
    await friend.context().close();

    // alice comes back: one friend, the price ¥32.34; she buys at it.
    await page.reload();
    await expect.poll(() => visible(page, 'bargain-state').textContent(), { timeout: 15_000 }).toBe('已砍 ¥6.66，还差 2 位好友');
    await expect.poll(() => visible(page, 'bargain-main').textContent(), { timeout: 10_000 }).toBe('¥32.34 立即购买');
    await shot(page, 'bargain-05-after-cut');
    await visible(page, 'bargain-main').click();
    await shown(visible(page, 'bargain-buy'));
    await type(page, 'address-name', '爱丽丝');
    await type(page, 'address-phone', '13800138000');
    await type(page, 'address-region', '浙江省 杭州市 西湖区');
    await type(page, 'address-detail', '文三路 100 号');
    await visible(page, 'address-save').click();
    expect(await (await shown(visible(page, 'bargain-buy-price'))).textContent()).toBe('¥32.34');
    await shot(page, 'bargain-06-buy-sheet');
    await visible(page, 'bargain-buy-confirm').click();
    const paySheet = await shown(page.getByTestId('local-sheet-pay'));
    expect(await paySheet.getByTestId('pay-amount').textContent()).toBe('¥32.34');
    await paySheet
      .locator('taro-button-core')
      .filter({ hasText: /^确认支付$/ })
      .click();
    await page.waitForURL(/packages\/order\/detail\/index\?id=/, { timeout: 20_000 });
    const orderId = new URL(page.url().replace('#/', '')).searchParams.get('id') as string;
    await expect.poll(async () => (await docOf(journey.cloud, 'orders', orderId))?.state, { timeout: 15_000 }).toBe('paid');
    expect(await docOf(journey.cloud, 'orders', orderId)).toMatchObject({
      payable: 3234,
      bargain: { bargainId: BARGAIN, taskId: task._id, cut: 666 },
    });
    await shot(page, 'bargain-07-paid');

    // The list page (the member center's entry): her task, bought, above the running bargains.
    await page.context().close();
    const list = await journey.open('packages/bargain/task/index?persona=alice');
    const mine = await shown(visible(list, 'bargain-mine-item'));
    await expect.poll(() => mine.textContent(), { timeout: 10_000 }).toContain('已购买 · 已有 1/3 位好友帮砍');
    await shot(list, 'bargain-08-mine');
    await list.context().close();
  });
});
