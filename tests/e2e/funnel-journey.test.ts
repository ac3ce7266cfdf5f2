import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ARTICLES } from '../../server/admin/seed-demo';
import { seedDemo } from '../../scripts/lib/seed';
import { truncateLabel } from '../../scripts/lib/funnel-report';
import { runAdminCli } from '../support/admin-cli';
import { useJourney } from '../support/journey';
import { docOf, docsOf, runJobs } from '../support/orders';
import { shot, shown, visible } from '../support/pages';

/**
 * Issue 16 end to end: two readers land from two article codes the operator made, one of them buys
 * and pays on the local pay sheet, the other does not. The events credit each visit and the payment
 * to the right article; the nightly snapshot (the scheduler's job, the next night after 00:10
 * Shanghai) and `npm run admin -- funnel … --csv` then put the yuan on that article's row, and
 * `--chart` draws both articles. With DUET_SHOTS=<dir>, every page is saved as a 390×844 screenshot.
 */
const NOW = '2026-12-03T02:00:00.000Z'; // 10:00 in Shanghai
const DAY = '2026-12-03';
const NIGHT_AFTER = '2026-12-03T16:30:00.000Z'; // 00:30 in Shanghai, the next night

const SPRING = DEMO_ARTICLES.find((a) => a._id === 'art-spring') as (typeof DEMO_ARTICLES)[number];
const GROUPBUY = DEMO_ARTICLES.find((a) => a._id === 'art-groupbuy') as (typeof DEMO_ARTICLES)[number];

/** Code 1 opens the spring campaign from its article; code 2 opens the tea's product page from the group-buy article. */
const CODE_A = {
  scene: 'fj-spring-1',
  article: SPRING._id,
  campaign: 'cmp-spring',
  channel: 'article',
  page: 'packages/campaign/detail/index',
  params: { campaign: 'cmp-spring', article: SPRING._id },
};
const CODE_B = {
  scene: 'fj-group-2',
  article: GROUPBUY._id,
  channel: 'article',
  page: 'packages/shop/detail/index',
  params: { id: 'prd-spring-tea' },
};

/** Reader A is the seed's carol (no member yet); reader B is a persona of this test only. */
const READER_A = 'carol';
const READER_B = 'dora';

const CSV_HEADER = ['文章', '访客', '新会员', '付款人', '实付(元)', '退款(元)', '净额(元)', '访客→会员', '会员→付款人', 'id'];

/** Taro's H5 Input is a web component with the real <input> inside. */
async function type(page: Page, testId: string, text: string) {
  await (await shown(visible(page, testId).locator('input'))).fill(text);
}

