import { describe, expect, it } from 'vitest';
import { useJourney } from '../support/journey';

/** A reader never meets a blank page, a vanishing message or a dead end. */
describe('H5 app: no dead ends', () => {
  const journey = useJourney();
  const open = (route: string) => journey.open(route);

  it('an unknown code lands home with its notice shown until the reader closes it', async () => {
    const page = await open('packages/entry/landing/index?scene=no-such-code&persona=carol');
    const banner = page.getByTestId('notice-banner');
    await banner.waitFor({ state: 'visible', timeout: 30_000 });
    expect(page.url()).toContain('pages/index/index');
    expect(await banner.textContent()).toContain('二维码已失效，为你打开首页');
    // Still there after the tab switch has long finished (a toast would be gone).
    await page.waitForTimeout(3000);
    expect(await banner.isVisible()).toBe(true);
    await page.getByTestId('notice-close').click();
    await banner.waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('an unknown route shows the not-found page, whose button leads home', async () => {
    const page = await open('packages/nope/index?persona=bob');
    await page.getByTestId('not-found').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.getByTestId('not-found').textContent()).toContain('页面不存在或已下架');
    await page.getByTestId('status-home').click();
    await page.waitForURL(/pages\/index\/index/, { timeout: 10_000 });
    await page.context().close();
  });

  it('a campaign that does not exist offers 回到首页, not a retry that cannot help', async () => {
    const page = await open('packages/campaign/detail/index?campaign=cmp-nope&persona=bob');
    await page.getByTestId('status-error').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.getByTestId('status-error').textContent()).toContain('内容不存在或已下架');
    expect(await page.getByText('重试').count()).toBe(0);
    await page.getByTestId('status-home').click();
    await page.waitForURL(/pages\/index\/index/, { timeout: 10_000 });
    await page.context().close();
  });

  it('loads no picture from another host', async () => {
    const foreign: string[] = [];
    const page = await open('pages/index/index');
    page.on('request', (request) => {
      if (!request.url().startsWith(journey.cloud.url) && !request.url().startsWith('data:')) foreign.push(request.url());
    });
    for (const hash of [
      'pages/member/index?persona=alice',
      'packages/campaign/detail/index?campaign=cmp-nope',
      'packages/campaign/detail/index',
    ]) {
      await page.goto(`${journey.cloud.url}/#/${hash}`);
      await page.waitForLoadState('networkidle');
    }
    expect(foreign).toEqual([]);
    await page.context().close();
  });
});
