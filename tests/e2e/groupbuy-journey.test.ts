import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/lib/seed';
import { useJourney } from '../support/journey';
import { ADDRESS, docOf, docsOf, runJobs } from '../support/orders';
import { shot, shown, visible } from '../support/pages';

/**
 * Two readers make a group of two. Alice opens one from the storefront (activity → 樱粉 → checkout
 * with an address → the local pay sheet), copies the invite with the H5 button; Bob, in a browser
 * of his own, opens that link: the landing page attributes him to Alice and shows the invite page,
 * he joins and pays; both pages then show 拼团成功, and the database agrees. A third reader finds
 * the group full and is sent to the activity. With DUET_SHOTS=<dir>, every page is saved at 390×844.
 */
const NOW = '2026-12-03T02:00:00.000Z';
const ACTIVITY = 'gb-mug';

/** Taro's H5 Input is a web component with the real <input> inside. */
async function type(page: Page, testId: string, text: string) {
  await (await shown(visible(page, testId).locator('input'))).fill(text);
}

async function fillAddress(page: Page, address: { name: string; phone: string; region: string; detail: string }) {
  await shown(visible(page, 'address-form'));
  await type(page, 'address-name', address.name);
  await type(page, 'address-phone', address.phone);
  await type(page, 'address-region', address.region);
  await type(page, 'address-detail', address.detail);
  await visible(page, 'address-save').click();
  await shown(visible(page, 'address-summary'));
}

/** The local pay sheet's 确认支付 (NutUI's button takes the tap, not the text inside it). */
async function payOnSheet(page: Page, amount: string, name: string) {
  const sheet = await shown(page.getByTestId('local-sheet-pay'));
  expect(await sheet.getByTestId('pay-amount').textContent()).toBe(amount);
  await shot(page, name);
  await sheet
    .locator('taro-button-core')
    .filter({ hasText: /^确认支付$/ })
    .click();
}

/** What Taro's H5 setClipboardData wrote (it keeps a copy in storage under `taro_clipboard`). */
async function copiedText(page: Page): Promise<string> {
  const stored = await page.evaluate(() => localStorage.getItem('taro_clipboard'));
  expect(stored).toBeTruthy();
  const parsed = JSON.parse(stored as string) as { data?: unknown };
  return String(parsed.data ?? '');
}

