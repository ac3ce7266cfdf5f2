import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { templateInput } from '../support/coupons';
import { couponServer } from '../support/server';

/**
 * The coupon jobs of the scheduler (expireCoupons, couponExpiringNotices, reconcileCoupons), run
 * by hand as the console runs them, and the reconcile as a couponAdmin console job.
 */
describe('coupon scheduler jobs', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';
  const DAY = 24 * 3600_000;

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
  });

  const db = () => cloud.db();
  const all = async (collection: string, where: Record<string, unknown> = {}) =>
    (await db().collection(collection).where(where).limit(1000).get()).data as any[];
  const templateDoc = async (id: string) => (await db().collection('coupon_templates').doc(id).get()).data;
  /** The local cloud's clock (it runs on from where a test set it). */
  const clockNow = async () => Date.parse((await cloud.client.clock.get()).now);
  /** A stored time that a job stamped while it ran, between two readings of the clock. */
  const expectStampedBetween = (stored: unknown, from: number, to: number) => {
    const at = new Date(stored as string).getTime();
    expect(at).toBeGreaterThanOrEqual(from);
    expect(at).toBeLessThanOrEqual(to);
  };

  const create = async (id: string, overrides: Record<string, unknown> = {}) => {
    const made = await cloud.invoke('couponAdmin', { action: 'createCouponTemplate', id, template: templateInput(overrides) });
    expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
  };
  const claim = async (templateId: string, requestId: string, as = 'alice') => {
    const claimed = await cloud.invoke('coupon', { action: 'claim', templateId, requestId }, as);
    expect(claimed, JSON.stringify(claimed)).toMatchObject({ ok: true });
    return claimed.data.coupon.couponId as string;
  };
  /** One scheduler run of one job, as the console runs it: that job's report. */
  const runJob = async (name: string) => {
    const answer = await cloud.invoke('scheduler', { action: 'run', jobs: [name] });
    expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
    const [run] = answer.data.jobs;
    expect(run, JSON.stringify(run)).toMatchObject({ name, ran: true });
    expect(run.error).toBeUndefined();
    return run.result;
  };

  it('expireCoupons marks usable coupons past their validity expired and leaves the valid, used and locked ones', async () => {
    const server = await couponServer(cloud);
    await create('tpl-2d', { name: '两日券', validity: { type: 'days_after_claim', days: 2 } });
    await create('tpl-30d', { name: '月券', validity: { type: 'days_after_claim', days: 30 } });
    for (const persona of ['alice', 'bob', 'carol']) await cloud.invoke('member', { action: 'login' }, persona);
    const short = await claim('tpl-2d', 'req-expire-0001');
    const long = await claim('tpl-30d', 'req-expire-0002');
    const locked = await claim('tpl-2d', 'req-expire-0003', 'bob');
    const used = await claim('tpl-2d', 'req-expire-0004', 'carol');
    const memberOf = async (id: string) => (await all('coupons', { _id: id }))[0].memberId;
    // bob's coupon is held by an unpaid order, carol's was used by a paid one (server code, see coupon-checkout).
    const at = new Date(await clockNow());
    await server.lockCoupon({ couponId: locked, memberId: await memberOf(locked), orderId: 'order-bob' }, at);
    await server.lockCoupon({ couponId: used, memberId: await memberOf(used), orderId: 'order-carol' }, at);
    await server.consumeCoupon({ couponId: used, orderId: 'order-carol' }, at);

    // Nothing is past its validity yet: the sweep changes nothing.
    expect(await runJob('expireCoupons')).toMatchObject({ expired: 0, more: false });
    const states = async () => Object.fromEntries((await all('coupons')).map((c) => [c._id, c.state]));
    expect(await states()).toEqual({ [short]: 'usable', [long]: 'usable', [locked]: 'locked', [used]: 'used' });

    // The 2-day coupons end at 23:59:59.999 Shanghai on Dec 5; four days on they are over.
    await cloud.client.clock.advance(4 * DAY);
    const runFrom = await clockNow();
    expect(await runJob('expireCoupons')).toMatchObject({ expired: 1, more: false });
    const runTo = await clockNow();
    // The locked one is its order's to release (release-coupon.ts expires it then); the used one stays used.
    expect(await states()).toEqual({ [short]: 'expired', [long]: 'usable', [locked]: 'locked', [used]: 'used' });
    const byId = Object.fromEntries((await all('coupons')).map((c) => [c._id, c]));
    expectStampedBetween(byId[short].expiredAt, runFrom, runTo);
    for (const id of [long, locked, used]) expect(byId[id].expiredAt).toBeUndefined();

    // Safe to run again: nothing left to expire, nothing touched.
    expect(await runJob('expireCoupons')).toMatchObject({ expired: 0, more: false });
    expect(await states()).toEqual({ [short]: 'expired', [long]: 'usable', [locked]: 'locked', [used]: 'used' });
    expect((await all('coupons', { _id: short }))[0].expiredAt).toEqual(byId[short].expiredAt);
  });

  it('couponExpiringNotices writes exactly one coupon.expiring notice per coupon entering its last 3 days', async () => {
    await create('tpl-7d', { name: '七日券', validity: { type: 'days_after_claim', days: 7 } });
    await create('tpl-30d', { name: '月券', validity: { type: 'days_after_claim', days: 30 } });
    await cloud.invoke('member', { action: 'login' }, 'alice');
    const week = await claim('tpl-7d', 'req-notice-0001');
    const month = await claim('tpl-30d', 'req-notice-0002');
    const alice = (await all('coupons', { _id: week }))[0].memberId;

    // Claimed today, valid until Dec 10 23:59:59.999 Shanghai: not in its last 3 days yet.
    expect(await runJob('couponExpiringNotices')).toMatchObject({ written: 0, more: false });
    expect(await all('notices')).toEqual([]);

    // Dec 8, 10:00 Shanghai: the 7-day coupon has less than 3 days left, the 30-day one has weeks.
    await cloud.client.clock.advance(5 * DAY);
    const runFrom = await clockNow();
    expect(await runJob('couponExpiringNotices')).toMatchObject({ written: 1, more: false });
    const runTo = await clockNow();
    expect(await runJob('couponExpiringNotices')).toMatchObject({ written: 0, more: false });
    await cloud.client.clock.advance(DAY);
    expect(await runJob('couponExpiringNotices')).toMatchObject({ written: 0, more: false });

    const notices = await all('notices');
    expect(notices).toHaveLength(1);
    const [notice] = notices;
    const coupon = (await all('coupons', { _id: week }))[0];
    expect(notice).toMatchObject({
      _id: `coupon.expiring:${week}`,
      kind: 'coupon.expiring',
      memberId: alice,
      state: 'pending',
      attempts: 0,
      data: { couponId: week, templateId: 'tpl-7d', name: '七日券' },
    });
    // Due at once: the dispatcher delivers it on its next run.
    expectStampedBetween(notice.dueAt, runFrom, runTo);
    expect(new Date(notice.expiresAt).toISOString()).toBe(new Date(coupon.validUntil).toISOString());
    expect(new Date(notice.expiresAt).toISOString()).toBe('2026-12-10T15:59:59.999Z');
    expect(coupon.expiringNoticeAt).toBeTruthy();
    expect((await all('coupons', { _id: month }))[0].expiringNoticeAt).toBeUndefined();
  });

  it('a notice run that died after writing its notices and before marking the coupons writes no second notice', async () => {
    await create('tpl-7d', { validity: { type: 'days_after_claim', days: 7 } });
    await cloud.invoke('member', { action: 'login' }, 'alice');
    const week = await claim('tpl-7d', 'req-notice-0003');
    await cloud.client.clock.advance(5 * DAY);
    expect(await runJob('couponExpiringNotices')).toMatchObject({ written: 1 });
    // What a run cut off between its two writes leaves: the notice, and the coupon not marked.
    const _ = db().command;
    await db()
      .collection('coupons')
      .doc(week)
      .update({ data: { expiringNoticeAt: _.remove() } });
    expect(await runJob('couponExpiringNotices')).toMatchObject({ written: 0, more: false });
    expect((await all('notices')).map((n) => n._id)).toEqual([`coupon.expiring:${week}`]);
    expect((await all('coupons', { _id: week }))[0].expiringNoticeAt).toBeTruthy();
  });

  describe('reconcile: a claim that died between taking stock and writing its coupon', () => {
    /**
     * alice claims once; bob's claim then fails on its coupon insert (the fault plays a function
     * killed between its two writes): a unit is taken with no coupon for it.
     */
    async function strandOneUnit() {
      await create('tpl-r', { totalStock: 10 });
      await cloud.invoke('member', { action: 'login' }, 'alice');
      await cloud.invoke('member', { action: 'login' }, 'bob');
      await claim('tpl-r', 'req-reconcile-01');
      await cloud.client.faults.add(
        'database.insertDocument',
        { errCode: -501001, errMsg: 'injected: function died before the insert' },
        1,
      );
      const died = await cloud.invoke('coupon', { action: 'claim', templateId: 'tpl-r', requestId: 'req-reconcile-02' }, 'bob');
      expect(died).toMatchObject({ ok: false, code: 'INTERNAL' });
      expect((await cloud.client.faults.list()).faults).toEqual([]);
      const template = await templateDoc('tpl-r');
      expect(await all('coupons', { templateId: 'tpl-r' })).toHaveLength(1);
      expect(template).toMatchObject({ totalStock: 10, stockLeft: 8, reconciled: false });
    }

    it('the scheduler job waits out the quiet window, then returns exactly the stranded unit, once', async () => {
      await strandOneUnit();
      // Right away a claim may still be in flight: the template is busy, nothing is returned.
      const early = await runJob('reconcileCoupons');
      expect(early).toMatchObject({ returned: [], overIssued: [], busy: ['tpl-r'] });
      expect(await templateDoc('tpl-r')).toMatchObject({ stockLeft: 8, reconciled: false });

      await cloud.client.clock.advance(3 * 60_000);
      const late = await runJob('reconcileCoupons');
      expect(late).toMatchObject({ checked: 1, returned: [{ templateId: 'tpl-r', units: 1 }], overIssued: [], busy: [] });
      expect(await templateDoc('tpl-r')).toMatchObject({ totalStock: 10, stockLeft: 9, reconciled: true });
      expect(await all('coupons', { templateId: 'tpl-r' })).toHaveLength(1);

      const again = await runJob('reconcileCoupons');
      expect(again).toMatchObject({ returned: [], overIssued: [], busy: [] });
      expect((await templateDoc('tpl-r')).stockLeft).toBe(9);

      // The unit is really back: taken again by a claim, and the books balance.
      await cloud.invoke('member', { action: 'login' }, 'carol');
      await claim('tpl-r', 'req-reconcile-03', 'carol');
      await cloud.client.clock.advance(3 * 60_000);
      expect(await runJob('reconcileCoupons')).toMatchObject({ checked: 1, returned: [], overIssued: [] });
      const template = await templateDoc('tpl-r');
      expect(template.totalStock - template.stockLeft).toBe((await all('coupons', { templateId: 'tpl-r' })).length);
    });

    it('the couponAdmin console job does the same, for all templates or one', async () => {
      await strandOneUnit();
      await create('tpl-other', { totalStock: 5 });
      const reconcile = (templateId?: string) =>
        cloud.invoke('couponAdmin', { action: 'reconcileCoupons', ...(templateId ? { templateId } : {}) });

      expect(await reconcile('tpl-r')).toEqual({ ok: true, data: { checked: 0, returned: [], overIssued: [], busy: ['tpl-r'] } });
      expect(await reconcile()).toMatchObject({ ok: true, data: { returned: [], busy: ['tpl-r'] } });
      expect((await templateDoc('tpl-r')).stockLeft).toBe(8);

      await cloud.client.clock.advance(3 * 60_000);
      // Another template, never claimed from, is nothing to reconcile.
      expect(await reconcile('tpl-other')).toEqual({ ok: true, data: { checked: 0, returned: [], overIssued: [], busy: [] } });
      expect(await reconcile()).toEqual({
        ok: true,
        data: { checked: 1, returned: [{ templateId: 'tpl-r', units: 1 }], overIssued: [], busy: [] },
      });
      expect(await templateDoc('tpl-r')).toMatchObject({ stockLeft: 9, reconciled: true });
      expect(await reconcile('tpl-r')).toEqual({ ok: true, data: { checked: 0, returned: [], overIssued: [], busy: [] } });
      expect((await templateDoc('tpl-r')).stockLeft).toBe(9);
      expect(await templateDoc('tpl-other')).toMatchObject({ totalStock: 5, stockLeft: 5 });

      // A member is not an operator: refused, nothing reconciled.
      expect(await cloud.invoke('couponAdmin', { action: 'reconcileCoupons' }, 'alice')).toMatchObject({
        ok: false,
        code: 'PERMISSION_DENIED',
      });
    });
  });
});
