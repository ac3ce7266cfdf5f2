import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';
import type { BrowseAnswer } from '../src/client';
import { sdkFor, useTestCloud } from './support';

/**
 * The web UI at /_emu/ui/ in Chromium, against a local cloud holding 100,000 documents: pages through
 * them, filters and sorts (answered by the server: the responses are read, not only the screen), edits a
 * document and reads it back through the real SDK, settles a payment and fires a timer, checking what
 * changed each time. With DUET_SHOTS=<dir>, each view is also saved as a 1280×800 screenshot there.
 */

const COUNT = 100_000;
const CITIES = ['上海', '北京', '杭州', '深圳'];
const BUYER = '64b7f0c2a1b2c3d4e5f60718';
const START = Date.parse('2026-01-01T00:00:00.000Z');

const docOf = (i: number) => ({
  _id: `o${String(i).padStart(6, '0')}`,
  n: i,
  total: (i * 7919) % 1000,
  city: CITIES[i % CITIES.length],
  status: i % 10 === 0 ? 'refunded' : 'paid',
  at: { $date: new Date(START + i * 60_000).toISOString() },
  buyer: { $oid: BUYER },
});

async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.DUET_SHOTS;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

describe('the web UI', () => {
  const local = useTestCloud({ functionsDir: path.join(import.meta.dirname, 'fixtures/ui-functions') });
  let browser: Browser;
  let sdk: any;
  beforeAll(async () => {
    browser = await launchChromium();
    sdk = sdkFor(local.emulator, { openid: 'o-mini-alice', appid: local.emulator.ctx.options.appid });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(view: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    // Refusals the journey provokes on purpose (a 400 for a bad filter) are logged by Chromium too; they are checked where they happen.
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 400/.test(message.text())) problems.push(message.text());
    });
    await page.goto(`${local.emulator.url}/_emu/ui/#/${view}`);
    (page as Page & { problems?: string[] }).problems = problems;
    return page;
  }

  /** The next answer of the paging route, as the browser received it. */
  const nextPage = (page: Page) =>
    page
      .waitForResponse((response) => response.url().includes('/_emu/db/bigdata/docs'))
      .then(async (response) => {
        expect(response.status()).toBe(200);
        return (await response.json()) as BrowseAnswer;
      });

  const rowIds = (page: Page) => page.locator('[data-testid=doc-row] td:first-child').allTextContents();

  it('pages, filters and sorts 100,000 documents on the server, and edits one keeping its types', async () => {
    const lines = Array.from({ length: COUNT }, (_, i) => JSON.stringify(docOf(i))).join('\n');
    expect(await local.client.db.importCollection('bigdata', lines)).toEqual({ ok: true, collections: { bigdata: COUNT } });

    const page = await open('data/bigdata');
    const status = page.getByTestId('page-status');
    await expect.poll(() => status.textContent()).toMatch(/^1–50 of 100,000 · answered in [\d.]+ ms$/);
    expect(await page.getByTestId('page-plan').textContent()).toBe('sqlite: SCAN docs');
    expect(await page.getByTestId('coll-bigdata').textContent()).toBe('bigdata100,000');
    const ids = await rowIds(page);
    expect(ids).toHaveLength(50);
    expect(ids[0]).toBe('o000000');
    expect(ids[49]).toBe('o000049');
    // Types are shown, not flattened: a Date and an ObjectId chip in the first row.
    const first = page.getByTestId('doc-row').first();
    expect(await first.locator('.t-Date').textContent()).toBe('Date 2026-01-01T00:00:00Z');
    expect(await first.locator('.t-ObjectId').textContent()).toBe(`ObjectId ${BUYER}`);
    await shot(page, 'ui-01-data-first-page');

    // Next, next, back: keyset pages from the server.
    let answer = nextPage(page);
    await page.getByTestId('next-page').click();
    expect((await answer).docs.map((row) => row.doc._id)).toEqual(Array.from({ length: 50 }, (_, i) => docOf(50 + i)._id));
    await expect.poll(() => status.textContent()).toMatch(/^51–100 of 100,000/);
    answer = nextPage(page);
    await page.getByTestId('next-page').click();
    expect((await answer).docs[0].doc._id).toBe('o000100');
    await expect.poll(() => status.textContent()).toMatch(/^101–150 of 100,000/);
    await page.getByTestId('prev-page').click();
    await expect.poll(() => status.textContent()).toMatch(/^51–100 of 100,000/);
    expect((await rowIds(page))[0]).toBe('o000050');

    // A filter and a sort, answered by the server: 杭州 with a total of at least 900, the largest first.
    const expected = Array.from({ length: COUNT }, (_, i) => docOf(i))
      .filter((doc) => doc.city === '杭州' && doc.total >= 900)
      .sort((a, b) => b.total - a.total || b.n - a.n);
    await page.getByTestId('filter').fill('{"city": "杭州", "total": {"$gte": 900}}');
    await page.getByTestId('sort').fill('total');
    await page.getByTestId('order').selectOption('desc');
    answer = nextPage(page);
    await page.getByTestId('apply').click();
    const filtered = await answer;
    expect(filtered.matched).toBe(expected.length);
    expect(filtered.total).toBe(COUNT);
    expect(filtered.docs.map((row) => row.doc._id)).toEqual(expected.slice(0, 50).map((doc) => doc._id));
    await expect
      .poll(() => status.textContent())
      .toMatch(new RegExp(`^1–50 of ${expected.length.toLocaleString('en-US')} matching \\(100,000 in all\\)`));
    expect((await rowIds(page)).slice(0, 3)).toEqual(expected.slice(0, 3).map((doc) => doc._id));
    answer = nextPage(page);
    await page.getByTestId('next-page').click();
    expect((await answer).docs.map((row) => row.doc._id)).toEqual(expected.slice(50, 100).map((doc) => doc._id));
    await expect.poll(async () => (await rowIds(page))[0]).toBe(expected[50]._id);
    await shot(page, 'ui-02-data-filtered-sorted');
    // The column's header turns the sort around, still on the server, from the first page.
    answer = nextPage(page);
    await page.getByTestId('sort-total').click();
    const ascending = [...expected].sort((a, b) => a.total - b.total || a.n - b.n);
    expect((await answer).docs.map((row) => row.doc._id)).toEqual(ascending.slice(0, 50).map((doc) => doc._id));
    await expect.poll(() => page.getByTestId('sort-total').textContent()).toBe('total ▲');

    // An operator the server does not take is refused with the reason, on the page.
    await page.getByTestId('filter').fill('{"$where": "this.total > 1"}');
    await page.getByTestId('apply').click();
    expect(await page.getByTestId('page-error').textContent()).toBe(
      'filter operator $where is not supported here; top level takes fields, $and and $or',
    );

    // Edit one document: the editor shows relaxed EJSON; a new date and a changed status are saved.
    await page.getByTestId('filter').fill('{"_id": "o000042"}');
    await page.getByTestId('sort').fill('');
    await page.getByTestId('apply').click();
    await expect.poll(() => rowIds(page)).toEqual(['o000042']);
    await page.getByTestId('doc-row').first().click();
    expect(await page.getByTestId('doc-key').textContent()).toBe('"o000042"');
    expect(await page.getByTestId('doc-tree').locator('.t-Date').textContent()).toBe('Date 2026-01-01T00:42:00Z');
    await page.getByTestId('doc-edit').click();
    const editor = page.getByTestId('doc-editor');
    const shown = JSON.parse(await editor.inputValue());
    expect(shown).toEqual({ ...docOf(42), at: { $date: '2026-01-01T00:42:00Z' } });
    await editor.fill(JSON.stringify({ ...shown, status: 'vip', checkedAt: { $date: '2026-03-01T08:00:00.000Z' } }, null, 2));
    await shot(page, 'ui-03-data-editor');
    await page.getByTestId('doc-save').click();
    await expect.poll(() => page.getByTestId('toast').first().textContent()).toBe('Saved.');

    // Through the real SDK: the change is there and the dates are still dates.
    const { data } = await sdk.database().collection('bigdata').doc('o000042').get();
    expect(data.status).toBe('vip');
    expect(data.checkedAt).toBeInstanceOf(Date);
    expect(data.checkedAt.toISOString()).toBe('2026-03-01T08:00:00.000Z');
    expect(data.at).toBeInstanceOf(Date);
    expect(data.at.toISOString()).toBe('2026-01-01T00:42:00.000Z');
    // The ObjectId is still one (the SDK answers it as its hex; the control plane shows its type).
    expect((await local.client.db.doc('bigdata', 'o000042')).doc.buyer).toEqual({ $oid: BUYER });
    expect((await local.client.db.info()).collections.find((c) => c.name === 'bigdata')?.count).toBe(COUNT);
    expect((page as Page & { problems?: string[] }).problems).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('settles a payment, fires a timer, and shows the subscription message as WeChat does', async () => {
    const outTradeNo = 'UIJOURNEY0000001';
    const ordered = await sdk.cloudPay.unifiedOrder({
      functionName: 'payCallback',
      envId: local.emulator.ctx.options.envId,
      subMchId: '1900000109',
      nonceStr: 'uinonce000000001',
      body: 'Duet-茶叶礼盒',
      outTradeNo,
      totalFee: 15800,
      spbillCreateIp: '127.0.0.1',
      subOpenid: 'o-mini-alice',
    });
    expect(ordered.resultCode).toBe('SUCCESS');

    const page = await open('payments');
    const row = page.getByTestId(`payment-${outTradeNo}`);
    expect(await row.getByTestId('payment-state').textContent()).toBe('NOTPAY');
    expect(await row.textContent()).toContain('¥158.00');
    await shot(page, 'ui-04-payments');
    await row.getByTestId('settle-success').click();
    // The pay callback runs in a function instance started for it: a cold start first.
    await expect
      .poll(() => page.locator('[data-testid=toast], [data-testid=toast-error]').first().textContent(), { timeout: 20_000 })
      .toBe(`${outTradeNo}: SUCCESS · callback acked`);
    await expect.poll(() => row.getByTestId('payment-state').textContent()).toBe('SUCCESS');
    const { payment } = await local.client.payments.get(outTradeNo);
    expect(payment.state).toBe('SUCCESS');
    expect(payment.deliveries).toHaveLength(1);
    expect(payment.callbackAcked).toBe(true);

    // The timer: its next fire is shown; "fire now" runs it once.
    await local.client.grants.add({ openid: 'o-mini-alice', templateIds: ['TPL_COUPON_EXPIRING'], result: 'accept' });
    const { triggers } = await local.client.triggers.list();
    const nightly = triggers.find((t) => t.function === 'nightly');
    expect(nightly?.next).toBeTruthy();
    await page.goto(`${local.emulator.url}/_emu/ui/#/timers`);
    const trigger = page.getByTestId('trigger-nightly');
    const next = new Date(Date.parse(String(nightly?.next)) + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
    expect(await trigger.getByTestId('trigger-next').textContent()).toBe(next);
    expect(next.slice(11)).toBe('03:00:00');
    await trigger.getByTestId('fire-nightly').click();
    // A cold start of the function first.
    await expect.poll(() => page.getByTestId('fire-result').textContent(), { timeout: 20_000 }).toContain('"runs": 1');
    expect(await page.getByTestId('fire-result').textContent()).toContain('"sent": "sent"');
    await shot(page, 'ui-05-timers');
    const { data: cursor } = await sdk.database().collection('job_cursors').doc('nightly').get();
    expect(cursor.runs).toBe(1);
    expect(cursor.at).toBeInstanceOf(Date);

    // The outbox: the reminder as WeChat's card.
    await page.goto(`${local.emulator.url}/_emu/ui/#/outbox`);
    const card = page.getByTestId('wx-card').first();
    expect(await card.getByTestId('wx-card-title').textContent()).toBe('优惠券到期提醒');
    expect(await card.locator('dt').allTextContents()).toEqual(['thing1', 'date2', 'thing3']);
    expect(await card.locator('dd').allTextContents()).toEqual(['满50减8优惠券', '2026年12月31日', '记得在到期前使用']);
    expect(await card.locator('.wx-foot').textContent()).toContain('进入小程序查看');
    await shot(page, 'ui-06-outbox');

    // The clock moves an hour from the page.
    await page.goto(`${local.emulator.url}/_emu/ui/#/timers`);
    await page.getByTestId('advance-minutes').fill('60');
    await page.getByTestId('clock-advance').click();
    await expect.poll(async () => (await local.client.clock.get()).offsetMs).toBeGreaterThanOrEqual(3_600_000);

    // A function called as a persona from the page; its log names the caller.
    await page.goto(`${local.emulator.url}/_emu/ui/#/functions/payCallback`);
    await page.getByTestId('invoke-event').fill('{"hello": "world"}');
    await page.getByTestId('invoke-as').selectOption('bob');
    await page.getByTestId('invoke').click();
    await expect.poll(() => page.getByTestId('invoke-result').textContent(), { timeout: 20_000 }).toContain('"errcode": 0');
    await expect.poll(() => page.getByTestId('fn-logs').textContent()).toContain('wx_client · o-mini-bob');
    await shot(page, 'ui-07-functions');

    for (const view of ['faults', 'personas', 'stats']) {
      await page.goto(`${local.emulator.url}/_emu/ui/#/${view}`);
      await page.getByTestId(`nav-${view}`).waitFor();
      await shot(page, `ui-08-${view}`);
    }
    expect(await page.getByTestId('stats').textContent()).toContain('wx.wxPayApi');
    expect((page as Page & { problems?: string[] }).problems).toEqual([]);
    await page.context().close();
  }, 120_000);
});
