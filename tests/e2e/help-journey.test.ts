import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/lib/seed';
import { useJourney } from '../support/journey';
import { docOf, docsOf } from '../support/orders';
import { shot, shown, visible } from '../support/pages';

/**
 * 助力 with two friends. Alice opens the campaign, 发起助力, and copies her task's link (the H5
 * stand-in for the share card); Dan, new, opens the link on a phone of his own: the landing page
 * credits him to Alice, he sees what she wants and taps 帮TA助力; Erin does the same and completes
 * the task; Alice's page then says 助力成功 and the coupon is in her wallet. With DUET_SHOTS=<dir>,
 * every page is saved at 390×844.
 */
const NOW = '2026-12-05T02:00:00.000Z';
const CAMPAIGN = 'hc-journey';

async function copiedText(page: Page): Promise<string> {
  const stored = await page.evaluate(() => localStorage.getItem('taro_clipboard'));
  expect(stored).toBeTruthy();
  return String((JSON.parse(stored as string) as { data?: unknown }).data ?? '');
}

describe('help: start, friends help through the link, the task completes', () => {
  const journey = useJourney();
  let alice: { _id: string };

  beforeAll(async () => {
    await journey.cloud.client.clock.set(NOW);
    await seedDemo(journey.cloud.url);
    // Two friends who have never used the app (the demo's bob and carol are members already: the seed uses them).
    await journey.cloud.client.personas.upsert([
      { name: 'dan', nickname: '小丹', unionid: 'u-dan', follows: false },
      { name: 'erin', nickname: '艾琳', follows: false },
    ]);
    const made = await journey.cloud.invoke('helpAdmin', {
      action: 'createHelpCampaign',
      id: CAMPAIGN,
      campaign: {
        title: '新朋友助力领券',
        reward: { kind: 'coupon', templateId: 'tpl-help-10' },
        helpersNeeded: 2,
        startAt: '2026-12-01T00:00:00+08:00',
        endAt: '2026-12-31T00:00:00+08:00',
        taskHours: 24,
        audience: 'new_members',
        dailyLimit: 3,
      },
    });
    expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
    const login = await journey.cloud.invoke('member', { action: 'login' }, 'alice');
    alice = login.data;
  });

  it('two new friends help through the copied link; the task completes once and the coupon is in the owner’s wallet', async () => {
    // Alice: from the storefront's 好友助力 to the running campaigns, then this one.
    const owner = await journey.open('pages/index/index?persona=alice');
    await (await shown(visible(owner, 'home-entry-help'))).click();
    const listed = visible(owner, 'help-list-item').filter({ hasText: '邀请 2 位新朋友助力' });
    await (await shown(listed)).click();
    // The campaign says its rule in one line, with two empty seats, then 发起助力.
    expect(await (await shown(visible(owner, 'help-rule'))).textContent()).toBe('邀请 2 位新朋友助力，即得 ¥10 无门槛券');
    expect(await visible(owner, 'help-seat-empty').count()).toBe(2);
    await shot(owner, 'help-01-campaign');
    await visible(owner, 'help-start').click();
    await expect.poll(() => visible(owner, 'help-state').first().textContent(), { timeout: 15_000 }).toBe('还差 2 位好友助力');
    // The countdown shows its first value on its first tick after the task arrives: poll for it.
    await expect.poll(() => visible(owner, 'help-countdown').textContent(), { timeout: 10_000 }).toMatch(/^剩余 2[34]:\d\d:\d\d 结束$/);
    await shot(owner, 'help-02-my-task');
    const [task] = await docsOf(journey.cloud, 'help_tasks', { campaignId: CAMPAIGN });
    expect(task).toMatchObject({ memberId: alice._id, state: 'open', count: 0 });

    await visible(owner, 'help-copy').click();
    await shown(owner.getByText('已复制'));
    const link = await copiedText(owner);
    expect(new URL(link).hash).toBe(
      `#/packages/entry/landing/index?sharer=${encodeURIComponent(alice._id)}&to=packages%2Fhelp%2Ftask%2Findex&id=${encodeURIComponent(task._id)}`,
    );

    // Each friend: a phone of their own, first the storefront (their first login), then the link.
    const friendHelps = async (persona: string, shotName: string, stateAfter: string) => {
      const home = await journey.open(`pages/index/index?persona=${persona}`);
      // The storefront stores the persona for this phone; the link then opens in a fresh page, as a link does.
      await home.waitForLoadState('networkidle');
      const context = home.context();
      await home.close();
      const friend = await context.newPage();
      await friend.goto(link);
      await friend.waitForURL(/packages\/help\/task\/index\?id=/, { timeout: 20_000 });
      await expect.poll(() => visible(friend, 'help-main').first().textContent(), { timeout: 15_000 }).toBe('帮TA助力');
      expect(await visible(friend, 'help-ask').textContent()).toContain('想要 ¥10 无门槛券，需要 2 位好友助力');
      await shot(friend, `${shotName}-a`);
      await visible(friend, 'help-main').click();
      await expect.poll(() => visible(friend, 'help-main').first().textContent(), { timeout: 15_000 }).toBe('已助力');
      expect(await visible(friend, 'help-state').textContent()).toBe(stateAfter);
      await shot(friend, `${shotName}-b`);
      // No ids on the friend's page.
      const text = (await friend.locator('body').textContent()) ?? '';
      expect(text).not.toContain(alice._id);
      expect(text).not.toContain(task._id);
      await context.close();
    };
    await friendHelps('dan', 'help-03-dan', '还差 1 位好友助力');
    const dan = await journey.cloud.invoke('member', { action: 'login' }, 'dan');
    expect(dan.data.firstTouch).toMatchObject({ channel: 'share', sharer: alice._id });
    // Members who never set a name read as WeChat's own 微信用户.
    await friendHelps('erin', 'help-04-erin', '微信用户 已完成助力');

    // Alice looks again: 助力成功, both friends in the seats, 查看奖励 opens the coupon.
    await owner.reload();
    await expect.poll(() => visible(owner, 'help-state').first().textContent(), { timeout: 15_000 }).toBe('助力成功，奖励已到账');
    expect(await visible(owner, 'help-seat').count()).toBe(2);
    await shot(owner, 'help-05-completed');
    expect(await visible(owner, 'help-main').textContent()).toBe('查看奖励');
    await visible(owner, 'help-main').click();
    await owner.waitForURL(/packages\/coupon\/detail\/index\?id=/, { timeout: 10_000 });
    await shot(owner, 'help-06-coupon');

    // The database: completed once, one coupon of the template, in Alice's wallet.
    expect(await docOf(journey.cloud, 'help_tasks', task._id)).toMatchObject({ state: 'completed', count: 2, rewardState: 'issued' });
    const coupons = await docsOf(journey.cloud, 'coupons', { templateId: 'tpl-help-10' });
    expect(coupons).toMatchObject([{ _id: `help:${task._id}`, memberId: alice._id, source: 'help', state: 'usable' }]);
    // Dan's help is credited to the touch Alice's card gave him.
    const helped = await docsOf(journey.cloud, 'events', { kind: 'help_helped', memberId: dan.data._id });
    expect(helped).toMatchObject([{ taskId: task._id, touch: { channel: 'share', sharer: alice._id } }]);
    const wallet = await journey.cloud.invoke('coupon', { action: 'wallet' }, 'alice');
    expect(JSON.stringify(wallet.data)).toContain(`help:${task._id}`);

    // The member center's 我的助力 lists the task as done; a tap opens it.
    await owner.goto(`${journey.cloud.url}/#/pages/member/index`);
    await (await shown(owner.getByText('我的助力'))).click();
    const mine = visible(owner, 'help-mine-item');
    await expect.poll(() => mine.first().textContent(), { timeout: 15_000 }).toContain('助力成功，奖励已到账');
    expect(await mine.count()).toBe(1);
    await shot(owner, 'help-07-mine');
    await mine.first().click();
    await expect.poll(() => visible(owner, 'help-state').first().textContent(), { timeout: 15_000 }).toBe('助力成功，奖励已到账');
    await owner.context().close();
  }, 240_000);
});
