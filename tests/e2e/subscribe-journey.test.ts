import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/lib/seed';
import { useJourney } from '../support/journey';
import { createOrder, docOf, docsOf, runJobs } from '../support/orders';
import { shot, shown, visible } from '../support/pages';

/**
 * Subscription reminders are asked for right after the moment they are about, from a tap, and
 * then kept: a reader claims a coupon, taps 开启提醒 on the card that appears, answers the (local)
 * subscription sheet; three days before the coupon runs out the scheduler's jobs write the
 * `coupon.expiring` notice and the dispatcher sends it as a subscription message with that grant.
 * The other moments (a paid order, a paid seat in a group, a check-in) offer their own reminders.
 * With DUET_SHOTS=<dir>, every page is also saved as a 390×844 screenshot there.
 */
const NOW = '2026-12-03T02:00:00.000Z';
const DAY_MS = 24 * 3_600_000;
const SHANGHAI_MS = 8 * 3_600_000;

/** The first 10:00 in Shanghai at or after `at`: promotional notices wait out the quiet hours (22:00-08:00). */
function nextShanghaiMorning(at: Date): Date {
  const local = new Date(at.getTime() + SHANGHAI_MS);
  const morning = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 10) - SHANGHAI_MS;
  return new Date(morning >= at.getTime() ? morning : morning + DAY_MS);
}

/** Characters as WeChat counts a `thing` value (≤ 20): code points, not UTF-16 units. */
const length = (text: string) => [...text].length;

async function answerSheet(page: Page, choices: Record<string, 'accept' | 'reject'>) {
  const sheet = await shown(page.getByTestId('local-sheet-subscribe'));
  for (const [templateId, choice] of Object.entries(choices)) {
    const row = sheet.getByTestId(`subscribe-${templateId}`);
    // Every template starts on 允许, as WeChat's own sheet does; a tap turns it to 拒绝.
    if (choice === 'reject') await row.click();
    await expect.poll(() => row.textContent()).toContain(choice === 'accept' ? '允许' : '拒绝');
  }
  return sheet;
}

