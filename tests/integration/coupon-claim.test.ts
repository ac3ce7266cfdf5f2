import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { templateInput } from '../support/coupons';

describe('coupon.claim', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
  });

  const create = async (id: string, overrides: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => {
    const made = await cloud.invoke('couponAdmin', { action: 'createCouponTemplate', id, template: templateInput(overrides), ...extra });
    expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
    return made.data.template;
  };
  const claim = (templateId: string, requestId: string, as: string | { openid: string } = 'alice') =>
    cloud.invoke('coupon', { action: 'claim', templateId, requestId }, as);

  it('issues a coupon, answers the same requestId with the same coupon, and refuses past the limit', async () => {
    await create('tpl-a');
    await cloud.invoke('member', { action: 'login' }, 'alice');
    const first = await claim('tpl-a', 'req-000000000001');
    expect(first).toMatchObject({ ok: true, data: { repeated: false, template: { state: 'claimed', claimedByMe: 1 } } });
    expect(first.data.coupon).toMatchObject({ state: 'usable', name: '测试满减券', source: 'claim' });
    expect(first.data.coupon.validUntil).toBe('2026-12-10T15:59:59.999Z');
    const again = await claim('tpl-a', 'req-000000000001');
    expect(again).toMatchObject({ ok: true, data: { repeated: true, coupon: { couponId: first.data.coupon.couponId } } });
    const other = await claim('tpl-a', 'req-000000000002');
    expect(other).toMatchObject({ ok: false, code: 'RESOURCE_EXHAUSTED', reason: 'limit_reached', message: '你已达到领取上限' });
    const coupons = await cloud.db().collection('coupons').where({ templateId: 'tpl-a' }).get();
    expect(coupons.data).toHaveLength(1);
    const template = (await cloud.db().collection('coupon_templates').doc('tpl-a').get()).data;
    expect(template.stockLeft).toBe(99);
  });

  it('claims within 5 database requests on a warm instance for an existing member', async () => {
    await create('tpl-b', { perMemberLimit: 3, totalStock: 10 });
    await cloud.invoke('member', { action: 'login' }, 'alice');
    // Warms an instance and its template cache (calls one at a time land on the warm instance).
    expect(await claim('tpl-b', 'req-warm-00000001', 'bob')).toMatchObject({ ok: true });
    const before = (await cloud.client.stats()).counts;
    const second = await claim('tpl-b', 'req-warm-00000002');
    expect(second).toMatchObject({ ok: true, data: { repeated: false } });
    const after = (await cloud.client.stats()).counts;
    const used = Object.entries(after)
      .filter(([action]) => action.startsWith('database.'))
      .reduce((sum, [action, n]) => sum + n - (before[action] ?? 0), 0);
    // identity, member, stock, coupon insert, and the `coupon_claimed` funnel event's insert.
    expect(used).toBeLessThanOrEqual(5);
  });

  it('refuses with the reason that holds: not started, ended, not eligible, unknown template — and writes nothing', async () => {
    await create('tpl-later', { claimWindow: { startsAt: '2027-01-01T00:00:00+08:00', endsAt: '2027-02-01T00:00:00+08:00' } });
    await create('tpl-over', { claimWindow: { startsAt: '2026-01-01T00:00:00+08:00', endsAt: '2026-02-01T00:00:00+08:00' } });
    await create('tpl-groupbuy-only', { eligibility: { campaign: 'cmp-groupbuy' } });
    await cloud.invoke('member', { action: 'login' }, 'alice');
    expect(await claim('tpl-later', 'req-refused-0001')).toMatchObject({ ok: false, code: 'FAILED_PRECONDITION', reason: 'not_started' });
    expect(await claim('tpl-over', 'req-refused-0002')).toMatchObject({ ok: false, code: 'FAILED_PRECONDITION', reason: 'ended' });
    expect(await claim('tpl-groupbuy-only', 'req-refused-0003')).toMatchObject({
      ok: false,
      code: 'PERMISSION_DENIED',
      reason: 'not_eligible',
      message: '你暂不符合领取条件',
    });
    expect(await claim('tpl-missing', 'req-refused-0004')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    // A member never reads operators' English detail.
    expect((await claim('tpl-over', 'req-refused-0005')).detail).toBeUndefined();
    expect((await cloud.db().collection('coupons').count()).total).toBe(0);
    const stock = (await cloud.db().collection('coupon_templates').where({}).get()).data.map((t: { stockLeft: number }) => t.stockLeft);
    expect(stock).toEqual([100, 100, 100]);
  });

  it('refuses hostile input with INVALID_ARGUMENT and writes nothing', async () => {
    await create('tpl-c');
    const bad = [
      { templateId: { $gt: '' }, requestId: 'req-hostile-0001' },
      { templateId: 'x'.repeat(60_000), requestId: 'req-hostile-0002' },
      { templateId: 'tpl-c', requestId: 'short' },
      { templateId: 'tpl-c', requestId: { $ne: null } },
      { templateId: '$where', requestId: 'req-hostile-0003' },
      { templateId: 'tpl-c', requestId: 'req-hostile-0004', memberId: 'someone-else' },
    ];
    for (const event of bad) {
      expect(await cloud.invoke('coupon', { action: 'claim', ...event }, 'alice'), JSON.stringify(event).slice(0, 80)).toMatchObject({
        ok: false,
        code: 'INVALID_ARGUMENT',
      });
    }
    expect((await cloud.db().collection('coupons').count()).total).toBe(0);
    expect((await cloud.db().collection('coupon_templates').doc('tpl-c').get()).data.stockLeft).toBe(100);
  });

  it('center: a campaign’s listed templates in their state for the caller, claimable first', async () => {
    expect(await cloud.invoke('admin', { action: 'seed' })).toMatchObject({ ok: true });
    await cloud.invoke('member', { action: 'login' }, 'alice');
    await claim('tpl-spring-85', 'req-center-0001');
    const center = await cloud.invoke('coupon', { action: 'center', campaign: 'cmp-spring' }, 'alice');
    expect(center.ok).toBe(true);
    expect(center.data.campaign).toEqual({ id: 'cmp-spring', name: '春季会员节' });
    const states = Object.fromEntries(center.data.templates.map((t: { templateId: string; state: string }) => [t.templateId, t.state]));
    expect(states).toEqual({
      'tpl-spring-new': 'available',
      'tpl-spring-99-20': 'available',
      'tpl-spring-85': 'claimed',
      'tpl-spring-later': 'not_started',
    });
    expect(center.data.templates.map((t: { state: string }) => t.state).slice(0, 2)).toEqual(['available', 'available']);
    const card = center.data.templates.find((t: { templateId: string }) => t.templateId === 'tpl-spring-85');
    expect(card).toMatchObject({
      claimedByMe: 1,
      stockLeft: 199,
      totalStock: 200,
      terms: { kind: 'percent_off', percentOff: 15, cap: 3000 },
    });
    // The storefront lists its own coupon, never the pack's unlisted one.
    const store = await cloud.invoke('coupon', { action: 'center' }, 'alice');
    expect(store.data.templates.map((t: { templateId: string }) => t.templateId)).toEqual(['tpl-store-5']);
    expect(await cloud.invoke('coupon', { action: 'center', campaign: 'cmp-nope' }, 'alice')).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });

  it('wallet: usable soonest-expiring first with "expiring soon" marked, then used and expired; the member center counts the usable', async () => {
    await create('tpl-short', { name: '三日券', validity: { type: 'days_after_claim', days: 2 } });
    await create('tpl-long', { name: '长期券', validity: { type: 'days_after_claim', days: 30 } });
    await create('tpl-tiny', {
      name: '当日券',
      validity: { type: 'fixed', startsAt: '2026-12-01T00:00:00+08:00', endsAt: '2030-01-01T00:00:00+08:00' },
    });
    await cloud.invoke('member', { action: 'login' }, 'alice');
    for (const [id, n] of [
      ['tpl-long', 1],
      ['tpl-short', 2],
      ['tpl-tiny', 3],
    ] as const) {
      expect(await claim(id, `req-wallet-000${n}`)).toMatchObject({ ok: true });
    }
    let wallet = await cloud.invoke('coupon', { action: 'wallet' }, 'alice');
    expect(wallet.data.usable.map((c: { name: string }) => c.name)).toEqual(['三日券', '长期券', '当日券']);
    expect(wallet.data.usable.map((c: { expiringSoon: boolean }) => c.expiringSoon)).toEqual([true, false, false]);
    expect(await cloud.invoke('member', { action: 'summary' }, 'alice')).toMatchObject({ ok: true, data: { usableCoupons: 3 } });
    // Four days on, the 2-day coupon is over: expired by time even before the sweep marks it.
    await cloud.client.clock.advance(4 * 24 * 3600_000);
    wallet = await cloud.invoke('coupon', { action: 'wallet' }, 'alice');
    expect(wallet.data.usable.map((c: { name: string }) => c.name)).toEqual(['长期券', '当日券']);
    expect(wallet.data.expired).toMatchObject([{ name: '三日券', state: 'expired', expiringSoon: false }]);
    expect(await cloud.invoke('member', { action: 'summary' }, 'alice')).toMatchObject({ ok: true, data: { usableCoupons: 2 } });
    expect((await cloud.invoke('coupon', { action: 'wallet' }, 'bob')).data).toMatchObject({ usable: [], used: [], expired: [] });
  });

  it('detail: the caller’s own coupon with its campaign; anyone else’s is not found', async () => {
    expect(await cloud.invoke('admin', { action: 'seed' })).toMatchObject({ ok: true });
    await cloud.invoke('member', { action: 'login' }, 'alice');
    const claimed = await claim('tpl-spring-99-20', 'req-detail-0001');
    const id = claimed.data.coupon.couponId;
    const mine = await cloud.invoke('coupon', { action: 'detail', couponId: id }, 'alice');
    expect(mine).toMatchObject({
      ok: true,
      data: { coupon: { couponId: id, state: 'usable' }, campaign: { id: 'cmp-spring' }, perMemberLimit: 2 },
    });
    expect(await cloud.invoke('coupon', { action: 'detail', couponId: id }, 'bob')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});
