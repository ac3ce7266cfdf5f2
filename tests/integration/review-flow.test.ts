import { createRequire } from 'node:module';
import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { okData } from '../support/envelopes';
import { createOrder, docOf, docsOf, makeProduct, runJobs } from '../support/orders';
import { expectLedgerBalanced, memberIdOf } from '../support/points';

const require = createRequire(import.meta.url);
const PNG = (seed: number) =>
  Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.from([seed, seed + 1, seed + 2])]);

/**
 * Reviews after purchase through the real `review` and `reviewAdmin` functions on the local cloud,
 * with WeChat's content checks served by it: what must hold is read back from the database —
 * one review per completed line, its points once, the product's stats, and nothing at all written
 * when a check refuses or cannot answer.
 */
describe('reviews: a completed order line reviewed once, content-checked, with points and product stats', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
    await makeProduct(cloud, 'prd-r', [
      { id: 'sku-r1', price: 1990, stock: 100, specs: { 杯型: '大杯' } },
      { id: 'sku-r2', price: 990, stock: 100, specs: { 杯型: '中杯' } },
    ]);
  });

  let requests = 0;
  async function order(as = 'alice', lines = [{ skuId: 'sku-r1', quantity: 1 }]): Promise<string> {
    requests += 1;
    const created = okData(await createOrder(cloud, as, lines, `req-review-${String(requests).padStart(4, '0')}`));
    const orderId = created.order.orderId as string;
    await cloud.client.payments.settle(orderId, { deliveries: 1 });
    return orderId;
  }
  async function completedOrder(as = 'alice', lines?: Array<{ skuId: string; quantity: number }>): Promise<string> {
    const orderId = await order(as, lines);
    okData(
      await cloud.invoke('orderAdmin', { action: 'shipOrder', shipments: [{ orderId, carrier: '顺丰速运', trackingNo: 'SF1234567890' }] }),
    );
    okData(await cloud.invoke('order', { action: 'confirmReceipt', orderId }, as));
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'completed' });
    return orderId;
  }
  async function upload(orderId: string, name: string, bytes: Buffer): Promise<string> {
    cloud.db();
    const sdk = require('wx-server-sdk');
    return (await sdk.uploadFile({ cloudPath: `reviews/${orderId}/${name}`, fileContent: bytes })).fileID;
  }
  const submit = (orderId: string, fields: Record<string, unknown> = {}, as = 'alice') =>
    cloud.invoke('review', { action: 'submit', orderId, line: 0, rating: 5, text: '很好喝，会回购', photos: [], ...fields }, as);
  const product = (extra: Record<string, unknown> = {}) => cloud.invoke('review', { action: 'product', productId: 'prd-r', ...extra });

  /** Nothing of a review anywhere: no review, no points entry, no stats change, no event. */
  async function expectNothingStored(orderId: string, memberId: string) {
    expect(await docsOf(cloud, 'reviews', { orderId })).toEqual([]);
    expect(await docsOf(cloud, 'points_ledger', { memberId, source: 'review' })).toEqual([]);
    const stats = await docOf(cloud, 'review_stats', 'prd-r');
    expect(stats?.count ?? 0).toBe(0);
    expect(await docsOf(cloud, 'events', { kind: 'review_posted' })).toEqual([]);
  }

  it('reviews a completed line: review, points once, stats and the product page; the reviewer is a nickname, never an id', async () => {
    const orderId = await completedOrder();
    const alice = await memberIdOf(cloud, 'alice');
    const photo = await upload(orderId, 'p1.png', PNG(1));
    const answer = okData(await submit(orderId, { rating: 4, text: '  好喝\u0000，下次还买 👍🏽 ', photos: [photo], points: 9999 }));
    expect(answer).toMatchObject({ pointsAwarded: 10, review: { rating: 4, text: '好喝，下次还买 👍🏽', specs: '大杯' } });
    expect(answer.review.photos[0]).toMatch(/^http/);

    expect(await docOf(cloud, 'reviews', `${orderId}:0`)).toMatchObject({
      memberId: alice,
      productId: 'prd-r',
      rating: 4,
      state: 'visible',
    });
    const entries = await docsOf(cloud, 'points_ledger', { memberId: alice, source: 'review' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ _id: `ledger:review:${orderId}:0`, delta: 10, title: '商品评价' });
    await expectLedgerBalanced(cloud, alice);
    expect(await docOf(cloud, 'review_stats', 'prd-r')).toMatchObject({ count: 1, sum: 4, stars: [0, 0, 0, 1, 0] });
    expect(await docsOf(cloud, 'events', { kind: 'review_posted' })).toHaveLength(1);

    const page = okData(await product());
    expect(page.summary).toEqual({ count: 1, average: 4, positive: 100 });
    expect(page.reviews).toHaveLength(1);
    expect(page.reviews[0].nickname).toBeTruthy();
    expect(JSON.stringify(page)).not.toContain(alice);
    expect(JSON.stringify(page)).not.toContain('o-mini-alice');

    // The write page shows it reviewed; a second submission is refused and changes nothing.
    expect(okData(await cloud.invoke('review', { action: 'target', orderId, line: 0 }, 'alice'))).toMatchObject({ state: 'reviewed' });
    expect(await submit(orderId, { rating: 1, text: '再来一次' })).toMatchObject({ ok: false, code: 'ALREADY_EXISTS', reason: 'reviewed' });
    expect(await docOf(cloud, 'review_stats', 'prd-r')).toMatchObject({ count: 1, sum: 4 });
    expect(await docsOf(cloud, 'points_ledger', { memberId: alice, source: 'review' })).toHaveLength(1);
  });

  it('10 concurrent submissions of one line: exactly one review, one points entry, stats count 1', async () => {
    const orderId = await completedOrder();
    const alice = await memberIdOf(cloud, 'alice');
    const before = (await docOf(cloud, 'members', alice)).points;
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => submit(orderId, { rating: (i % 5) + 1, text: `第${i}次` })));
    const won = answers.filter((a) => a.ok);
    expect(won, JSON.stringify(answers.filter((a) => !a.ok && a.code !== 'ALREADY_EXISTS'))).toHaveLength(1);
    for (const a of answers.filter((x) => !x.ok)) expect(a).toMatchObject({ code: 'ALREADY_EXISTS', reason: 'reviewed' });
    const reviews = await docsOf(cloud, 'reviews', { orderId });
    expect(reviews).toHaveLength(1);
    expect(await docsOf(cloud, 'points_ledger', { memberId: alice, source: 'review' })).toHaveLength(1);
    expect(await docOf(cloud, 'review_stats', 'prd-r')).toMatchObject({ count: 1, sum: reviews[0].rating });
    expect((await docOf(cloud, 'members', alice)).points).toBe(before + 10);
    await expectLedgerBalanced(cloud, alice);
  });

  it('text failing msgSecCheck is refused with a clear message; nothing is stored', async () => {
    const orderId = await completedOrder();
    const alice = await memberIdOf(cloud, 'alice');
    await cloud.client.security.set([{ contains: '违禁词', suggest: 'risky', label: 20003 }]);
    const refused = await submit(orderId, { text: '这里有违禁词' });
    expect(refused).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT', reason: 'risky_text' });
    expect(refused.message).toContain('不适宜');
    await expectNothingStored(orderId, alice);
    // A "review" verdict is refused too.
    await cloud.client.security.set([{ contains: '加微信', suggest: 'review', label: 10001 }]);
    expect(await submit(orderId, { text: '便宜加微信' })).toMatchObject({ ok: false, reason: 'risky_text' });
    await expectNothingStored(orderId, alice);
    const calls = (await cloud.client.outbox.list('openapi')).entries.filter((e: any) => e.api === 'security.msgSecCheck');
    expect(calls[0]?.request).toMatchObject({ openid: 'o-mini-alice', scene: 2, version: 2 });
  });

  it('an image failing imgSecCheck (87014) is refused; nothing is stored; a clean image then passes', async () => {
    const orderId = await completedOrder();
    const alice = await memberIdOf(cloud, 'alice');
    const good = await upload(orderId, 'good.png', PNG(10));
    const bad = await upload(orderId, 'bad.png', PNG(20));
    await cloud.client.security.set([{ fileId: bad, suggest: 'risky', label: 20002 }]);
    const refused = await submit(orderId, { photos: [good, bad] });
    expect(refused).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT', reason: 'risky_photo' });
    expect(refused.message).toContain('图片');
    await expectNothingStored(orderId, alice);
    expect(okData(await submit(orderId, { photos: [good] })).pointsAwarded).toBe(10);
  });

  it('a content check that times out or answers busy refuses with a retry message; nothing is stored', async () => {
    const orderId = await completedOrder();
    const alice = await memberIdOf(cloud, 'alice');
    await cloud.client.faults.add('security.msgSecCheck', { errCode: -1, errMsg: 'system error' });
    const busy = await submit(orderId);
    expect(busy).toMatchObject({ ok: false, code: 'UNAVAILABLE', reason: 'check_unavailable' });
    expect(busy.message).toContain('稍后重试');
    await cloud.client.faults.add('security.msgSecCheck', 'timeout');
    expect(await submit(orderId)).toMatchObject({ ok: false, code: 'UNAVAILABLE', reason: 'check_unavailable' });
    await expectNothingStored(orderId, alice);
  });

  it('refuses: an order not completed, another member’s order, photos of another order or missing, 7 photos, 501 graphemes', async () => {
    const paid = await order();
    const alice = await memberIdOf(cloud, 'alice');
    expect(await submit(paid)).toMatchObject({ ok: false, code: 'FAILED_PRECONDITION', reason: 'not_completed' });
    const orderId = await completedOrder();
    expect(await submit(orderId, {}, 'bob')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await cloud.invoke('review', { action: 'target', orderId, line: 0 }, 'bob')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const elsewhere = await upload(paid, 'x.png', PNG(30));
    expect(await submit(orderId, { photos: [elsewhere] })).toMatchObject({ ok: false, reason: 'photo_path' });
    const missing = elsewhere.replace(`reviews/${paid}/x.png`, `reviews/${orderId}/gone.png`);
    expect(await submit(orderId, { photos: [missing] })).toMatchObject({ ok: false, reason: 'photo_missing' });
    const seven = Array.from({ length: 7 }, (_, i) => elsewhere.replace('x.png', `p${i}.png`));
    expect(await submit(orderId, { photos: seven })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await submit(orderId, { text: '好'.repeat(501) })).toMatchObject({ ok: false, reason: 'text_too_long' });
    expect(okData(await submit(orderId, { text: '👨‍👩‍👧'.repeat(500) })).pointsAwarded).toBe(10);
    expect(await submit(orderId, { line: 1 })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await docsOf(cloud, 'reviews', { orderId: paid })).toEqual([]);
    await expectLedgerBalanced(cloud, alice);
  });

  it('hideReview takes it off the product page and out of the stats once; a second run changes nothing', async () => {
    const first = await completedOrder('alice');
    const second = await completedOrder('bob', [{ skuId: 'sku-r2', quantity: 1 }]);
    okData(await submit(first, { rating: 5 }));
    okData(await submit(second, { rating: 2, text: '一般' }, 'bob'));
    expect(okData(await product()).summary).toEqual({ count: 2, average: 3.5, positive: 50 });

    const hidden = okData(await cloud.invoke('reviewAdmin', { action: 'hideReview', reviewId: `${second}:0`, reason: '与商品无关' }));
    expect(hidden).toEqual({ reviewId: `${second}:0`, outcome: 'hidden', stats: { count: 1, average: 5 } });
    const again = okData(await cloud.invoke('reviewAdmin', { action: 'hideReview', reviewId: `${second}:0`, reason: '与商品无关' }));
    expect(again).toMatchObject({ outcome: 'already_hidden', stats: { count: 1, average: 5 } });
    expect(await docOf(cloud, 'review_stats', 'prd-r')).toMatchObject({ count: 1, sum: 5, stars: [0, 0, 0, 0, 1] });
    expect(await docOf(cloud, 'reviews', `${second}:0`)).toMatchObject({ state: 'hidden', hiddenReason: '与商品无关' });

    const page = okData(await product());
    expect(page.summary).toEqual({ count: 1, average: 5, positive: 100 });
    expect(page.reviews.map((r: any) => r.reviewId)).toEqual([`${first}:0`]);
    const rows = okData(await cloud.invoke('reviewAdmin', { action: 'listReviews', state: 'hidden' })).reviews;
    expect(rows.map((r: any) => r.reviewId)).toEqual([`${second}:0`]);
    expect(await cloud.invoke('reviewAdmin', { action: 'hideReview', reviewId: 'nope:0', reason: '测试测试' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    // Members cannot run console jobs.
    expect(await cloud.invoke('reviewAdmin', { action: 'hideReview', reviewId: `${first}:0`, reason: '测试测试' }, 'bob')).toMatchObject({
      ok: false,
    });
  });

  it('the product page pages newest first without repeats', async () => {
    const orders: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      orders.push(await completedOrder('alice'));
      okData(await submit(orders[i] as string, { rating: 5, text: `第${i}条` }));
      await cloud.client.clock.advance(60_000);
    }
    const first = okData(await product({ limit: 2 }));
    expect(first.reviews.map((r: any) => r.text)).toEqual(['第2条', '第1条']);
    const next = okData(await product({ limit: 2, cursor: first.nextCursor }));
    expect(next.reviews.map((r: any) => r.text)).toEqual(['第0条']);
    expect(next.nextCursor).toBeNull();
  });

  it('completion writes one review.invite notice that opens the write page (member confirm or the scheduler)', async () => {
    const orderId = await completedOrder();
    const notices = await docsOf(cloud, 'notices', { kind: 'review.invite' });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ _id: `review.invite:${orderId}`, state: 'pending' });
    expect(notices[0].data.page).toBe(`packages/review/write/index?orderId=${orderId}&line=0`);
    // Written by the completing call itself: nothing left for the sweep.
    expect((await docOf(cloud, 'orders', orderId)).reviewInviteAt).toBeUndefined();
    // Confirming again changes nothing.
    okData(await cloud.invoke('order', { action: 'confirmReceipt', orderId }, 'alice'));
    expect(await docsOf(cloud, 'notices', { kind: 'review.invite' })).toHaveLength(1);

    // The scheduler's auto-complete writes it too, once, however often it runs.
    const auto = await order('bob');
    okData(
      await cloud.invoke('orderAdmin', {
        action: 'shipOrder',
        shipments: [{ orderId: auto, carrier: '顺丰速运', trackingNo: 'SF0000000002' }],
      }),
    );
    await cloud.client.clock.advance(31 * 24 * 3600_000);
    await runJobs(cloud, ['completeOrders']);
    await runJobs(cloud, ['completeOrders']);
    expect(await docOf(cloud, 'orders', auto)).toMatchObject({ state: 'completed' });
    expect((await docsOf(cloud, 'notices', { kind: 'review.invite' })).map((n) => n._id).sort()).toEqual(
      [`review.invite:${orderId}`, `review.invite:${auto}`].sort(),
    );
  });

  it('a completion whose call failed before its review.invite gets it from the auto-complete job, once', async () => {
    const orderId = await order();
    okData(
      await cloud.invoke('orderAdmin', { action: 'shipOrder', shipments: [{ orderId, carrier: '顺丰速运', trackingNo: 'SF1234567891' }] }),
    );
    // The completion lands; the notice's insert right after it fails, so the call fails too.
    await cloud.client.faults.add('database.insertDocument', { errCode: -1, errMsg: 'system busy' });
    const failed = await cloud.invoke('order', { action: 'confirmReceipt', orderId }, 'alice');
    expect(failed.ok).toBe(false);
    expect(await docOf(cloud, 'orders', orderId)).toMatchObject({ state: 'completed', reviewInviteAt: expect.anything() });
    expect(await docsOf(cloud, 'notices', { kind: 'review.invite' })).toHaveLength(0);

    // Within the grace minute the job leaves it (a live call may still be writing it), then writes it once.
    await runJobs(cloud, ['completeOrders']);
    expect(await docsOf(cloud, 'notices', { kind: 'review.invite' })).toHaveLength(0);
    await cloud.client.clock.advance(61_000);
    await runJobs(cloud, ['completeOrders']);
    await runJobs(cloud, ['completeOrders']);
    expect(await docsOf(cloud, 'notices', { kind: 'review.invite' })).toMatchObject([{ _id: `review.invite:${orderId}` }]);
    expect((await docOf(cloud, 'orders', orderId)).reviewInviteAt).toBeUndefined();
  });

  it('the demo seed writes its reviews with consistent stats, once', async () => {
    okData(await cloud.invoke('admin', { action: 'seed' }));
    expect(okData(await cloud.invoke('reviewAdmin', { action: 'seedReviews' }))).toEqual({ reviews: 5 });
    expect(okData(await cloud.invoke('reviewAdmin', { action: 'seedReviews' }))).toEqual({ reviews: 5 });
    expect(await docsOf(cloud, 'reviews', { productId: 'prd-spring-tea' })).toHaveLength(3);
    expect(await docOf(cloud, 'review_stats', 'prd-spring-tea')).toMatchObject({ count: 3, sum: 14, stars: [0, 0, 0, 1, 2] });
    const page = okData(await cloud.invoke('review', { action: 'product', productId: 'prd-spring-tea' }));
    expect(page.summary).toEqual({ count: 3, average: 4.7, positive: 100 });
    expect(page.reviews.map((r: any) => r.nickname)).toEqual(['周周', '阿青', '小林']);
    const hidden = okData(
      await cloud.invoke('reviewAdmin', { action: 'hideReview', reviewId: 'demo-review-order-1:0', reason: '与商品无关' }),
    );
    expect(hidden).toMatchObject({ outcome: 'hidden', stats: { count: 2, average: 4.5 } });
  });
});