describe('subscription reminders: asked after a claim, sent before the coupon runs out', () => {
  const journey = useJourney();

  beforeAll(async () => {
    await journey.cloud.client.clock.set(NOW);
    await seedDemo(journey.cloud.url);
    // No welcome pack: the one coupon the reader holds is the one claimed on screen.
    expect(await journey.cloud.invoke('couponAdmin', { action: 'setNewMemberPack', templateIds: [] })).toMatchObject({ ok: true });
  });

  it('claims, turns on the reminder on the sheet, and gets the subscription message three days before expiry', async () => {
    const page = await journey.open('packages/coupon/center/index?persona=bob');
    const card = await shown(visible(page, 'template-tpl-store-5'));
    // Nothing is offered before the moment it is about.
    expect(await visible(page, 'subscribe-prompt').count()).toBe(0);

    await card.getByTestId('coupon-action').click();
    await page.getByText('领取成功，已放入券包').waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(() => card.getByTestId('coupon-action').textContent(), { timeout: 10_000 }).toBe('已领取');

    // Right after the claim: what will be reminded, in the template titles the server answered.
    const prompt = await shown(visible(page, 'subscribe-prompt'));
    expect(await prompt.getByTestId('subscribe-prompt-what').textContent()).toBe('优惠券到期提醒、活动提醒');
    expect(await prompt.textContent()).not.toMatch(/分享|转发|朋友圈|群/);
    await shot(page, 'subscribe-01-center-prompt');

    // 开启提醒 opens the sheet with exactly those templates; the reader keeps the coupon one and declines the other.
    await prompt.getByTestId('subscribe-prompt-open').click();
    const sheet = await answerSheet(page, { TPL_COUPON_EXPIRING: 'accept', TPL_CAMPAIGN: 'reject' });
    expect(await sheet.locator('[data-testid^="subscribe-TPL_"]').count()).toBe(2);
    await shot(page, 'subscribe-02-sheet');
    await sheet
      .locator('taro-button-core')
      .filter({ hasText: /^确定$/ })
      .click();
    await page.getByText('已开启提醒').waitFor({ state: 'visible', timeout: 15_000 });
    // Answered: the card is gone.
    await expect.poll(() => visible(page, 'subscribe-prompt').count(), { timeout: 10_000 }).toBe(0);
    await shot(page, 'subscribe-03-center-answered');

    // WeChat's side (the local cloud's grant store) and the app's ledger agree: one send of the coupon template.
    expect((await journey.cloud.client.grants.list('o-mini-bob')).grants).toMatchObject({ TPL_COUPON_EXPIRING: 1 });
    const ledger = async () =>
      Object.fromEntries(
        (await docsOf(journey.cloud, 'subscribe_grants', { openid: 'o-mini-bob' })).map((g) => [
          g.templateId,
          { remaining: g.remaining, accepted: g.accepted, rejected: g.rejected },
        ]),
      );
    await expect.poll(ledger, { timeout: 10_000 }).toEqual({
      TPL_COUPON_EXPIRING: { remaining: 1, accepted: 1, rejected: 0 },
      TPL_CAMPAIGN: { remaining: 0, accepted: 0, rejected: 1 },
    });
    const [answer] = await docsOf(journey.cloud, 'events', { kind: 'subscribe_answer', moment: 'claim' });
    expect(answer).toMatchObject({ answers: { TPL_COUPON_EXPIRING: 'accept', TPL_CAMPAIGN: 'reject' } });
    await page.context().close();

    // Nothing is due yet: the jobs send nothing today.
    const today = await runJobs(journey.cloud, ['couponExpiringNotices', 'dispatchNotices']);
    expect(today.couponExpiringNotices.result).toMatchObject({ written: 0 });
    expect((await journey.cloud.client.outbox.list('subscribeMessage')).entries).toEqual([]);

    // Three days before the coupon runs out (the morning after it enters its last three days).
    const bob = (await journey.cloud.invoke('member', { action: 'login' }, 'bob')).data;
    const [coupon] = await docsOf(journey.cloud, 'coupons', { memberId: bob._id, templateId: 'tpl-store-5' });
    const validUntil = new Date(coupon.validUntil);
    const at = nextShanghaiMorning(new Date(validUntil.getTime() - 3 * DAY_MS));
    expect(validUntil.getTime() - at.getTime()).toBeLessThanOrEqual(3 * DAY_MS);
    expect(validUntil.getTime() - at.getTime()).toBeGreaterThan(2 * DAY_MS);
    await journey.cloud.client.clock.set(at.toISOString());

    // One tick: the dispatcher runs after the other jobs, so the reminder written in it goes out in it.
    const tick = await runJobs(journey.cloud, ['couponExpiringNotices', 'dispatchNotices']);
    expect(tick.couponExpiringNotices.result).toMatchObject({ written: 1 });
    expect(tick.dispatchNotices.result).toMatchObject({ sent: 1, fellBack: 0, failed: 0 });

    // The subscription message: bob's, the coupon template, the wallet page marked as a notice landing, fitted values.
    const sent = (await journey.cloud.client.outbox.list('subscribeMessage')).entries as any[];
    expect(sent).toHaveLength(1);
    const { request, response } = sent[0];
    expect(response).toMatchObject({ errcode: 0 });
    expect(request).toMatchObject({
      touser: 'o-mini-bob',
      template_id: 'TPL_COUPON_EXPIRING',
      page: 'packages/coupon/wallet/index?from=notice_sub&nk=coupon.expiring',
    });
    expect(Object.keys(request.data).sort()).toEqual(['date2', 'thing1', 'thing3']);
    expect(request.data.thing1.value).toBe('全场通用券');
    for (const key of ['thing1', 'thing3']) {
      expect(request.data[key].value.length).toBeGreaterThan(0);
      expect(length(request.data[key].value)).toBeLessThanOrEqual(20);
    }
    // The last day, as a Shanghai date.
    const day = new Date(validUntil.getTime() + SHANGHAI_MS);
    const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    expect(request.data.date2.value).toMatch(new RegExp(`^${y}\\D0?${m}\\D0?${d}`));

    // The grant is spent; the notice is sent by subscription message, once.
    await expect.poll(ledger).toMatchObject({ TPL_COUPON_EXPIRING: { remaining: 0 } });
    expect(await docOf(journey.cloud, 'notices', `coupon.expiring:${coupon._id}`)).toMatchObject({ state: 'sent', channel: 'subscribe' });
    const again = await runJobs(journey.cloud, ['couponExpiringNotices', 'dispatchNotices']);
    expect(again.couponExpiringNotices.result).toMatchObject({ written: 0 });
    expect((await journey.cloud.client.outbox.list('subscribeMessage')).entries).toHaveLength(1);

    // The message opens the wallet, where the coupon says it runs out soon.
    const landing = await journey.open(`${request.page}&persona=bob`);
    const usable = await shown(visible(landing, 'wallet-usable'));
    expect(await (await shown(usable.getByTestId('coupon-expiring'))).textContent()).toBe('即将过期');
    await shot(landing, 'subscribe-04-wallet-from-message');
    // The open is the funnel's landing from the message (not a new source: bob's touch stays as it was).
    await expect
      .poll(async () => (await docsOf(journey.cloud, 'events', { kind: 'notice_landing', memberId: bob._id })).length, { timeout: 10_000 })
      .toBe(1);
    const [landed] = await docsOf(journey.cloud, 'events', { kind: 'notice_landing', memberId: bob._id });
    expect(landed).toMatchObject({ channel: 'notice_sub', noticeKind: 'coupon.expiring' });
    await landing.context().close();
  });
});

