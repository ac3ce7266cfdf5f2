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

  it('claims within 4 database requests on a warm instance for an existing member', async () => {
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
    expect(used).toBeLessThanOrEqual(4);
  });
});