/** RFC 4180: fields separated by commas, a quoted field may hold commas, CR/LF and doubled quotes; records end with CRLF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

function yuan(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

describe('funnel: two readers land from two article codes, one pays, and the CSV credits the yuan to the right article', () => {
  const journey = useJourney();
  const codeUrls = new Map<string, string>();
  const members = new Map<string, string>();
  let orderId = '';
  let payable = 0;
  let tmp = '';

  beforeAll(async () => {
    await journey.cloud.client.clock.set(NOW);
    await seedDemo(journey.cloud.url);
    await journey.cloud.client.personas.upsert([{ name: READER_B, nickname: '朵拉', follows: false }]);
    // The operator makes the two article codes with the admin job, as from the cloud console.
    for (const code of [CODE_A, CODE_B]) {
      const made = await journey.cloud.invoke('admin', { action: 'createArticleCode', ...code });
      expect(made, JSON.stringify(made)).toMatchObject({ ok: true, data: { scene: code.scene } });
    }
    // What each printed 小程序码 encodes on the local cloud: the landing page with its scene.
    const { entries } = await journey.cloud.control<{ entries: Array<{ api: string; response: { url: string } }> }>(
      'GET',
      '/_emu/outbox?kind=wxacode',
    );
    for (const code of [CODE_A, CODE_B]) {
      const entry = entries.find((e) => e.api === 'wxacode.getUnlimited' && e.response.url.endsWith(`?scene=${code.scene}`));
      expect(entry, `no wxacode for ${code.scene} in the outbox`).toBeDefined();
      codeUrls.set(code.scene, entry?.response.url as string);
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-funnel-journey-'));
  });

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('each reader lands where their code leads; the visits are credited to their code’s article', async () => {
    // Reader A scans code 1: the spring campaign, naming the article it came from.
    const urlA = codeUrls.get(CODE_A.scene) as string;
    expect(urlA).toContain(`packages/entry/landing/index?scene=${CODE_A.scene}`);
    const pageA = await journey.browser.newContext({ viewport: { width: 390, height: 844 } }).then((c) => c.newPage());
    await pageA.goto(`${urlA}&persona=${READER_A}`);
    expect(await (await shown(visible(pageA, 'campaign-name'))).textContent()).toBe('春季会员节');
    expect(await visible(pageA, 'campaign-article').textContent()).toBe(`来自文章《${SPRING.title}》`);
    expect(pageA.url()).toContain('packages/campaign/detail/index');
    await shot(pageA, 'funnel-01-reader-a-campaign');
    await pageA.context().close();

    // Reader B scans code 2: the tea's product page.
    const urlB = codeUrls.get(CODE_B.scene) as string;
    expect(urlB).toContain(`packages/entry/landing/index?scene=${CODE_B.scene}`);
    const pageB = await journey.browser.newContext({ viewport: { width: 390, height: 844 } }).then((c) => c.newPage());
    await pageB.goto(`${urlB}&persona=${READER_B}`);
    expect(await (await shown(visible(pageB, 'product-title'))).textContent()).toBe('明前龙井春茶礼盒');
    expect(pageB.url()).toContain('packages/shop/detail/index?id=prd-spring-tea');
    await shot(pageB, 'funnel-02-reader-b-product');

    // B buys the 250g tea: SKU sheet → checkout with a new address → the local pay sheet → 确认支付.
    await visible(pageB, 'product-buy').click();
    const picker = await shown(visible(pageB, 'sku-picker'));
    await picker.getByTestId('sku-value-规格-250g').click();
    await expect.poll(() => picker.getByTestId('sku-chosen').textContent()).toBe('已选 250g');
    expect(await picker.getByTestId('sku-price').textContent()).toBe('¥158.00');
    await shot(pageB, 'funnel-03-reader-b-sku');
    await visible(pageB, 'sku-confirm').click();
    await pageB.waitForURL(/packages\/order\/checkout\/index\?lines=/, { timeout: 10_000 });
    await shown(visible(pageB, 'address-form'));
    await type(pageB, 'address-name', '朵拉');
    await type(pageB, 'address-phone', '13700137000');
    await type(pageB, 'address-region', '浙江省 杭州市 西湖区');
    await type(pageB, 'address-detail', '文三路 200 号');
    await visible(pageB, 'address-save').click();
    expect(await (await shown(visible(pageB, 'address-summary'))).textContent()).toContain('137****7000');
    await shot(pageB, 'funnel-04-reader-b-checkout');
    await visible(pageB, 'checkout-submit').click();
    const paySheet = await shown(pageB.getByTestId('local-sheet-pay'));
    const shownAmount = (await paySheet.getByTestId('pay-amount').textContent()) as string;
    await shot(pageB, 'funnel-05-reader-b-pay-sheet');
    await paySheet
      .locator('taro-button-core')
      .filter({ hasText: /^确认支付$/ })
      .click();
    await pageB.waitForURL(/packages\/order\/detail\/index\?id=/, { timeout: 20_000 });
    orderId = new URL(pageB.url().replace('#/', '')).searchParams.get('id') as string;
    await expect.poll(() => visible(pageB, 'order-state').first().textContent(), { timeout: 15_000 }).toBe('待发货');
    await shot(pageB, 'funnel-06-reader-b-paid');
    await pageB.context().close();

    // The database: the order is paid, and the sheet asked for its payable.
    const order = await docOf(journey.cloud, 'orders', orderId);
    expect(order).toMatchObject({ state: 'paid', subtotal: 15800 });
    payable = order.payable;
    expect(payable).toBeGreaterThan(0);
    expect(shownAmount).toBe(`¥${yuan(payable)}`);
    members.set(READER_A, (await docsOf(journey.cloud, 'identities', { openid: `o-mini-${READER_A}` }))[0]?.memberId);
    members.set(READER_B, order.memberId);
    expect(members.get(READER_A)).toBeTruthy();
    expect(members.get(READER_A)).not.toBe(members.get(READER_B));

    // Each reader's visit is credited to their code's article; only B's order is paid, credited to article 2.
    const visits = await docsOf(journey.cloud, 'events', { kind: 'visit' });
    const visitA = visits.filter((e) => e.memberId === members.get(READER_A));
    const visitB = visits.filter((e) => e.memberId === members.get(READER_B));
    expect(visitA, JSON.stringify(visits)).toHaveLength(1);
    expect(visitB, JSON.stringify(visits)).toHaveLength(1);
    expect(visitA[0]).toMatchObject({ attributed: true, touch: { scene: CODE_A.scene, article: SPRING._id, channel: 'article' } });
    expect(visitB[0]).toMatchObject({ attributed: true, touch: { scene: CODE_B.scene, article: GROUPBUY._id, channel: 'article' } });
    const paid = await docsOf(journey.cloud, 'events', { kind: 'order_paid' });
    expect(paid.filter((e) => e.memberId === members.get(READER_A))).toEqual([]);
    const paidB = paid.filter((e) => e.memberId === members.get(READER_B));
    expect(paidB, JSON.stringify(paid)).toHaveLength(1);
    expect(paidB[0]).toMatchObject({
      _id: `order_paid:${orderId}`,
      orderId,
      fen: payable,
      touch: { scene: CODE_B.scene, article: GROUPBUY._id, channel: 'article' },
    });
  });

  it('the next night’s snapshot and `npm run admin -- funnel --csv` put the yuan on article 2, none on article 1', async () => {
    expect(orderId, 'the first test made the order').not.toBe('');
    // The seed's demo group (bob's seat, paid on this day without a code) is the day's only other payment.
    const otherPaid = (await docsOf(journey.cloud, 'events', { kind: 'order_paid' })).filter((e) => e.orderId !== orderId);
    const otherFen = otherPaid.reduce((sum, e) => sum + e.fen, 0);
    for (const event of otherPaid) expect(event.touch, JSON.stringify(event)).toBeNull();

    // The next night after 00:10 in Shanghai, the scheduler's job snapshots yesterday and the six days before it.
    await journey.cloud.client.clock.set(NIGHT_AFTER);
    const night = await runJobs(journey.cloud, ['snapshotFunnel']);
    expect(night.snapshotFunnel, JSON.stringify(night.snapshotFunnel)).toMatchObject({ ran: true, result: { more: false } });
    expect(night.snapshotFunnel.result.done).toContain(DAY);

    const csvFile = path.join(tmp, 'funnel.csv');
    const svgFile = path.join(tmp, 'funnel.svg');
    const cli = await runAdminCli(journey.cloud.url, [
      'funnel',
      JSON.stringify({ from: DAY, to: DAY, by: 'article' }),
      '--csv',
      csvFile,
      '--chart',
      svgFile,
    ]);
    expect(cli, JSON.stringify(cli)).toMatchObject({ code: 0 });
    expect(cli.stdout).toContain('归因：末次非直接触达（7 天窗口）');
    expect(cli.stdout).not.toContain('no snapshot yet');

    const text = fs.readFileSync(csvFile, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual(CSV_HEADER);
    for (const row of rows) expect(row).toHaveLength(CSV_HEADER.length);
    const byId = new Map(rows.map((row) => [row[9], row]));
    const cells = (row: string[] | undefined) => Object.fromEntries(CSV_HEADER.map((name, i) => [name, row?.[i]]));

    // Article 2 (reader B's code): one visitor who joined and paid the order's payable.
    expect(cells(byId.get(GROUPBUY._id)), text).toMatchObject({
      文章: GROUPBUY.title,
      访客: '1',
      新会员: '1',
      付款人: '1',
      '实付(元)': yuan(payable),
      '退款(元)': '0.00',
      '净额(元)': yuan(payable),
    });
    // Article 1 (reader A's code): one visitor, no payer, no yuan.
    expect(cells(byId.get(SPRING._id)), text).toMatchObject({
      文章: SPRING.title,
      访客: '1',
      新会员: '1',
      付款人: '0',
      '实付(元)': '0.00',
      '净额(元)': '0.00',
    });
    // No other article earned anything; what is not an article's is the seed's direct payment.
    for (const row of rows) {
      const id = row[9];
      if (id === GROUPBUY._id || id === SPRING._id || row[0] === '合计') continue;
      expect(id, text).toBe('(direct)');
      expect(cells(row)['实付(元)'], text).toBe(yuan(otherFen));
    }
    const total = rows[rows.length - 1];
    expect(total?.[0]).toBe('合计');
    expect(cells(total)['实付(元)'], text).toBe(yuan(payable + otherFen));
    expect(cells(total)['退款(元)'], text).toBe('0.00');

    // The chart draws both articles by their titles (cut with … past its 24-column label width, as it does).
    const svg = fs.readFileSync(svgFile, 'utf8');
    expect(svg.startsWith('<svg') || svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain(truncateLabel(SPRING.title, 24));
    expect(svg).toContain(truncateLabel(GROUPBUY.title, 24));
  });
});