describe('group-buy: open, invite by link, join, succeed', () => {
  const journey = useJourney();
  let alice: { _id: string };

  beforeAll(async () => {
    await journey.cloud.client.clock.set(NOW);
    // The demo brand: personas with nicknames and the spring products with pictures.
    await seedDemo(journey.cloud.url);
    // The operator's admin job: the mug at ¥39 (from ¥49) for two, in two colours.
    const now = Date.parse(NOW);
    const made = await journey.cloud.invoke('groupbuyAdmin', {
      action: 'createGroupBuy',
      id: ACTIVITY,
      activity: {
        title: '樱花杯两人团',
        productId: 'prd-spring-mug',
        skus: [
          { skuId: 'sku-spring-mug-pink', groupPrice: 3900 },
          { skuId: 'sku-spring-mug-blue', groupPrice: 3900 },
        ],
        size: 2,
        fillHours: 24,
        startAt: new Date(now - 3_600_000).toISOString(),
        endAt: new Date(now + 7 * 24 * 3_600_000).toISOString(),
        stock: 50,
        perMemberLimit: 1,
      },
    });
    expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
    const login = await journey.cloud.invoke('member', { action: 'login' }, 'alice');
    expect(login, JSON.stringify(login)).toMatchObject({ ok: true });
    alice = login.data;
  });

  it('the leader opens and pays, the friend joins through the copied link and pays, both see 拼团成功', async () => {
    // Alice: the storefront's 拼团 section shows the mug; nobody has opened a group yet.
    const leader = await journey.open('pages/index/index?persona=alice');
    const row = await shown(visible(leader, `home-group-${ACTIVITY}`));
    expect(await row.textContent()).toContain('去开团');
    await visible(leader, 'home-groups').scrollIntoViewIfNeeded();
    await shot(leader, 'group-01-home');
    await row.click();

    // The activity: ¥39 against ¥49, the rule, no groups yet; 我要开团 asks for a colour first.
    await leader.waitForURL(/packages\/groupbuy\/activity\/index\?id=gb-mug/, { timeout: 10_000 });
    expect(await (await shown(visible(leader, 'group-activity-title'))).textContent()).toBe('樱花陶瓷马克杯');
    expect(await visible(leader, 'group-rule').textContent()).toBe('满2人成团，24小时内未成团自动退款');
    expect(await visible(leader, 'group-saving').textContent()).toBe('立省 ¥10.00');
    const struck = visible(leader, 'group-price').first().locator('.nut-price-line').first();
    expect(await struck.evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe('line-through');
    expect(await visible(leader, 'group-activity-groups').textContent()).toContain('还没有人开团');
    await shot(leader, 'group-02-activity');
    await visible(leader, 'group-sku-sku-spring-mug-pink').click();
    expect(await visible(leader, 'group-open').textContent()).toBe('我要开团 ¥39.00');
    await shot(leader, 'group-03-activity-chosen');
    await visible(leader, 'group-open').click();

    // Checkout in group mode: the seat card, no coupon (the activity allows none), ¥39 to pay.
    await leader.waitForURL(/packages\/order\/checkout\/index\?activity=gb-mug&sku=sku-spring-mug-pink/, { timeout: 10_000 });
    expect(await (await shown(visible(leader, 'checkout-seat'))).textContent()).toContain('开团 · 2人团');
    expect(await visible(leader, 'checkout-coupon').textContent()).toContain('拼团商品不可用券');
    await shot(leader, 'group-04-checkout-open');
    await fillAddress(leader, { name: '爱丽丝', phone: '13800138001', region: '浙江省 杭州市 西湖区', detail: '文三路 100 号' });
    expect(await visible(leader, 'checkout-submit').textContent()).toBe('开团并支付');
    await shot(leader, 'group-05-checkout-open-ready');
    await visible(leader, 'checkout-submit').click();
    await payOnSheet(leader, '¥39.00', 'group-06-pay-sheet-leader');

    // The invite page: Alice in, one dashed seat free, 还差 1 人成团 with the countdown, 已参团.
    await leader.waitForURL(/packages\/groupbuy\/group\/index\?id=/, { timeout: 20_000 });
    const groupId = new URL(leader.url().replace('#/', '')).searchParams.get('id') as string;
    await expect.poll(() => visible(leader, 'group-state').first().textContent(), { timeout: 15_000 }).toBe('还差 1 人成团');
    expect(await visible(leader, 'group-countdown').textContent()).toMatch(/^剩余 2[34]:\d\d:\d\d 结束$/);
    // Members have no profile name yet: WeChat's own 微信用户, the leader marked.
    expect(await visible(leader, 'group-avatar').allTextContents()).toEqual(['微团长微信用户']);
    expect(await visible(leader, 'group-avatar-free').count()).toBe(1);
    expect(await visible(leader, 'group-main').textContent()).toBe('已参团');
    await shot(leader, 'group-07-invite-leader');
    expect(await docOf(journey.cloud, 'groups', groupId)).toMatchObject({ state: 'open', paid: 1, size: 2 });

    // 复制邀请链接: the landing page with Alice as the sharer, the invite page and the group — never her persona.
    await visible(leader, 'group-copy-invite').click();
    await shown(leader.getByText('已复制'));
    await shot(leader, 'group-08-invite-copied');
    const link = await copiedText(leader);
    const hash = new URL(link).hash;
    expect(link.startsWith(journey.cloud.url)).toBe(true);
    expect(hash).toBe(
      `#/packages/entry/landing/index?sharer=${encodeURIComponent(alice._id)}&to=packages%2Fgroupbuy%2Fgroup%2Findex&id=${encodeURIComponent(groupId)}`,
    );
    expect(link).not.toContain('persona');

    // Bob, on a phone of his own: the link lands on the invite page, as someone not in the group yet.
    // First his storefront and the activity: Alice's group is there to join (who is in, 还差 1 人, the time left).
    let friend = await journey.open('pages/index/index?persona=bob');
    const context = friend.context();
    const open = await shown(visible(friend, `home-group-${ACTIVITY}`));
    await expect.poll(() => open.getByTestId('home-group-missing').textContent(), { timeout: 15_000 }).toBe('还差1人');
    await visible(friend, 'home-groups').scrollIntoViewIfNeeded();
    await shot(friend, 'group-08b-home-open-group');
    await friend.goto(`${journey.cloud.url}/#/packages/groupbuy/activity/index?id=${ACTIVITY}`);
    const card = await shown(visible(friend, `open-group-${groupId}`));
    expect(await card.textContent()).toContain('微信用户的团');
    expect(await card.getByTestId('open-group-missing').textContent()).toBe('还差 1 人');
    await visible(friend, 'group-activity-groups').scrollIntoViewIfNeeded();
    await shot(friend, 'group-08c-activity-open-group');
    // The link opens as a link does: a fresh page (the same document would only change its hash).
    await friend.close();
    friend = await context.newPage();
    await friend.goto(link);
    await friend.waitForURL(/packages\/groupbuy\/group\/index\?id=/, { timeout: 20_000 });
    expect(new URL(friend.url().replace('#/', '')).searchParams.get('id')).toBe(groupId);
    await expect.poll(() => visible(friend, 'group-main').first().textContent(), { timeout: 15_000 }).toBe('参团');
    expect(await visible(friend, 'group-state').textContent()).toBe('还差 1 人成团');
    expect(await visible(friend, 'group-invite-title').textContent()).toBe('樱花陶瓷马克杯');
    await shot(friend, 'group-09-invite-friend');
    // The visit is Bob's touch, credited to Alice's share.
    const bobLogin = await journey.cloud.invoke('member', { action: 'login' }, 'bob');
    expect(bobLogin.data.firstTouch).toMatchObject({ channel: 'share', sharer: alice._id });

    // 参团: two colours, so the sheet asks which; then checkout in join mode.
    await visible(friend, 'group-main').click();
    await shown(visible(friend, 'group-sku-choice'));
    await visible(friend, 'group-sku-sku-spring-mug-blue').click();
    await shot(friend, 'group-10-join-sku');
    await visible(friend, 'group-sku-confirm').click();
    await friend.waitForURL(/packages\/order\/checkout\/index\?group=/, { timeout: 10_000 });
    expect(await (await shown(visible(friend, 'checkout-seat'))).textContent()).toContain('参加微信用户的团');
    await fillAddress(friend, { name: '小波', phone: '13900139000', region: '上海市 徐汇区', detail: '漕溪北路 1 号' });
    expect(await visible(friend, 'checkout-submit').textContent()).toBe('参团并支付');
    await shot(friend, 'group-11-checkout-join');
    await visible(friend, 'checkout-submit').click();
    await payOnSheet(friend, '¥39.00', 'group-12-pay-sheet-friend');

    // Bob's payment fills the group: 拼团成功 on his page, and on Alice's once she looks again.
    await friend.waitForURL(/packages\/groupbuy\/group\/index\?id=/, { timeout: 20_000 });
    await expect.poll(() => visible(friend, 'group-state').first().textContent(), { timeout: 15_000 }).toBe('拼团成功');
    expect(await visible(friend, 'group-main').textContent()).toBe('已参团');
    expect(await visible(friend, 'group-avatar').allTextContents()).toEqual(['微团长微信用户', '微微信用户']);
    expect(await visible(friend, 'group-avatar-free').count()).toBe(0);
    await shot(friend, 'group-13-success-friend');
    // Names and numbers for people only: no group, order or member id on the page.
    const shown13 = (await friend.locator('body').textContent()) ?? '';
    for (const id of [groupId, alice._id, bobLogin.data._id]) expect(shown13).not.toContain(id);
    await leader.reload();
    await expect.poll(() => visible(leader, 'group-state').first().textContent(), { timeout: 15_000 }).toBe('拼团成功');
    await shot(leader, 'group-14-success-leader');

    // The database: the group succeeded with both seats paid; both orders paid at ¥39 and marked succeeded.
    expect(await docOf(journey.cloud, 'groups', groupId)).toMatchObject({ state: 'succeeded', paid: 2, taken: 2 });
    const orders = await docsOf(journey.cloud, 'orders', { 'group.groupId': groupId });
    expect(orders.map((o) => [o.state, o.payable, o.group.state])).toEqual([
      ['paid', 3900, 'succeeded'],
      ['paid', 3900, 'succeeded'],
    ]);
    expect((await leader.locator('body').textContent()) ?? '').not.toContain(groupId);

    // 我的拼团 from the member center; the tag names the outcome, the card leads back to the group.
    await leader.goto(`${journey.cloud.url}/#/pages/member/index`);
    const entry = await shown(leader.getByText('我的拼团', { exact: true }).filter({ visible: true }));
    await shot(leader, 'group-15a-member-center');
    await entry.click();
    await leader.waitForURL(/packages\/groupbuy\/mine\/index/, { timeout: 10_000 });
    const mine = await shown(visible(leader, `my-group-${groupId}`));
    expect(await mine.getByTestId('my-group-tag').textContent()).toBe('拼团成功');
    await shot(leader, 'group-15-mine');
    await mine.click();
    await leader.waitForURL(/packages\/groupbuy\/group\/index\?id=/, { timeout: 10_000 });
    await leader.context().close();
    await friend.context().close();
  });

  it('a third reader finds the group full and is sent to open one; the list and an empty 我的拼团 lead on', async () => {
    const [group] = await docsOf(journey.cloud, 'groups', { activityId: ACTIVITY, state: 'succeeded' });
    const page = await journey.open(`packages/groupbuy/group/index?id=${group._id}&persona=carol`);
    await expect.poll(() => visible(page, 'group-main').first().textContent(), { timeout: 15_000 }).toBe('已满员，去参加别的团');
    expect(await visible(page, 'group-state').textContent()).toBe('拼团成功');
    await shot(page, 'group-16-invite-full');
    await visible(page, 'group-main').click();
    await page.waitForURL(/packages\/groupbuy\/activity\/index\?id=gb-mug/, { timeout: 10_000 });
    await shown(visible(page, 'group-activity'));

    await page.goto(`${journey.cloud.url}/#/packages/groupbuy/list/index`);
    const card = await shown(visible(page, `group-activity-${ACTIVITY}`));
    expect(await card.getByTestId('group-activity-open').textContent()).toBe('快来开团');
    await shot(page, 'group-17-list');

    await page.goto(`${journey.cloud.url}/#/packages/groupbuy/mine/index`);
    const next = await shown(visible(page, 'my-groups').getByTestId('status-next'));
    expect(await next.textContent()).toBe('去逛逛');
    await shot(page, 'group-18-mine-empty');
    await next.click();
    await page.waitForURL(/packages\/groupbuy\/list\/index/, { timeout: 10_000 });
    await page.context().close();
  });

  it("the product page offers the product's group-buy (¥39 两人团) and leads to the activity", async () => {
    const page = await journey.open('packages/shop/detail/index?id=prd-spring-mug&persona=bob');
    const entry = await shown(visible(page, 'product-group'));
    expect(await entry.textContent()).toMatch(/^¥39\.002人团.*去拼团/);
    await shot(page, 'group-22-product-entry');
    await entry.click();
    await page.waitForURL(/packages\/groupbuy\/activity\/index\?id=gb-/, { timeout: 10_000 });
    expect(await (await shown(visible(page, 'group-activity-title'))).textContent()).toBe('樱花陶瓷马克杯');
    await page.context().close();
  });

  it('a group that does not fill fails: the invite page says so, 我的拼团 says 退款中 until the refund lands', async () => {
    // Carol opens a group and pays (through the functions, as the app would); nobody joins.
    const opened = await journey.cloud.invoke(
      'groupbuy',
      { action: 'open', activityId: ACTIVITY, skuId: 'sku-spring-mug-pink', requestId: 'groupjourney0001', address: ADDRESS },
      'carol',
    );
    expect(opened, JSON.stringify(opened)).toMatchObject({ ok: true });
    const groupId: string = opened.data.group.groupId;
    await journey.cloud.client.payments.settle(opened.data.order.orderId);
    // A day later the deadline job fails it and the refund is submitted.
    await journey.cloud.client.clock.advance(25 * 3_600_000);
    const jobs = await runJobs(journey.cloud, ['expireGroups', 'driveRefunds']);
    // The demo group the seed opened (bob's) fails at the same time: only Carol's matters here.
    expect(jobs.expireGroups.result.failed).toBeGreaterThanOrEqual(1);
    expect(await docOf(journey.cloud, 'groups', groupId)).toMatchObject({ state: 'failed' });

    const page = await journey.open(`packages/groupbuy/group/index?id=${groupId}&persona=carol`);
    await expect.poll(() => visible(page, 'group-state').first().textContent(), { timeout: 15_000 }).toBe('拼团失败');
    expect(await visible(page, 'group-invite').textContent()).toContain('未在时限内成团，款项将原路退回');
    expect(await visible(page, 'group-main').textContent()).toBe('已结束');
    await shown(visible(page, 'group-more'));
    await shot(page, 'group-19-failed');

    await page.goto(`${journey.cloud.url}/#/packages/groupbuy/mine/index`);
    const card = await shown(visible(page, `my-group-${groupId}`));
    await expect.poll(() => card.getByTestId('my-group-tag').textContent(), { timeout: 15_000 }).toBe('拼团失败·退款中');
    await shot(page, 'group-20-mine-refunding');
    // WeChat Pay settles the refund: only now does the list say 已退款.
    const [refund] = await docsOf(journey.cloud, 'refunds', { orderId: opened.data.order.orderId });
    await journey.cloud.client.payments.settleRefund(refund._id, { result: 'SUCCESS' });
    expect(await docOf(journey.cloud, 'orders', opened.data.order.orderId)).toMatchObject({ state: 'refunded' });
    await page.reload();
    await expect
      .poll(() => visible(page, `my-group-${groupId}`).getByTestId('my-group-tag').first().textContent(), { timeout: 15_000 })
      .toBe('拼团失败·已退款');
    await shot(page, 'group-21-mine-refunded');
    await page.context().close();
  });
});
