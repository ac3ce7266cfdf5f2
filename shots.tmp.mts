import path from 'node:path';
import { chromium } from 'playwright-core';
import { startEmulator } from './emulator/src/index';
import { buildFunctions } from './scripts/lib/build-functions';
import { seedDemo } from './scripts/lib/seed';

const root = process.cwd();
await buildFunctions({ root });
const emulator = await startEmulator({ port: 0, ephemeral: true, quiet: true, triggers: false, projectRoot: root, h5Dir: path.join(root, 'dist-h5') });
console.log(await seedDemo(emulator.url));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const shots: Array<[string, string]> = process.env.ONLY ? [[process.env.ONLY, process.env.HASH as string]] : [
  ['home', '#/pages/index/index?persona=alice'],
  ['member', '#/pages/member/index?persona=alice'],
  ['member-carol', '#/pages/member/index?persona=carol'],
  ['landing-unknown', '#/packages/entry/landing/index?scene=nope-123&persona=carol'],
  ['landing-spring', '#/packages/entry/landing/index?scene=spring-a1&persona=carol'],
  ['campaign-ended', '#/packages/campaign/detail/index?campaign=cmp-winter&persona=bob'],
  ['campaign-missing-id', '#/packages/campaign/detail/index?persona=bob'],
  ['campaign-unknown', '#/packages/campaign/detail/index?campaign=cmp-nope&persona=bob'],
  ['not-found', '#/packages/nope/index?persona=bob'],
  ['profile', '#/packages/member/profile/index?persona=alice'],
];
const failed: string[] = [];
for (const [name, hash] of shots) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('requestfailed', (r) => failed.push(`${name}: ${r.url()}`));
  await page.goto(`${emulator.url}/${hash}`);
  await page.waitForTimeout(3500);
  await page.screenshot({ path: `/tmp/shots/${name}.png` });
  console.log(name, page.url());
  await context.close();
}
console.log('failed requests:', failed);
await browser.close();
await emulator.stop();
