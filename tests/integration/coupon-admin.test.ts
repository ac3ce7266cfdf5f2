import { beforeEach, describe, expect, it } from 'vitest';
import { okData, problemsOf } from '../support/envelopes';
import { useCloud } from '../support/cloud';
import { templateInput } from '../support/coupons';
import { runAdminCli } from '../support/admin-cli';
import { couponServer } from '../support/server';

/**
 * couponAdmin's template jobs as an operator runs them from the console (no user), and as a
 * member tries them. Each case checks what is in the database afterwards, not only the answer.
 */
describe('couponAdmin: coupon templates', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
    await cloud
      .db()
      .collection('campaigns')
      .add({ data: { _id: 'cmp-1', name: '春季会员节' } });
  });

  const admin = (action: string, params: Record<string, unknown> = {}, as?: string) =>
    cloud.invoke('couponAdmin', { action, ...params }, as);
  const create = (params: Record<string, unknown>, as?: string) => admin('createCouponTemplate', params, as);
  const update = (params: Record<string, unknown>, as?: string) => admin('updateCouponTemplate', params, as);
  const claim = (templateId: string, requestId: string, as: string) =>
    cloud.invoke('coupon', { action: 'claim', templateId, requestId }, as);
  const templates = async () => (await cloud.db().collection('coupon_templates').where({}).limit(100).get()).data as any[];
  const templateDoc = async (id: string) => (await cloud.db().collection('coupon_templates').doc(id).get()).data;
  const coupons = async (where: Record<string, unknown> = {}) =>
    (await cloud.db().collection('coupons').where(where).limit(1000).get()).data as any[];
  const ok = okData;
  const problems = problemsOf;

  describe('createCouponTemplate', () => {
    it('creates a valid template with its stock, active, listed, in its campaign', async () => {
      const made = ok(await create({ id: 'tpl-a', campaign: 'cmp-1', template: templateInput({ totalStock: 300, perMemberLimit: 2 }) }));
      expect(made).toMatchObject({
        created: true,
        template: {
          id: 'tpl-a',
          name: '测试满减券',
          campaign: 'cmp-1',
          listed: true,
          status: 'active',
          terms: '满99减20元',
          totalStock: 300,
          stockLeft: 300,
          claimed: 0,
          used: 0,
          perMemberLimit: 2,
          claimStartsAt: '2025-12-31T16:00:00.000Z',
          claimEndsAt: '2029-12-31T16:00:00.000Z',
        },
      });
      const [doc] = await templates();
      expect(doc).toMatchObject({
        _id: 'tpl-a',
        campaign: 'cmp-1',
        status: 'active',
        totalStock: 300,
        stockLeft: 300,
        takes: 0,
        reconciled: true,
        terms: { kind: 'threshold_off', threshold: 9900, amountOff: 2000 },
        validity: { type: 'days_after_claim', days: 7 },
        eligibility: 'anyone',
        scope: 'all',
      });
      // Times are stored as dates, not the strings the operator sent.
      expect(doc.claimWindow.startsAt).toBeInstanceOf(Date);

      // Without an id one is made; without a campaign it is the storefront's.
      const generated = ok(await create({ listed: false, template: templateInput({ name: '礼包券' }) }));
      expect(generated.template).toMatchObject({ campaign: null, listed: false, name: '礼包券' });
      expect(generated.template.id).toMatch(/^tpl-[0-9a-f]{16}$/);
      expect(await templates()).toHaveLength(2);
    });

    it('refuses a bad template with every problem at once and writes nothing', async () => {
      const percent = problems(
        await create({
          id: 'tpl-bad',
          template: templateInput({
            terms: { kind: 'percent_off', percentOff: 0 },
            claimWindow: { startsAt: '2027-02-01T00:00:00+08:00', endsAt: '2027-01-01T00:00:00+08:00' },
            totalStock: 0,
          }),
        }),
      );
      expect(percent).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^template\.terms\.percentOff: .*between 1 and 99/),
          expect.stringMatching(/^template\.terms\.cap: .*integer/),
          expect.stringMatching(/^template\.claimWindow\.endsAt: endsAt must be after startsAt/),
          expect.stringMatching(/^template\.totalStock: .*between 1 and/),
        ]),
      );
      expect(percent).toHaveLength(4);

      const threshold = problems(
        await create({
          id: 'tpl-bad',
          campaign: 'cmp-nowhere',
          template: templateInput({
            terms: { kind: 'threshold_off', threshold: 2000, amountOff: 2000 },
            validity: { type: 'fixed', startsAt: '2026-12-01T00:00:00+08:00', endsAt: '2027-01-01T00:00:00+08:00' },
            perMemberLimit: 0,
          }),
        }),
      );
      expect(threshold).toEqual([
        'template.terms.threshold: a threshold_off threshold must be above its amountOff',
        expect.stringMatching(/^template\.perMemberLimit: /),
        'template.validity.endsAt: a fixed validity cannot end before the claim window does',
        'campaign: no campaign cmp-nowhere',
      ]);
      expect(await templates()).toEqual([]);
    });

    it('refuses an unknown campaign for an otherwise valid template', async () => {
      const answer = await create({ id: 'tpl-lost', campaign: 'cmp-nowhere', template: templateInput() });
      expect(problems(answer)).toEqual(['campaign: no campaign cmp-nowhere']);
      expect(await templates()).toEqual([]);
    });

    it('the same id with the same template again changes nothing; with other terms it is refused', async () => {
      ok(await create({ id: 'tpl-a', campaign: 'cmp-1', template: templateInput() }));
      await cloud.invoke('member', { action: 'login' }, 'alice');
      ok(await claim('tpl-a', 'req-admin-00001', 'alice'));
      ok(await update({ templateId: 'tpl-a', addStock: 20 }));
      const before = await templateDoc('tpl-a');

      // A re-run of the operator's script, after claims and a stock change: the template as it is now.
      const again = ok(await create({ id: 'tpl-a', campaign: 'cmp-1', template: templateInput() }));
      expect(again).toMatchObject({ created: false, template: { id: 'tpl-a', totalStock: 120, stockLeft: 119, claimed: 1 } });
      expect(await templateDoc('tpl-a')).toEqual(before);

      for (const other of [
        { template: templateInput({ terms: { kind: 'threshold_off', threshold: 9900, amountOff: 3000 } }), campaign: 'cmp-1' },
        { template: templateInput({ perMemberLimit: 2 }), campaign: 'cmp-1' },
        { template: templateInput() },
        { template: templateInput(), campaign: 'cmp-1', listed: false },
      ]) {
        const refused = await create({ id: 'tpl-a', ...other });
        expect(refused, JSON.stringify(other)).toMatchObject({ ok: false, code: 'ALREADY_EXISTS' });
      }
      expect(await templateDoc('tpl-a')).toEqual(before);
      expect(await templates()).toHaveLength(1);
    });

    it('refuses hostile input (operator objects, a 60 KB name, 1000-deep nesting) with INVALID_ARGUMENT and writes nothing', async () => {
      let deep: Record<string, unknown> = { leaf: 1 };
      for (let i = 0; i < 1000; i += 1) deep = { a: deep };
      const hostile: Array<Record<string, unknown>> = [
        { id: 'tpl-h1', template: templateInput({ totalStock: { $gt: 0 } }) },
        { id: 'tpl-h2', template: templateInput({ terms: { kind: 'amount_off', amountOff: { $gt: 0 } } }) },
        { id: 'tpl-h3', template: templateInput({ perMemberLimit: { $numberInt: '1' } }) },
        { id: { $gt: '' }, template: templateInput() },
        { id: '$where', template: templateInput() },
        { id: 'tpl-h4', campaign: { $ne: null }, template: templateInput() },
        { id: 'tpl-h5', template: templateInput({ eligibility: { campaign: { $exists: true } } }) },
        { id: 'tpl-h6', template: templateInput({ scope: { productIds: [{ $gt: '' }] } }) },
        { id: 'tpl-h7', template: templateInput({ name: '券'.repeat(30_000) }) },
        { id: 'tpl-h8', template: templateInput({ name: 'x'.repeat(60_000) }) },
        { id: 'x'.repeat(60_000), template: templateInput() },
        { id: 'tpl-h9', template: templateInput({ scope: deep }) },
        { id: 'tpl-h10', template: { ...templateInput(), extra: deep } },
        { id: 'tpl-h11', template: deep },
        { id: 'tpl-h12', template: templateInput({ $where: 'sleep(1000)' }) },
        { id: 'tpl-h13', template: templateInput({ totalStock: 1.5 }) },
        { id: 'tpl-h14', template: templateInput({ totalStock: -100 }) },
        { id: 'tpl-h15', template: [templateInput()] },
        { id: 'tpl-h16', template: templateInput(), $set: { status: 'active' } },
      ];
      for (const params of hostile) {
        const answer = await create(params);
        expect(answer, JSON.stringify(params).slice(0, 120)).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      }
      expect(await templates()).toEqual([]);
    });
  });

  describe('updateCouponTemplate', () => {
    beforeEach(async () => {
      ok(await create({ id: 'tpl-a', campaign: 'cmp-1', template: templateInput({ totalStock: 100 }) }));
      for (const persona of ['alice', 'bob', 'carol']) await cloud.invoke('member', { action: 'login' }, persona);
      ok(await claim('tpl-a', 'req-update-0001', 'alice'));
    });

    /** pause / resume / end through couponAdmin: the job's data on success, the refusal thrown otherwise. */
    const move = async (change: 'pause' | 'resume' | 'end', extra: { addStock?: number } = {}) => {
      const answer = await update({ templateId: 'tpl-a', change, ...extra });
      if (!answer.ok) throw answer;
      return answer.data;
    };

    it('addStock adds to the total and to what is left', async () => {
      const { template } = ok(await update({ templateId: 'tpl-a', addStock: 50 }));
      expect(template).toMatchObject({ totalStock: 150, stockLeft: 149, claimed: 1, status: 'active' });
      expect(await templateDoc('tpl-a')).toMatchObject({ totalStock: 150, stockLeft: 149, status: 'active' });
    });

    it('pause refuses claims with reason paused; resume lets them through again', async () => {
      expect((await move('pause')).template.status).toBe('paused');
      // Asking for the state it is already in is no error.
      expect((await move('pause')).template.status).toBe('paused');
      expect(await claim('tpl-a', 'req-update-0002', 'bob')).toMatchObject({
        ok: false,
        code: 'FAILED_PRECONDITION',
        reason: 'paused',
        message: '优惠券暂停领取，请稍后再试',
      });
      expect(await coupons()).toHaveLength(1);
      expect(await templateDoc('tpl-a')).toMatchObject({ status: 'paused', stockLeft: 99 });
      // Stock may be added while paused.
      expect(ok(await update({ templateId: 'tpl-a', addStock: 5 })).template).toMatchObject({ status: 'paused', totalStock: 105 });

      expect((await move('resume')).template.status).toBe('active');
      expect(await claim('tpl-a', 'req-update-0003', 'bob')).toMatchObject({ ok: true });
      expect(await coupons()).toHaveLength(2);
      expect(await templateDoc('tpl-a')).toMatchObject({ status: 'active', totalStock: 105, stockLeft: 103 });
    });

    it('end refuses claims with reason ended, for good: no more stock, no resume', async () => {
      expect((await move('end')).template).toMatchObject({ status: 'ended', totalStock: 100, stockLeft: 99 });
      expect((await templateDoc('tpl-a')).endedAt).toBeInstanceOf(Date);
      expect(await claim('tpl-a', 'req-update-0004', 'bob')).toMatchObject({ ok: false, code: 'FAILED_PRECONDITION', reason: 'ended' });
      expect(await update({ templateId: 'tpl-a', addStock: 10 })).toMatchObject({ ok: false, code: 'FAILED_PRECONDITION' });
      await expect(move('resume')).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
      await expect(move('pause')).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
      expect(await templateDoc('tpl-a')).toMatchObject({ status: 'ended', totalStock: 100, stockLeft: 99 });
      expect(await coupons()).toHaveLength(1);
    });

    it('a refused update writes nothing', async () => {
      const before = await templateDoc('tpl-a');
      // Found by this test: the status moved first, so the template ended and then the job was refused.
      await expect(move('end', { addStock: 10 })).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
      expect(await templateDoc('tpl-a')).toEqual(before);
      expect(await claim('tpl-a', 'req-update-0005', 'bob')).toMatchObject({ ok: true });
      const after = await templateDoc('tpl-a');

      expect(await update({ templateId: 'tpl-a' })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      for (const bad of [{ addStock: 0 }, { addStock: -5 }, { addStock: 1.5 }, { addStock: { $inc: 1000 } }, { addStock: '10' }]) {
        expect(await update({ templateId: 'tpl-a', ...bad }), JSON.stringify(bad)).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      }
      expect(await update({ templateId: { $ne: '' }, addStock: 1 })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      expect(await update({ templateId: 'tpl-nope', addStock: 1 })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      expect(await templateDoc('tpl-a')).toEqual(after);
    });

    it('an operator pauses a template from the CLI', async () => {
      const paused = await runAdminCli(cloud.url, ['updateCouponTemplate', JSON.stringify({ templateId: 'tpl-a', change: 'pause' })]);
      expect(paused.stderr).toBe('');
      expect(paused.stdout).toMatch(/^status\s+paused$/m);
      expect(await templateDoc('tpl-a')).toMatchObject({ status: 'paused' });
    });

    it('a member not on the admin list is refused every job and changes nothing; an admin member may', async () => {
      const before = await templateDoc('tpl-a');
      const members = (await cloud.db().collection('members').count()).total;
      for (const [action, params, as] of [
        ['updateCouponTemplate', { templateId: 'tpl-a', addStock: 1000 }, 'bob'],
        ['createCouponTemplate', { id: 'tpl-mine', template: templateInput() }, 'bob'],
        ['listCouponTemplates', {}, 'bob'],
        ['reconcileCoupons', {}, 'bob'],
        // dave never logged in: the refusal must not make him a member either.
        ['updateCouponTemplate', { templateId: 'tpl-a', addStock: 1000 }, { openid: 'o-dave' }],
      ] as const) {
        expect(await cloud.invoke('couponAdmin', { action, ...params }, as), action).toMatchObject({
          ok: false,
          code: 'PERMISSION_DENIED',
        });
      }
      // A member never reads the operators' English detail.
      expect((await update({ templateId: 'tpl-a', addStock: 1 }, 'bob')).detail).toBeUndefined();
      expect(await templateDoc('tpl-a')).toEqual(before);
      expect(await templates()).toHaveLength(1);
      expect((await cloud.db().collection('members').count()).total).toBe(members);

      const alice = (await cloud.invoke('member', { action: 'login' }, 'alice')).data._id;
      ok(await cloud.invoke('admin', { action: 'addAdmin', memberId: alice }));
      expect(ok(await update({ templateId: 'tpl-a', addStock: 7 }, 'alice')).template.totalStock).toBe(107);
      expect(await templateDoc('tpl-a')).toMatchObject({ totalStock: 107, stockLeft: 106 });
    });
  });

  describe('listCouponTemplates', () => {
    it('shows each template’s stock left, claimed and used, newest first, and per campaign', async () => {
      const server = await couponServer(cloud);
      ok(await create({ id: 'tpl-a', campaign: 'cmp-1', template: templateInput({ totalStock: 10 }) }));
      ok(
        await create({
          id: 'tpl-b',
          template: templateInput({ name: '通用券', terms: { kind: 'no_threshold', amountOff: 500 }, totalStock: 5, perMemberLimit: 2 }),
        }),
      );
      for (const persona of ['alice', 'bob', 'carol']) await cloud.invoke('member', { action: 'login' }, persona);
      const bobA = ok(await claim('tpl-a', 'req-list-00001', 'bob')).coupon.couponId;
      ok(await claim('tpl-a', 'req-list-00002', 'alice'));
      const aliceB = ok(await claim('tpl-b', 'req-list-00003', 'alice')).coupon.couponId;
      ok(await claim('tpl-b', 'req-list-00004', 'alice'));
      ok(await claim('tpl-b', 'req-list-00005', 'carol'));
      // bob paid an order with his tpl-a coupon; alice's tpl-b coupon is held by an unpaid order (not used).
      const at = new Date((await cloud.client.clock.get()).now);
      const memberOf = async (id: string) => (await coupons({ _id: id }))[0].memberId;
      await server.lockCoupon({ couponId: bobA, memberId: await memberOf(bobA), orderId: 'order-1' }, at);
      await server.consumeCoupon({ couponId: bobA, orderId: 'order-1' }, at);
      await server.lockCoupon({ couponId: aliceB, memberId: await memberOf(aliceB), orderId: 'order-2' }, at);

      const all = ok(await admin('listCouponTemplates')).templates;
      expect(all.map((row: any) => row.id)).toEqual(['tpl-b', 'tpl-a']);
      expect(all[0]).toMatchObject({ campaign: null, terms: '无门槛减5元', totalStock: 5, stockLeft: 2, claimed: 3, used: 0 });
      expect(all[1]).toMatchObject({ campaign: 'cmp-1', terms: '满99减20元', totalStock: 10, stockLeft: 8, claimed: 2, used: 1 });
      // The counts are the database's: coupons issued and used per template.
      expect(await coupons({ templateId: 'tpl-b' })).toHaveLength(3);
      expect(await coupons({ templateId: 'tpl-a', state: 'used' })).toHaveLength(1);

      const campaign = ok(await admin('listCouponTemplates', { campaign: 'cmp-1' })).templates;
      expect(campaign.map((row: any) => row.id)).toEqual(['tpl-a']);
      expect(ok(await admin('listCouponTemplates', { campaign: 'cmp-other' })).templates).toEqual([]);
    });
  });
});
