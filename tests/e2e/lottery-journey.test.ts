import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/lib/seed';
import { useJourney } from '../support/journey';
import { shot, shown, visible } from '../support/pages';

/**
 * A member opens the lottery as the 公众号's 抽奖 card or menu button opens it, sees the prizes with
 * their published odds, draws with her points, wins the cup (a table that gives it at 100%), gives
 * her address in 我的抽奖, and the prize becomes an order. With DUET_SHOTS=<dir>, every page is
 * saved at 390×844.
 */
const NOW = '2026-12-03T02:00:00.000Z';

async function type(page: Page, testId: string, text: string) {
  await (await shown(visible(page, testId).locator('input'))).fill(text);
}

describe('lottery: draw with points, win the cup, give the address', () => {
  const journey = useJourney();

  beforeAll(async () => {
    await journey.cloud.client.clock.set(NOW);
    await seedDemo(journey.cloud.url);
  });

  it('shows the demo lottery from the 公众号 card (no id): prizes, odds, balance, draws left', async () => {
    const page = await journey.open('packages/lottery/index/index?persona=alice');
    expect(await (await shown(visible(page, 'lottery-title'))).textContent()).toBe('会员积分抽奖');
    expect(await visible(page, 'lottery-prize-odds').allTextContents()).toEqual(['0.50%', '19.50%', '30.00%', '50.00%']);
    expect(await visible(page, 'lottery-balance').textContent()).toBe('1200');
    expect(await visible(page, 'lottery-left').textContent()).toBe('5 次');
    expect(await visible(page, 'lottery-draw').textContent()).toBe('立即抽奖（50 积分）');
    await shot(page, 'lottery-01-demo');
    await page.context().close();
  });

  it('draws, wins the cup, gives the address, and the prize becomes an order', async () => {
    // An operator's table that gives the cup at 100% (after the first test: the page without an id shows the newest open lottery).
    const made = await journey.cloud.invoke('lotteryAdmin', {
      action: 'createLottery',
      id: 'lt-journey',
      lottery: {
        title: '樱花杯必中抽奖',
        description: '旅程测试：必中樱花杯',
        price: 100,
        perMemberDaily: 2,
        startAt: '2026-12-01T00:00:00+08:00',
        endAt: '2026-12-31T23:59:59+08:00',
        prizes: [
          { id: 'mug', kind: 'product', title: '樱花杯（樱粉）', odds: 10000, stock: 1, skuId: 'sku-spring-mug-pink' },
          { id: 'thanks', kind: 'thanks', title: '谢谢参与', odds: 0 },
        ],
      },
    });
    expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
    const page = await journey.open('packages/lottery/index/index?id=lt-journey&persona=alice');
    const button = await shown(visible(page, 'lottery-draw'));
    expect(await button.textContent()).toBe('立即抽奖（100 积分）');
    await button.click();
    const result = await shown(visible(page, 'lottery-result'));
    expect(await result.getByTestId('lottery-result-title').textContent()).toBe('恭喜获得 樱花杯（樱粉）');
    expect(await result.textContent()).toContain('消耗 100 积分，剩余 1100 积分');
    await shot(page, 'lottery-02-won');

    await result.getByTestId('lottery-result-claim').click();
    await page.waitForURL(/packages\/lottery\/mine\/index\?claim=/, { timeout: 10_000 });
    await shown(visible(page, 'claim-sheet'));
    await type(page, 'address-name', '爱丽丝');
    await type(page, 'address-phone', '13800138000');
    await type(page, 'address-region', '浙江省 杭州市 西湖区');
    await type(page, 'address-detail', '文三路 100 号');
    await visible(page, 'address-save').click();
    await shown(visible(page, 'address-summary'));
    await shot(page, 'lottery-03-address');
    await visible(page, 'claim-submit').click();
    await expect.poll(() => visible(page, 'draw-card-state').first().textContent(), { timeout: 15_000 }).toBe('已安排包邮寄出');
    await shot(page, 'lottery-04-mine');

    const draws = (await journey.cloud.db().collection('lottery_draws').where({ lotteryId: 'lt-journey' }).get()).data;
    expect(draws).toHaveLength(1);
    expect(draws[0]).toMatchObject({ state: 'done', prizeId: 'mug', claim: 'claimed' });
    const [order] = (await journey.cloud.db().collection('orders').where({ _id: draws[0].orderId }).get()).data;
    expect(order).toMatchObject({ state: 'paid', payable: 0, address: { name: '爱丽丝' } });

    // The cup is gone: the lottery page says so and the next draw would be thanks.
    await page.goto(`${journey.cloud.url}/#/packages/lottery/index/index?id=lt-journey&persona=alice`);
    await expect.poll(() => visible(page, 'lottery-left').textContent(), { timeout: 10_000 }).toBe('1 次');
    expect(await visible(page, 'lottery-prize').first().textContent()).toContain('已抽完');
    await page.context().close();
  });
});