describe('subscription reminders: the other moments offer their own', () => {
  const journey = useJourney();

  beforeAll(async () => {
    await journey.cloud.client.clock.set(NOW);
    // The demo brand, with bob's demo group opened and paid (还差 1 人).
    await seedDemo(journey.cloud.url);
  });

  it('a paid order offers shipping and refund reminders', async () => {
    const created = await createOrder(journey.cloud, 'carol', [{ skuId: 'sku-spring-tea-250', quantity: 1 }], 'subscribejourney01', {
      coupon: 'none',
    });
    expect(created, JSON.stringify(created)).toMatchObject({ ok: true });
    const orderId: string = created.data.order.orderId;
    const page = await journey.open(`packages/order/detail/index?id=${orderId}&persona=carol`);
    await expect.poll(() => visible(page, 'order-state').first().textContent(), { timeout: 15_000 }).toBe('待付款');
    // Unpaid: nothing offered yet.
    expect(await visible(page, 'subscribe-prompt').count()).toBe(0);
    await journey.cloud.client.payments.settle(orderId);
    await page.reload();
    await expect.poll(() => visible(page, 'order-state').first().textContent(), { timeout: 15_000 }).toBe('待发货');
    const prompt = await shown(visible(page, 'subscribe-prompt'));
    expect(await prompt.getByTestId('subscribe-prompt-what').textContent()).toBe('订单发货通知、退款通知、评价提醒');
    await shot(page, 'subscribe-05-order-paid');
    await page.context().close();
  });

  it('a paid seat in a group still filling up offers the group’s result', async () => {
    const [group] = await docsOf(journey.cloud, 'groups', { activityId: 'gb-spring-mug' });
    const page = await journey.open(`packages/groupbuy/group/index?id=${group._id}&persona=bob`);
    expect(await (await shown(visible(page, 'group-state'))).textContent()).toBe('还差 1 人成团');
    const prompt = await shown(visible(page, 'subscribe-prompt'));
    expect(await prompt.getByTestId('subscribe-prompt-what').textContent()).toBe('拼团结果通知、退款通知');
    await shot(page, 'subscribe-06-group-paid');
    await page.context().close();

    // A friend looking at the same group has no seat in it: nothing offered.
    const friend = await journey.open(`packages/groupbuy/group/index?id=${group._id}&persona=carol`);
    await shown(visible(friend, 'group-state'));
    await shown(visible(friend, 'group-main'));
    expect(await visible(friend, 'subscribe-prompt').count()).toBe(0);
    await friend.context().close();
  });

  it('a check-in offers the points reminder, and the sheet answered hides it', async () => {
    const page = await journey.open('packages/points/center/index?persona=alice');
    const button = await shown(visible(page, 'points-checkin-button'));
    expect(await visible(page, 'subscribe-prompt').count()).toBe(0);
    await button.click();
    const prompt = await shown(visible(page, 'subscribe-prompt'));
    expect(await prompt.getByTestId('subscribe-prompt-what').textContent()).toBe('积分过期提醒、活动提醒');
    await page.getByText(/^签到成功/).waitFor({ state: 'hidden', timeout: 10_000 });
    await shot(page, 'subscribe-07-points-checked-in');
    await prompt.getByTestId('subscribe-prompt-open').click();
    const sheet = await answerSheet(page, { TPL_POINTS_EXPIRING: 'accept', TPL_CAMPAIGN: 'accept' });
    await sheet
      .locator('taro-button-core')
      .filter({ hasText: /^确定$/ })
      .click();
    await page.getByText('已开启提醒').waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(() => visible(page, 'subscribe-prompt').count(), { timeout: 10_000 }).toBe(0);
    const grants = async () =>
      Object.fromEntries(
        (await docsOf(journey.cloud, 'subscribe_grants', { openid: 'o-mini-alice' })).map((g) => [g.templateId, g.remaining]),
      );
    // Beside the reminders the demo seed turned on for her.
    await expect.poll(grants, { timeout: 10_000 }).toMatchObject({ TPL_POINTS_EXPIRING: 1, TPL_CAMPAIGN: 1 });
    const [answer] = await docsOf(journey.cloud, 'events', { kind: 'subscribe_answer', moment: 'checkIn' });
    expect(answer).toMatchObject({ answers: { TPL_POINTS_EXPIRING: 'accept', TPL_CAMPAIGN: 'accept' } });
    await page.context().close();
  });
});

