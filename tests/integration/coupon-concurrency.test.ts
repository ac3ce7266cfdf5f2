import { beforeEach, describe, expect, it } from 'vitest';
import { identityKey, newMemberDoc } from '../../core/member/member';
import { useCloud } from '../support/cloud';
import { templateInput } from '../support/coupons';

// More instances than the default 4, so claims really interleave in separate processes.
process.env.DUET_FUNCTION_INSTANCES = '8';

describe('coupon claims under concurrency', () => {
  const cloud = useCloud();

  beforeEach(async () => {
    await cloud.client.clock.set('2026-12-03T02:00:00.000Z');
  });

  const create = async (id: string, overrides: Record<string, unknown>) => {
    const made = await cloud.invoke('couponAdmin', { action: 'createCouponTemplate', id, template: templateInput(overrides) });
    expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
  };
  const claim = (templateId: string, requestId: string, as: { openid: string }) =>
    cloud.invoke('coupon', { action: 'claim', templateId, requestId }, as);
  const couponsOf = async (templateId: string) => (await cloud.db().collection('coupons').where({ templateId }).limit(1000).get()).data;
  const template = async (id: string) => (await cloud.db().collection('coupon_templates').doc(id).get()).data;

  /**
   * Members that exist before the sale, written as a login writes them (an identity of the
   * mini-program's appid and its member): a thousand logins through the function would only slow
   * the suite down, and login is tested on its own.
   */
  const logIn = async (users: Array<{ openid: string }>) => {
    const appid = cloud.emulator.ctx.options.appid;
    const now = new Date((await cloud.client.clock.get()).now);
    const db = cloud.db();
    for (let i = 0; i < users.length; i += 100) {
      await Promise.all(
        users.slice(i, i + 100).map(async ({ openid }) => {
          const memberId = `m-${openid}`;
          await db.collection('members').add({ data: newMemberDoc(memberId, null, now) });
          await db.collection('identities').add({
            data: { _id: identityKey(appid, openid), memberId, kind: 'app', appid, openid, createdAt: now },
          });
        }),
      );
    }
    // The first of them through the function: it finds the member written above, and makes no other.
    expect(await cloud.invoke('member', { action: 'login' }, users[0])).toMatchObject({ ok: true, data: { _id: `m-${users[0].openid}` } });
  };

  it('1,000 members claiming a 100-stock template at once get exactly 100 coupons; everyone else is told sold out', async () => {
    await create('tpl-flash', { totalStock: 100, perMemberLimit: 1 });
    const users = Array.from({ length: 1000 }, (_, i) => ({ openid: `flash-${i}` }));
    await logIn(users);
    const answers = await Promise.all(users.map((user, i) => claim('tpl-flash', `flash-req-${String(i).padStart(6, '0')}`, user)));
    const won = answers.filter((answer) => answer.ok);
    const refused = answers.filter((answer) => !answer.ok);
    expect(won).toHaveLength(100);
    expect(refused).toHaveLength(900);
    for (const answer of refused)
      expect(answer).toMatchObject({ code: 'RESOURCE_EXHAUSTED', reason: 'sold_out', message: '优惠券已被领完' });
    const coupons = await couponsOf('tpl-flash');
    expect(coupons).toHaveLength(100);
    expect(new Set(coupons.map((coupon: { memberId: string }) => coupon.memberId)).size).toBe(100);
    expect(new Set(won.map((answer) => answer.data.coupon.couponId))).toEqual(
      new Set(coupons.map((coupon: { _id: string }) => coupon._id)),
    );
    expect(await template('tpl-flash')).toMatchObject({ stockLeft: 0, totalStock: 100 });
    // Really concurrent: the claims were spread over more instances than the default 4.
    const coupon = (await cloud.client.functions.list()).functions.find((fn) => fn.name === 'coupon');
    expect(coupon?.instances.total).toBeGreaterThan(4);
  }, 240_000);

  it('50 claims at once by one member with a limit of 2 issue exactly 2, and give the other units back', async () => {
    await create('tpl-limit', { totalStock: 100, perMemberLimit: 2 });
    const user = { openid: 'greedy' };
    await logIn([user]);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => claim('tpl-limit', `greedy-req-${String(i).padStart(6, '0')}`, user)),
    );
    expect(answers.filter((answer) => answer.ok)).toHaveLength(2);
    for (const answer of answers.filter((a) => !a.ok)) expect(answer.reason === 'limit_reached' || answer.code === 'CONFLICT').toBe(true);
    expect(answers.filter((answer) => !answer.ok && answer.reason === 'limit_reached').length).toBeGreaterThanOrEqual(40);
    expect(await couponsOf('tpl-limit')).toHaveLength(2);
    expect((await template('tpl-limit')).stockLeft).toBe(98);
  }, 120_000);

  it('the same requestId sent 10 times at once claims once, and every answer names that coupon', async () => {
    await create('tpl-retry', { totalStock: 100, perMemberLimit: 5 });
    const user = { openid: 'retrier' };
    await logIn([user]);
    const answers = await Promise.all(Array.from({ length: 10 }, () => claim('tpl-retry', 'same-request-0001', user)));
    const coupons = await couponsOf('tpl-retry');
    expect(coupons).toHaveLength(1);
    for (const answer of answers) {
      expect(answer).toMatchObject({ ok: true, data: { coupon: { couponId: coupons[0]._id } } });
    }
    expect(answers.filter((answer) => !answer.data.repeated)).toHaveLength(1);
    expect((await template('tpl-retry')).stockLeft).toBe(99);
  }, 120_000);
});
