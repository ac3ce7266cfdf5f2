import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { startCloud, type TestCloud } from '../support/cloud';

describe('a reader scans an article code', () => {
  let cloud: TestCloud;
  let browser: Browser;
  let codeUrl: string;
  beforeAll(async () => {
    cloud = await startCloud({ h5Dir: 'dist-h5' });
    browser = await launchChromium();
    const db = cloud.db();
    await db.collection('articles').add({ data: { _id: 'art-tea', title: '冬日热饮指南', url: 'https://mp.weixin.qq.com/s/tea' } });
    await db.collection('campaigns').add({
      data: {
        _id: 'camp-tea',
        name: '冬日热饮节',
        description: '第二杯半价',
        startsAt: new Date(Date.now() - 86_400_000),
        endsAt: new Date(Date.now() + 7 * 86_400_000),
      },
    });
    // The operator makes the article code with the admin job, as from the cloud console.
    const made = await cloud.invoke('admin', {
      action: 'createArticleCode',
      scene: 'tea2026',
      article: 'art-tea',
      campaign: 'camp-tea',
      channel: 'article',
      page: 'packages/campaign/detail/index',
      params: { campaign: 'camp-tea', article: 'art-tea' },
    });
    expect(made.ok).toBe(true);
    // What the printed 小程序码 encodes on the local cloud: the landing page with the scene.
    const { entries } = await cloud.control<{ entries: Array<{ api: string; response: { url: string } }> }>(
      'GET',
      '/_emu/outbox?kind=wxacode',
    );
    codeUrl = entries.find((e) => e.api === 'wxacode.getUnlimited')!.response.url;
  });
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  it('lands on the campaign page and the first touch is that article', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    expect(codeUrl).toContain('packages/entry/landing/index?scene=tea2026');
    await page.goto(`${codeUrl}&persona=carol`);
    const name = page.getByTestId('campaign-name');
    await name.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await name.textContent()).toBe('冬日热饮节');
    expect(await page.getByTestId('campaign-article').textContent()).toContain('冬日热饮指南');
    expect(page.url()).toContain('packages/campaign/detail/index');
    await context.close();

    const carol = (await cloud.invoke('member', { action: 'login' }, 'carol')).data;
    expect(carol.firstTouch).toMatchObject({ scene: 'tea2026', article: 'art-tea', campaign: 'camp-tea' });
  });

  it('an unknown code lands on the home page with a gentle message', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${cloud.url}/#/packages/entry/landing/index?scene=gone404&persona=bob`);
    await page.getByText('二维码已失效，为你打开首页').waitFor({ state: 'visible', timeout: 30_000 });
    await page.getByText('欢迎来到 Duet').waitFor({ state: 'visible', timeout: 30_000 });
    await context.close();
  });
});