describe('subscription reminders: the member center’s 消息提醒', () => {
  const journey = useJourney();
  const bobId = async () => (await journey.cloud.invoke('member', { action: 'login' }, 'bob')).data._id as string;

  beforeAll(async () => {
    await journey.cloud.client.clock.set(NOW);
    await seedDemo(journey.cloud.url);
    // WeChat once answered bob's sheet with `ban` for the campaign reminder (it stopped the template): 暂不可用.
    const banned = await journey.cloud.invoke(
      'notice',
      { action: 'recordGrants', requestId: 'reminders-journey-ban-0001', answers: { TPL_CAMPAIGN: 'ban' } },
      'bob',
    );
    expect(banned).toMatchObject({ ok: true });
  });

  it('opens from 我的, turns one reminder on from the sheet, and shows the grant WeChat and the ledger hold', async () => {
    const page = await journey.open('pages/member/index?persona=bob');
    const entry = page.getByText('消息提醒', { exact: true }).filter({ visible: true });
    await shown(entry);
    await entry.first().scrollIntoViewIfNeeded();
    await shot(page, 'reminders-01-member-center');
    await entry.first().click();

    const list = await shown(visible(page, 'reminders'));
    const row = (title: string) => visible(page, 'reminder').filter({ hasText: title });
    const stateOf = (title: string) => row(title).getByTestId('reminder-state').textContent();
    await shown(row('优惠券到期提醒'));
    expect(await list.textContent()).toContain('开启后，我们会在需要时通过微信服务通知提醒你；每开启一次可提醒一次。');
    // Every template the app asks for, in the order first asked, by its title only: no ids on screen.
    expect(await visible(page, 'reminder-title').allTextContents()).toEqual([
      '优惠券到期提醒',
      '活动提醒',
      '订单发货通知',
      '退款通知',
      '评价提醒',
      '拼团结果通知',
      '积分过期提醒',
    ]);
    expect(await list.textContent()).not.toMatch(/TPL_|template/i);
    expect(await stateOf('优惠券到期提醒')).toBe('未开启');
    // Banned by WeChat: said so, and no 开启 (WeChat would not ask).
    expect(await stateOf('活动提醒')).toBe('暂不可用');
    expect(await row('活动提醒').textContent()).toContain('微信已暂停此类提醒');
    expect(await row('活动提醒').locator('taro-button-core').count()).toBe(0);
    expect(await row('订单发货通知').getByTestId('reminder-enable').textContent()).toBe('开启');

    // 开启 opens the sheet for that one reminder; the reader allows it.
    await row('优惠券到期提醒').getByTestId('reminder-enable').click();
    const sheet = await answerSheet(page, { TPL_COUPON_EXPIRING: 'accept' });
    expect(await sheet.locator('[data-testid^="subscribe-TPL_"]').count()).toBe(1);
    await sheet
      .locator('taro-button-core')
      .filter({ hasText: /^确定$/ })
      .click();
    await page.getByText('已开启提醒').waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(() => stateOf('优惠券到期提醒'), { timeout: 10_000 }).toBe('可提醒 1 次');
    expect(await row('优惠券到期提醒').getByTestId('reminder-enable').textContent()).toBe('再开启一次');
    expect(await stateOf('订单发货通知')).toBe('未开启');
    await page.getByText('已开启提醒').waitFor({ state: 'hidden', timeout: 10_000 });
    await shot(page, 'reminders-02-page');

    // WeChat's side (the local cloud's grants) and the ledger agree: one send of the coupon reminder, nothing else.
    expect((await journey.cloud.client.grants.list('o-mini-bob')).grants).toEqual({ TPL_COUPON_EXPIRING: 1 });
    const ledger = Object.fromEntries(
      (await docsOf(journey.cloud, 'subscribe_grants', { openid: 'o-mini-bob' })).map((g) => [
        g.templateId,
        { remaining: g.remaining, banned: g.banned },
      ]),
    );
    expect(ledger).toMatchObject({
      TPL_COUPON_EXPIRING: { remaining: 1, banned: false },
      TPL_CAMPAIGN: { remaining: 0, banned: true },
    });
    // The sheet from this page is no moment's: the funnel records it without one.
    const answers = await docsOf(journey.cloud, 'events', { kind: 'subscribe_answer', memberId: await bobId() });
    expect(answers.map((a) => ({ moment: a.moment, answers: a.answers }))).toContainEqual({
      moment: null,
      answers: { TPL_COUPON_EXPIRING: 'accept' },
    });
    await page.context().close();
  });
});
