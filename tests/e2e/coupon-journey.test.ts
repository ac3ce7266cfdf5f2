import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/lib/seed';
import { useJourney } from '../support/journey';
import { shot, shown, visible } from '../support/pages';

/**
 * A reader scans the spring article's code, claims coupons on the campaign's coupon center and
 * finds them in the wallet; a claim the server refuses shows why. With DUET_SHOTS=<dir>, every page
 * is also saved as a 390×844 screenshot there, for a person to look at.
 */
const NOW = '2026-12-03T02:00:00.000Z';

describe('coupons: from an article code to the wallet', () => {
  const journey = useJourney();
  let codeUrl: string;

  beforeAll(async () => {
    await journey.cloud.client.clock.set(NOW);
    // The demo brand, as `npm run dev` loads it: personas, campaigns, article codes and coupon templates.
    await seedDemo(journey.cloud.url);
    const { entries } = await journey.cloud.control<{ entries: Array<{ api: string; response: { url: string } }> }>(
      'GET',
      '/_emu/outbox?kind=wxacode',
    );
    codeUrl = entries.find((e) => e.api === 'wxacode.getUnlimited' && e.response.url.includes('scene=spring-a1'))!.response.url;
  });

  it('claims on the campaign’s coupon center and finds the coupons in the wallet; a refused claim says why', async () => {
    const page = await journey.browser.newContext({ viewport: { width: 390, height: 844 } }).then((c) => c.newPage());
    await page.goto(`${codeUrl}&persona=carol`);

    // The article code leads to the campaign, whose main action is its coupons.
    expect(await (await shown(visible(page, 'campaign-name'))).textContent()).toBe('春季会员节');
    await shown(visible(page, 'campaign-coupons'));
    await shot(page, '03-campaign');
    await (await shown(visible(page, 'campaign-claim'))).click();

    // The coupon center: the campaign's name, each coupon in its state for this reader.
    await page.waitForURL(/packages\/coupon\/center\/index\?campaign=cmp-spring/, { timeout: 10_000 });
    expect(await (await shown(visible(page, 'coupon-center-title'))).textContent()).toBe('春季会员节');
    const card = (id: string) => visible(page, `template-${id}`);
    const button = (id: string) => card(id).getByTestId('coupon-action');
    await shown(card('tpl-spring-new'));
    expect(await button('tpl-spring-new').textContent()).toBe('立即领取');
    expect(await button('tpl-spring-later').textContent()).toBe('未开始');
    await shot(page, '04-center');

    // The new-member coupon: claimed, and the card shows what the server answered (limit 1: 已领取).
    await button('tpl-spring-new').click();
    await page.getByText('领取成功，已放入券包').waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(() => button('tpl-spring-new').textContent(), { timeout: 10_000 }).toBe('已领取');
    await shot(page, '05-center-claimed');

    // Meanwhile the reader's other phone claims the discount coupon (limit 1); this page still offers it.
    const elsewhere = await journey.cloud.invoke(
      'coupon',
      { action: 'claim', templateId: 'tpl-spring-85', requestId: 'otherphone00000001' },
      'carol',
    );
    expect(elsewhere).toMatchObject({ ok: true });
    expect(await button('tpl-spring-85').textContent()).toBe('立即领取');
    await button('tpl-spring-85').click();
    // Refused: the server's reason sets the card, its Chinese message is shown.
    await page.getByText('你已达到领取上限').waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(() => button('tpl-spring-85').textContent(), { timeout: 10_000 }).toBe('已领取');
    await shot(page, '06-center-refused');

    // The wallet has both, and the welcome pack the reader got on joining.
    await (await shown(visible(page, 'coupon-center-wallet'))).click();
    await page.waitForURL(/packages\/coupon\/wallet\/index/, { timeout: 10_000 });
    const usable = await shown(visible(page, 'wallet-usable'));
    await expect
      .poll(() => usable.getByTestId('coupon-name').allTextContents(), { timeout: 15_000 })
      .toEqual(expect.arrayContaining(['新人专享券', '会员折扣券', '新人礼包券']));
    await shot(page, '07-wallet-usable');

    // A coupon's details: its rules in plain words, and 去使用.
    await usable.getByText('新人专享券').click();
    await page.waitForURL(/packages\/coupon\/detail\/index\?id=/, { timeout: 10_000 });
    const detail = await shown(visible(page, 'coupon-detail'));
    expect(await detail.textContent()).toContain('无门槛减10元');
    expect(await detail.textContent()).toContain('领取');
    await shown(visible(page, 'coupon-use'));
    await shot(page, '10-detail');

    // 去使用 leads to the storefront, where coupons are spent until product pages exist.
    await visible(page, 'coupon-use').click();
    await page.waitForURL(/pages\/index\/index/, { timeout: 10_000 });
    await page.context().close();

    const carol = (await journey.cloud.invoke('member', { action: 'login' }, 'carol')).data;
    const coupons = await journey.cloud.db().collection('coupons').where({ memberId: carol._id }).get();
    expect(coupons.data.map((c: { templateId: string }) => c.templateId).sort()).toEqual([
      'tpl-spring-85',
      'tpl-spring-new',
      'tpl-welcome-8',
    ]);
  });

  it('the storefront, the member center and the wallet’s used and expired tabs', async () => {
    const page = await journey.open('pages/index/index?persona=alice');
    // The storefront's coupon, claimed from the home page itself.
    const storeCard = await shown(visible(page, 'template-tpl-store-5'));
    await shot(page, '01-home');
    await storeCard.getByTestId('coupon-action').click();
    await expect.poll(() => storeCard.getByTestId('coupon-action').textContent(), { timeout: 15_000 }).toBe('已领取');

    // Coupons that were used and that ran out, for the wallet's other tabs.
    const alice = (await journey.cloud.invoke('member', { action: 'login' }, 'alice')).data;
    for (const [templateId, requestId] of [
      ['tpl-spring-99-20', 'alicecoupon0000001'],
      ['tpl-spring-99-20', 'alicecoupon0000002'],
    ]) {
      expect(await journey.cloud.invoke('coupon', { action: 'claim', templateId, requestId }, 'alice')).toMatchObject({ ok: true });
    }
    const db = journey.cloud.db();
    const held = (await db.collection('coupons').where({ memberId: alice._id, templateId: 'tpl-spring-99-20' }).get()).data;
    await db
      .collection('coupons')
      .doc(held[0]._id)
      .update({ data: { state: 'used', usedAt: new Date('2026-12-02T03:00:00.000Z'), orderId: 'order-demo-1' } });
    await db
      .collection('coupons')
      .doc(held[1]._id)
      .update({ data: { validFrom: new Date('2026-11-01T00:00:00.000Z'), validUntil: new Date('2026-11-30T15:59:59.999Z') } });
    // And the storefront coupon runs out in two days.
    const store = (await db.collection('coupons').where({ memberId: alice._id, templateId: 'tpl-store-5' }).get()).data;
    await db
      .collection('coupons')
      .doc(store[0]._id)
      .update({ data: { validUntil: new Date('2026-12-05T15:59:59.999Z') } });

    // The member center counts the usable coupons and opens the wallet.
    await page.goto(`${journey.cloud.url}/#/pages/member/index`);
    const entry = await shown(visible(page, 'entry-coupons'));
    await expect.poll(() => entry.textContent(), { timeout: 15_000 }).toMatch(/^\d+ 张可用$/);
    await shot(page, '02-member');
    await entry.click();
    await page.waitForURL(/packages\/coupon\/wallet\/index/, { timeout: 10_000 });
    const usable = await shown(visible(page, 'wallet-usable'));
    expect(await (await shown(usable.getByTestId('coupon-expiring'))).textContent()).toBe('即将过期');
    await shot(page, '07b-wallet-expiring');

    await page.getByText(/^已使用 \d+$/).click();
    const used = await shown(visible(page, 'wallet-used'));
    await shown(used.getByTestId('coupon-stamp'));
    expect(await used.getByTestId('coupon-stamp').first().textContent()).toBe('已使用');
    await shot(page, '08-wallet-used');

    await page.getByText(/^已过期 \d+$/).click();
    const expired = await shown(visible(page, 'wallet-expired'));
    await shown(expired.getByTestId('coupon-stamp'));
    expect(await expired.getByTestId('coupon-stamp').first().textContent()).toBe('已过期');
    await shot(page, '09-wallet-expired');
    await page.context().close();
  });
});

describe('coupons: a reader with none yet', () => {
  const journey = useJourney();

  beforeAll(async () => {
    await journey.cloud.client.clock.set(NOW);
    await seedDemo(journey.cloud.url);
    // No welcome pack, before any login reads the setting: a new reader's wallet starts empty.
    expect(await journey.cloud.invoke('couponAdmin', { action: 'setNewMemberPack', templateIds: [] })).toMatchObject({ ok: true });
  });

  it('an empty wallet offers the next step: 去领券 opens the storefront’s coupon center', async () => {
    const page = await journey.open('packages/coupon/wallet/index?persona=bob');
    const next = await shown(visible(page, 'wallet-usable').getByTestId('status-next'));
    expect(await next.textContent()).toBe('去领券');
    await shot(page, '11-wallet-empty');
    await next.click();
    await page.waitForURL(/packages\/coupon\/center\/index/, { timeout: 10_000 });
    expect(await (await shown(visible(page, 'coupon-center-title'))).textContent()).toBe('领券中心');
    expect(await (await shown(visible(page, 'template-tpl-store-5'))).getByTestId('coupon-action').textContent()).toBe('立即领取');
    await shot(page, '12-center-storefront');
    await page.context().close();
  });
});
