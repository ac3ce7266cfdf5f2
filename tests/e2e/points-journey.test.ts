import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/lib/seed';
import { templateInput } from '../support/coupons';
import { useJourney } from '../support/journey';
import { shot, shown, visible } from '../support/pages';

/**
 * A member checks in from the storefront's 签到 entry: the balance rises by what the server
 * awarded and today's cell of the calendar is ticked. Then, in the points mall, she exchanges
 * points for a coupon: the success page leads to the wallet, where the coupon is, and 我的兑换
 * lists the exchange. With DUET_SHOTS=<dir>, every page is saved at 390×844.
 */
const NOW = '2026-12-03T02:00:00.000Z';
const TEMPLATE = 'tpl-journey-points-5';
const ITEM = 'mi-journey-coupon-5';
const ITEM_POINTS = 60;

describe('points: check in, then exchange points for a coupon', () => {
  const journey = useJourney();
  let alice: { _id: string };

  beforeAll(async () => {
    await journey.cloud.client.clock.set(NOW);
    await seedDemo(journey.cloud.url);
    // The operator's jobs: a coupon only the mall hands out, and the mall item that issues it.
    const template = await journey.cloud.invoke('couponAdmin', {
      action: 'createCouponTemplate',
      id: TEMPLATE,
      listed: false,
      template: templateInput({
        name: '积分兑换5元券',
        terms: { kind: 'no_threshold', amountOff: 500 },
        perMemberLimit: 5,
      }),
    });
    expect(template, JSON.stringify(template)).toMatchObject({ ok: true });
    const now = Date.parse(NOW);
    const item = await journey.cloud.invoke('pointsAdmin', {
      action: 'createMallItem',
      id: ITEM,
      item: {
        kind: 'coupon',
        title: '5元无门槛券',
        points: ITEM_POINTS,
        templateId: TEMPLATE,
        stock: 20,
        perMemberLimit: 2,
        startAt: new Date(now - 3_600_000).toISOString(),
        endAt: new Date(now + 7 * 24 * 3_600_000).toISOString(),
      },
    });
    expect(item, JSON.stringify(item)).toMatchObject({ ok: true });
    const login = await journey.cloud.invoke('member', { action: 'login' }, 'alice');
    expect(login, JSON.stringify(login)).toMatchObject({ ok: true });
    alice = login.data;
    // Enough points for the item whatever the demo gave her: an operator's grant, recorded in her history.
    const granted = await journey.cloud.invoke('pointsAdmin', {
      action: 'adjustPoints',
      memberId: alice._id,
      delta: 100,
      reason: '积分旅程测试',
      requestId: 'journey-grant-0001',
    });
    expect(granted, JSON.stringify(granted)).toMatchObject({ ok: true });
  });

  it('checks in, exchanges a coupon, finds it in the wallet and in 我的兑换', async () => {
    // The storefront's 签到 entry opens the points center.
    const page = await journey.open('pages/index/index?persona=alice');
    await (await shown(visible(page, 'home-entry-checkin'))).click();
    await page.waitForURL(/packages\/points\/center\/index/, { timeout: 10_000 });
    const balanceText = await (await shown(visible(page, 'points-balance'))).textContent();
    const before = Number(balanceText);
    expect(before).toBeGreaterThanOrEqual(100);
    const button = visible(page, 'points-checkin-button');
    expect(await button.textContent()).toBe('立即签到');
    const todayCell = () => visible(page, 'checkin-day').filter({ has: page.getByText(/^(今天|已签到)$/) });
    expect(await visible(page, 'checkin-day').count()).toBe(7);
    expect(await todayCell().getAttribute('class')).not.toContain('checkin-day--done');
    expect(await visible(page, 'points-checkin-rule').textContent()).toMatch(/连续签到/);
    // Her grant heads the history, with the balance after it.
    const history = await shown(visible(page, 'ledger-row'));
    expect(await history.getByTestId('ledger-delta').textContent()).toBe('+100');
    await shot(page, 'points-01-center');

    // 立即签到: the toast says what the server awarded; the balance rises by exactly that.
    await button.click();
    const toast = page.getByText(/^(签到成功|连续签到奖励) \+\d+ 积分$/);
    await toast.waitFor({ state: 'visible', timeout: 15_000 });
    const awarded = Number((await toast.textContent())?.match(/\+(\d+)/)?.[1]);
    expect(awarded).toBeGreaterThan(0);
    await expect.poll(() => visible(page, 'points-balance').textContent(), { timeout: 10_000 }).toBe(String(before + awarded));
    expect(await todayCell().getAttribute('class')).toContain('checkin-day--done');
    expect(await todayCell().textContent()).toContain('已签到');
    expect(await button.textContent()).toBe('今日已签到');
    expect(await button.getAttribute('class')).toContain('nut-button-disabled');
    await expect.poll(() => visible(page, 'ledger-title').first().textContent(), { timeout: 10_000 }).toBe('每日签到');
    expect(await visible(page, 'ledger-delta').first().textContent()).toBe(`+${awarded}`);
    await shot(page, 'points-02-checked-in');
    const afterCheckIn = before + awarded;

    // The mall: her balance over the items; the coupon item is available.
    await visible(page, 'points-to-mall').click();
    await page.waitForURL(/packages\/points\/mall\/index/, { timeout: 10_000 });
    const mallBalance = await shown(visible(page, 'mall-balance-points'));
    await expect.poll(() => mallBalance.textContent(), { timeout: 10_000 }).toBe(String(afterCheckIn));
    const tile = await shown(visible(page, `mall-item-${ITEM}`));
    expect(await tile.getByTestId('points-price').textContent()).toBe(`${ITEM_POINTS}积分`);
    expect(await tile.getByTestId('mall-item-tag').count()).toBe(0);
    await shot(page, 'points-03-mall');
    await tile.click();

    // The item: 立即兑换 opens the confirmation with what it costs and what is left after.
    await page.waitForURL(/packages\/points\/item\/index\?id=/, { timeout: 10_000 });
    expect(await (await shown(visible(page, 'mall-item-name'))).textContent()).toBe('5元无门槛券');
    expect(await visible(page, 'mall-item-limit').textContent()).toBe('每人限兑 2 次');
    const exchange = visible(page, 'mall-item-exchange');
    expect(await exchange.textContent()).toBe('立即兑换');
    await shot(page, 'points-04-item');
    await exchange.click();
    const sheet = await shown(visible(page, 'mall-confirm'));
    expect(await sheet.getByTestId('mall-confirm-points').textContent()).toBe(`${ITEM_POINTS} 积分`);
    expect(await sheet.textContent()).toContain(`${afterCheckIn - ITEM_POINTS} 积分`);
    await shot(page, 'points-05-confirm');
    await sheet.getByTestId('mall-confirm-submit').click();

    // Success: what it cost and the balance after; 查看券包 opens the wallet with the coupon in it.
    const success = await shown(visible(page, 'exchange-success'));
    expect(await success.getByTestId('exchange-success-spent').textContent()).toBe(
      `消耗 ${ITEM_POINTS} 积分，剩余 ${afterCheckIn - ITEM_POINTS} 积分`,
    );
    await shot(page, 'points-06-success');
    await success.getByTestId('exchange-success-wallet').click();
    await page.waitForURL(/packages\/coupon\/wallet\/index/, { timeout: 10_000 });
    const usable = await shown(visible(page, 'wallet-usable'));
    await expect
      .poll(() => usable.getByTestId('coupon-name').allTextContents(), { timeout: 15_000 })
      .toEqual(expect.arrayContaining(['积分兑换5元券']));
    await shot(page, 'points-07-wallet');

    // 我的兑换 (from the member center): the exchange, what it cost, its state and 去使用.
    await page.goto(`${journey.cloud.url}/#/pages/member/index?persona=alice`);
    await (await shown(page.getByText('我的兑换').filter({ visible: true }))).click();
    await page.waitForURL(/packages\/points\/exchanges\/index/, { timeout: 10_000 });
    const exchangeCard = await shown(
      page
        .locator('[data-testid^="exchange-"]')
        .filter({ visible: true })
        .filter({ has: page.getByTestId('exchange-title').filter({ hasText: '5元无门槛券' }) }),
    );
    expect(await exchangeCard.getByTestId('points-price').textContent()).toBe(`${ITEM_POINTS}积分`);
    expect(await exchangeCard.getByTestId('exchange-state').textContent()).toBeTruthy();
    await shown(exchangeCard.getByTestId('exchange-use'));
    await shot(page, 'points-08-exchanges');
    // Names and numbers for people only: no member, item or coupon id on the page.
    const text = (await page.locator('body').textContent()) ?? '';
    for (const id of [alice._id, ITEM, TEMPLATE]) expect(text).not.toContain(id);

    // The server agrees: points spent once, one coupon of the template.
    const summary = await journey.cloud.invoke('points', { action: 'summary' }, 'alice');
    expect(summary.data.balance).toBe(afterCheckIn - ITEM_POINTS);
    const coupons = await journey.cloud.db().collection('coupons').where({ memberId: alice._id, templateId: TEMPLATE }).get();
    expect(coupons.data).toHaveLength(1);
    await page.context().close();
  });
});
