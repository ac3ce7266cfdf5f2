import { describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';

/** Hostile input gets a clear refusal, writes nothing, and tells an app user nothing internal. */
describe('bad input', () => {
  const cloud = useCloud();
  const count = async (collection: string, where: Record<string, unknown> = {}) =>
    (await cloud.db().collection(collection).where(where).count()).total as number;
  const mpCalls = async () => (await cloud.control<{ entries: any[] }>('GET', '/_emu/outbox?kind=mp')).entries.length;

  it('refuses a 1,000-deep menu and a 10,000-button menu with INVALID_ARGUMENT, calling nothing', async () => {
    let deep: Record<string, unknown> = { name: 'leaf', type: 'click', key: 'K' };
    for (let i = 0; i < 1000; i += 1) deep = { name: `n${i}`, sub_button: [deep] };
    const nested = await cloud.invoke('admin', { action: 'setMpMenu', buttons: [deep] });
    expect(nested).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(nested.detail).toMatch(/buttons\.0\.sub_button\.0/);
    const wide = await cloud.invoke('admin', {
      action: 'setMpMenu',
      buttons: Array.from({ length: 10_000 }, (_, i) => ({ name: `b${i}`, type: 'click', key: `k${i}` })),
    });
    expect(wide).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(wide.detail).toMatch(/^buttons:/);
    expect(await mpCalls()).toBe(0);
  });

  it('refuses a 60 KB target page, writing no event', async () => {
    const refused = await cloud.invoke('member', { action: 'visit', to: `pages/${'a'.repeat(60 * 1024)}` }, 'alice');
    expect(refused).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await count('events')).toBe(0);
  });

  it('credits a share card only with a sharer, campaign and article that exist', async () => {
    const db = cloud.db();
    await db.collection('campaigns').add({ data: { _id: 'camp-real', name: '会员日', createdAt: new Date() } });
    const alice = (await cloud.invoke('member', { action: 'login' }, 'alice')).data;
    const page = 'packages/campaign/detail/index';

    const made = await cloud.invoke(
      'member',
      { action: 'visit', sharer: alice._id, campaign: 'camp-real', article: 'art-made-up', to: page },
      'bob',
    );
    expect(made.data).toMatchObject({ page, params: { campaign: 'camp-real' }, attributed: true });
    const [visit] = (await db.collection('events').where({ kind: 'visit', channel: 'share' }).get()).data;
    expect(visit.touch).toMatchObject({ sharer: alice._id, campaign: 'camp-real', article: null });

    const noSuchSharer = await cloud.invoke('member', { action: 'visit', sharer: 'm-nobody', campaign: 'camp-real', to: page }, 'carol');
    expect(noSuchSharer.data).toMatchObject({ attributed: false, params: {} });
    expect(await count('events', { 'touch.sharer': 'm-nobody' })).toBe(0);
  });

  it('tells an app user the code and a Chinese message, never the English detail; the console gets the detail', async () => {
    const asMember = await cloud.invoke('member', { action: 'visit', to: '../../etc' }, 'alice');
    expect(asMember).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT', message: '请求参数有误，请稍后重试' });
    expect(asMember.detail).toBeUndefined();
    // A member who is not an admin learns nothing of the admin list (no member ids, no openids).
    const stranger = await cloud.invoke('admin', { action: 'listFailedPushes' }, 'bob');
    expect(stranger).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' });
    expect(stranger.detail).toBeUndefined();
    expect(JSON.stringify(stranger)).not.toContain('o-mini-bob');
    const asConsole = await cloud.invoke('member', { action: 'visit', to: '../../etc' });
    expect(asConsole.code).toBe('INVALID_ARGUMENT');
    expect(asConsole.detail).toMatch(/^to: a page path like/);
  });

  it('refuses hostile orders (60 KB ids, 1,000-deep addresses, operators as ids, 10,000 lines) writing nothing', async () => {
    let deep: Record<string, unknown> = { name: '张三' };
    for (let i = 0; i < 1000; i += 1) deep = { name: deep };
    const address = { name: '张三', phone: '13800138000', region: '浙江省', detail: '文三路' };
    const attempts: Array<Record<string, unknown>> = [
      { action: 'create', lines: [{ skuId: 'x'.repeat(60 * 1024), quantity: 1 }], requestId: 'req-bad-00001', address },
      { action: 'create', lines: [{ skuId: 'sku-1', quantity: 1 }], requestId: 'req-bad-00002', address: deep },
      { action: 'create', lines: [{ skuId: { $ne: null }, quantity: 1 }], requestId: 'req-bad-00003', address },
      { action: 'create', lines: [{ skuId: '$where', quantity: 1 }], requestId: 'req-bad-00004', address },
      { action: 'create', lines: [{ skuId: 'sku-1', quantity: 1e9 }], requestId: 'req-bad-00005', address },
      {
        action: 'create',
        lines: Array.from({ length: 10_000 }, (_, i) => ({ skuId: `sku-${i}`, quantity: 1 })),
        requestId: 'req-bad-00006',
        address,
      },
      {
        action: 'create',
        lines: [{ skuId: 'sku-1', quantity: 1 }],
        requestId: 'req-bad-00007',
        address: { ...address, phone: '1'.repeat(60 * 1024) },
      },
      { action: 'quote', lines: [{ skuId: 'sku-1', quantity: 1 }], coupon: { $gt: '' } },
      { action: 'detail', orderId: { $regex: '.*' } },
    ];
    for (const event of attempts) {
      const answer = await cloud.invoke('order', event, 'alice');
      expect(answer, JSON.stringify(answer).slice(0, 300)).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      expect(answer.detail).toBeUndefined();
    }
    expect(await count('orders')).toBe(0);
    expect(await count('stock_reservations')).toBe(0);
  });

  it('refuses a pay callback that did not come from WeChat Pay, changing nothing', async () => {
    const forged = await cloud.invoke(
      'payNotify',
      { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: 'forged000000000001', totalFee: 1, feeType: 'CNY', transactionId: 't1' },
      'alice',
    );
    expect(forged).toMatchObject({ errcode: 403 });
    expect(await count('payment_issues')).toBe(0);
    expect(await count('refunds')).toBe(0);
  });
});
