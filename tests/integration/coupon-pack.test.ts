import { beforeEach, describe, expect, it } from 'vitest';
import { runAdminCli } from '../support/admin-cli';
import { okData } from '../support/envelopes';
import { type TestCloud, useCloud } from '../support/cloud';
import { templateInput } from '../support/coupons';

const OTHER_APP = 'wx0ther000000000a';

/**
 * Coupons a member is given rather than claims: the new-member pack (once per member, on the first
 * login or the first 公众号 follow, under concurrency and merges), coupons across a merge, and
 * operators' grants (once per member per batch, resumable, with progress in the CLI).
 */
describe('new-member pack, merges and grants', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
  });

  type As = Parameters<TestCloud['invoke']>[2];
  const login = async (as: As) => {
    const answer = await cloud.invoke('member', { action: 'login' }, as);
    expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
    return answer.data._id as string;
  };
  const ok = okData;
  const couponAdmin = (action: string, params: Record<string, unknown> = {}) => cloud.invoke('couponAdmin', { action, ...params });
  const create = async (id: string, overrides: Record<string, unknown> = {}, listed = true) =>
    ok(await couponAdmin('createCouponTemplate', { id, listed, template: templateInput(overrides) }));
  const claim = (templateId: string, requestId: string, as: As) => cloud.invoke('coupon', { action: 'claim', templateId, requestId }, as);
  const all = async (collection: string, where: Record<string, unknown> = {}) =>
    (await cloud.db().collection(collection).where(where).limit(1000).get()).data as any[];
  const memberDoc = async (id: string) => (await all('members', { _id: id }))[0];
  const stockLeft = async (templateId: string) => (await all('coupon_templates', { _id: templateId }))[0].stockLeft as number;
  const nowS = async () => Math.floor(Date.parse((await cloud.client.clock.get()).now) / 1000);
  const push = (persona: string, type: 'subscribe' | 'unsubscribe', createTime: number) =>
    cloud.client.mp.push({ persona, type, createTime }) as Promise<any>;

  describe('the new-member pack', () => {
    it('20 parallel first logins of one new user grant the seeded pack once; later logins add none', async () => {
      ok(await cloud.invoke('admin', { action: 'seed' }));
      const stock = await stockLeft('tpl-welcome-8');
      const ids = await Promise.all(Array.from({ length: 20 }, () => login({ openid: 'p1' })));
      expect(new Set(ids).size).toBe(1);
      const [member] = ids;
      const pack = await all('coupons', { memberId: member });
      expect(pack).toHaveLength(1);
      expect(pack[0]).toMatchObject({ _id: `pack:tpl-welcome-8:${member}`, templateId: 'tpl-welcome-8', source: 'pack', state: 'usable' });
      // Every login that lost the race gave its unit back.
      expect(await stockLeft('tpl-welcome-8')).toBe(stock - 1);
      expect((await memberDoc(member)).newMemberPackAt).toBeInstanceOf(Date);

      await cloud.client.clock.advance(24 * 3600_000);
      for (let i = 0; i < 3; i += 1) await login({ openid: 'p1' });
      expect(await all('coupons')).toHaveLength(1);
      expect(await stockLeft('tpl-welcome-8')).toBe(stock - 1);
      // The wallet shows it.
      const wallet = ok(await cloud.invoke('coupon', { action: 'wallet' }, { openid: 'p1' }));
      expect(wallet.usable).toMatchObject([{ templateId: 'tpl-welcome-8', source: 'pack', name: '新人礼包券' }]);
    });

    it('a member created before the pack was set up gets none; one created after does', async () => {
      await create('tpl-pack', { name: '新人券' }, false);
      // bob became a member by following the 公众号 before the pack existed.
      await push('bob', 'subscribe', await nowS());
      const [bob] = await all('members');
      expect(bob).toMatchObject({ unionid: 'u-bob', followsMp: true });

      await cloud.client.clock.advance(60_000);
      const set = ok(await couponAdmin('setNewMemberPack', { templateIds: ['tpl-pack'] }));
      expect(set).toMatchObject({ templateIds: ['tpl-pack'], trigger: 'login' });
      // bob's first mini-program login lands on that member: he joined before activeFrom.
      expect(await login('bob')).toBe(bob._id);
      const alice = await login('alice');
      expect((await all('coupons')).map((c) => c._id)).toEqual([`pack:tpl-pack:${alice}`]);
      expect(await stockLeft('tpl-pack')).toBe(99);
    });

    it('with trigger follow, the pack comes with the first 公众号 subscribe, not the login, and once', async () => {
      await create('tpl-pack', { name: '关注礼券' }, false);
      ok(await couponAdmin('setNewMemberPack', { templateIds: ['tpl-pack'], trigger: 'follow' }));
      // bob (unlike alice) does not follow the 公众号 yet.
      const bob = await login('bob');
      expect(await all('coupons')).toEqual([]);

      const t = await nowS();
      const followed = await push('bob', 'subscribe', t);
      expect(followed.response).toMatchObject({ statusCode: 200 });
      expect(await memberDoc(bob)).toMatchObject({ followsMp: true });
      expect(await all('coupons')).toMatchObject([{ _id: `pack:tpl-pack:${bob}`, memberId: bob, source: 'pack' }]);

      // Unfollow and follow again, log in again: still one.
      await push('bob', 'unsubscribe', t + 1);
      await push('bob', 'subscribe', t + 2);
      await login('bob');
      expect(await all('coupons')).toHaveLength(1);
      expect(await stockLeft('tpl-pack')).toBe(99);

      // A brand-new follower (carol has no unionid: a member of her own) gets it on the follow too.
      await push('carol', 'subscribe', t + 3);
      const carol = (await all('members')).find((m) => m._id !== bob);
      expect((await all('coupons', { memberId: carol._id })).map((c) => c._id)).toEqual([`pack:tpl-pack:${carol._id}`]);
    });

    it('setNewMemberPack refuses unknown templates and keeps the setting it had', async () => {
      await create('tpl-pack', {}, false);
      ok(await couponAdmin('setNewMemberPack', { templateIds: ['tpl-pack'] }));
      const before = await all('settings');
      const refused = await couponAdmin('setNewMemberPack', { templateIds: ['tpl-pack', 'tpl-nope'] });
      expect(refused).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      expect(refused.detail).toContain('tpl-nope');
      expect(await all('settings')).toEqual(before);
    });
  });

  describe('merges', () => {
    /** dora in the mini-program without a unionid: a member of her own (she has no unionid yet). */
    async function earlyDora() {
      await cloud.client.personas.upsert({ name: 'dora', follows: false });
      return login('dora');
    }

    it('a merge keeps every coupon both members held, repointed to the survivor, and gives no second pack', async () => {
      await create('tpl-1', { perMemberLimit: 1 });
      await create('tpl-3', { perMemberLimit: 3 });
      await create('tpl-gift', {}, false);
      await create('tpl-pack', {}, false);
      ok(await couponAdmin('setNewMemberPack', { templateIds: ['tpl-pack'], trigger: 'login' }));
      await cloud.client.clock.advance(1000);
      const early = await earlyDora();
      const earlyCoupons = [
        `pack:tpl-pack:${early}`,
        ok(await claim('tpl-1', 'req-merge-00001', 'dora')).coupon.couponId,
        ok(await claim('tpl-3', 'req-merge-00002', 'dora')).coupon.couponId,
      ];
      // Then the 公众号 learns her unionid: its follow makes a second member.
      await cloud.client.personas.upsert({ name: 'dora', unionid: 'u-dora' });
      await push('dora', 'subscribe', await nowS());
      const follower = (await all('members')).find((m) => m._id !== early);
      expect(follower).toMatchObject({ unionid: 'u-dora', followsMp: true });
      const granted = ok(await couponAdmin('grantCoupons', { templateId: 'tpl-gift', batchId: 'b-merge', memberIds: [follower._id] }));
      expect(granted).toMatchObject({ granted: 1 });
      const held = [...earlyCoupons, `grant:b-merge:${follower._id}`];
      const coupons = await all('coupons');
      expect(coupons.map((c) => c._id).sort()).toEqual([...held].sort());

      // Her next mini-program login carries the unionid: the two members heal into one. The survivor
      // (made by the follow, never logged in) had no pack; the pack the merged-away member got counts.
      expect(await login('dora')).toBe(follower._id);
      expect((await memberDoc(follower._id)).newMemberPackAt).toBeInstanceOf(Date);
      expect(await memberDoc(early)).toMatchObject({ mergedInto: follower._id });
      const after = await all('coupons');
      expect(after.map((c) => c._id).sort()).toEqual([...held].sort());
      for (const coupon of after) expect(coupon.memberId).toBe(follower._id);
      // Repointed, not re-issued: states, terms and validity are the ones they had.
      const strip = ({ memberId: _m, ...rest }: any) => rest;
      expect(after.map(strip).sort((a, b) => a._id.localeCompare(b._id))).toEqual(
        coupons.map(strip).sort((a, b) => a._id.localeCompare(b._id)),
      );
      const wallet = ok(await cloud.invoke('coupon', { action: 'wallet' }, 'dora'));
      expect(wallet.usable.map((c: any) => c.couponId).sort()).toEqual([...held].sort());
      await login('dora');
      expect(await all('coupons', { templateId: 'tpl-pack' })).toHaveLength(1);
      expect(await stockLeft('tpl-pack')).toBe(99);
    });

    it('the merged member claims no more of a template until below its limit', async () => {
      await create('tpl-1', { perMemberLimit: 1 });
      await create('tpl-3', { perMemberLimit: 3 });
      await create('tpl-early', { perMemberLimit: 1 });
      const early = await earlyDora();
      // Only the member that will be merged away holds this one: the survivor's own first slot is free.
      ok(await claim('tpl-early', 'req-limit-early1', 'dora'));
      // The same person in another mini-program of the brand, with her unionid: a second member.
      const otherApp = { openid: 'o-other-dora', appid: OTHER_APP, unionid: 'u-dora' };
      const other = await login(otherApp);
      expect(other).not.toBe(early);
      for (const [as, n] of [
        ['dora', 1],
        [otherApp, 2],
      ] as const) {
        ok(await claim('tpl-1', `req-limit-0000${n}`, as));
        ok(await claim('tpl-3', `req-limit-0001${n}`, as));
      }
      await cloud.client.personas.upsert({ name: 'dora', unionid: 'u-dora' });
      expect(await login('dora')).toBe(other);
      expect(await memberDoc(other)).toMatchObject({ hasAbsorbed: true });
      expect(await all('coupons', { memberId: other, templateId: 'tpl-1' })).toHaveLength(2);

      // Limit 1, holding 2 after the merge: nothing is taken away, and no claim goes through.
      const stock1 = await stockLeft('tpl-1');
      for (const as of ['dora', otherApp] as const) {
        expect(await claim('tpl-1', `req-limit-1${typeof as === 'string' ? 'mini' : 'other'}`, as)).toMatchObject({
          ok: false,
          code: 'RESOURCE_EXHAUSTED',
          reason: 'limit_reached',
        });
      }
      expect(await all('coupons', { templateId: 'tpl-1' })).toHaveLength(2);
      expect(await stockLeft('tpl-1')).toBe(stock1);

      // Limit 1, held by the merged-away member only: the survivor holds it now and may not claim another.
      expect(await all('coupons', { memberId: other, templateId: 'tpl-early' })).toHaveLength(1);
      expect(await claim('tpl-early', 'req-limit-early2', 'dora')).toMatchObject({ ok: false, reason: 'limit_reached' });
      expect(await all('coupons', { templateId: 'tpl-early' })).toHaveLength(1);
      expect(await stockLeft('tpl-early')).toBe(99);

      // Limit 3, holding 2: exactly one more, then refused.
      const third = ok(await claim('tpl-3', 'req-limit-20001', 'dora'));
      expect(third).toMatchObject({ repeated: false, template: { claimedByMe: 3, state: 'claimed' } });
      expect(await claim('tpl-3', 'req-limit-20002', otherApp)).toMatchObject({ ok: false, reason: 'limit_reached' });
      expect(await claim('tpl-3', 'req-limit-20003', 'dora')).toMatchObject({ ok: false, reason: 'limit_reached' });
      const tpl3 = await all('coupons', { templateId: 'tpl-3' });
      expect(tpl3).toHaveLength(3);
      for (const coupon of tpl3) expect(coupon.memberId).toBe(other);
      expect(await stockLeft('tpl-3')).toBe(97);
      // A retry of a claim the merged-away member made answers that coupon, not a new one.
      expect(await claim('tpl-3', 'req-limit-00011', 'dora')).toMatchObject({ ok: true, data: { repeated: true } });
      expect(await all('coupons', { templateId: 'tpl-3' })).toHaveLength(3);
    });
  });

  describe('grantCoupons', () => {
    /** Members made by logging in: alice, bob, carol and two mini-program users. */
    async function members() {
      const ids: string[] = [];
      for (const as of ['alice', 'bob', 'carol', { openid: 'o-dave' }, { openid: 'o-erin' }] as const) ids.push(await login(as));
      return ids;
    }
    const grant = (params: Record<string, unknown>) => couponAdmin('grantCoupons', { templateId: 'tpl-g', ...params });
    const grantIds = async (batchId: string) =>
      (await all('coupons', { batchId }))
        .map((c) => {
          expect(c).toMatchObject({ _id: `grant:${batchId}:${c.memberId}`, source: 'grant', templateId: 'tpl-g' });
          return c.memberId as string;
        })
        .sort();

    it('grants once per member per batch, lists unknown ids, and a re-run grants nothing more', async () => {
      await create('tpl-g', { totalStock: 50 }, false);
      const [alice, bob, carol] = await members();
      const first = ok(await grant({ batchId: 'b1', memberIds: [alice, bob, 'm-nobody', carol, alice] }));
      expect(first).toMatchObject({
        total: 4,
        done: 4,
        remaining: 0,
        granted: 3,
        already: 0,
        unknownMembers: ['m-nobody'],
        stoppedBy: null,
      });
      expect(first.finishedAt).toEqual(expect.any(String));
      expect(await grantIds('b1')).toEqual([alice, bob, carol].sort());
      expect(await stockLeft('tpl-g')).toBe(47);

      // The same batch again, with or without its list: the finished batch as it was, nothing new.
      expect(ok(await grant({ batchId: 'b1', memberIds: [alice, bob, 'm-nobody', carol] }))).toEqual(first);
      expect(ok(await grant({ batchId: 'b1' }))).toEqual(first);
      // Another list under the same batch id is refused, not merged in.
      expect(await grant({ batchId: 'b1', memberIds: [alice] })).toMatchObject({ ok: false, code: 'CONFLICT' });

      // A run that died after granting and before saving its place: the re-run finds the coupons.
      await cloud
        .db()
        .collection('job_cursors')
        .doc('grant:b1')
        .update({ data: { offset: 0, granted: 0, already: 0, unknownMembers: [], doneAt: null } });
      const rerun = ok(await grant({ batchId: 'b1' }));
      expect(rerun).toMatchObject({ done: 4, remaining: 0, granted: 0, already: 3, unknownMembers: ['m-nobody'] });
      expect(await grantIds('b1')).toEqual([alice, bob, carol].sort());
      expect(await stockLeft('tpl-g')).toBe(47);

      // A new batch is a new grant.
      expect(ok(await grant({ batchId: 'b2', memberIds: [alice] }))).toMatchObject({ granted: 1 });
      expect(await all('coupons', { memberId: alice })).toHaveLength(2);
      expect(await grant({ batchId: 'b3', templateId: 'tpl-nope', memberIds: [alice] })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      expect(await all('job_cursors', { _id: 'grant:b3' })).toEqual([]);
    });

    it('refuses hostile input with INVALID_ARGUMENT and writes nothing', async () => {
      await create('tpl-g', {}, false);
      const alice = await login('alice');
      for (const params of [
        { batchId: 'b-h', memberIds: [{ $gt: '' }] },
        { batchId: 'b-h', memberIds: { $in: [alice] } },
        { batchId: { $ne: null }, memberIds: [alice] },
        { batchId: '$b', memberIds: [alice] },
        { batchId: 'b-h', memberIds: ['x'.repeat(60_000)] },
        { batchId: 'b-h', memberIds: Array.from({ length: 10_001 }, (_, i) => `m-${i}`) },
        { batchId: 'b-h', memberIds: [] },
        { batchId: 'b-h', memberIds: [alice], chunkSize: 0 },
        { batchId: 'b-h', memberIds: [alice], templateId: { $gt: '' } },
        { batchId: 'b-h' },
      ]) {
        expect(await grant(params), JSON.stringify(params).slice(0, 100)).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      }
      for (const params of [{ templateIds: [{ $gt: '' }] }, { templateIds: 'tpl-g' }, { templateIds: ['tpl-g'], trigger: 'scan' }]) {
        expect(await couponAdmin('setNewMemberPack', params), JSON.stringify(params)).toMatchObject({
          ok: false,
          code: 'INVALID_ARGUMENT',
        });
      }
      expect(await all('coupons')).toEqual([]);
      expect(await all('job_cursors')).toEqual([]);
      expect(await all('settings')).toEqual([]);
      expect(await stockLeft('tpl-g')).toBe(100);
    });

    it('a merged-away id is granted to the member it became, once', async () => {
      await create('tpl-g', {}, false);
      await cloud.client.personas.upsert({ name: 'dora', follows: false });
      const early = await login('dora');
      const other = await login({ openid: 'o-other-dora', appid: OTHER_APP, unionid: 'u-dora' });
      await cloud.client.personas.upsert({ name: 'dora', unionid: 'u-dora' });
      expect(await login('dora')).toBe(other);

      const done = ok(await grant({ batchId: 'b-m', memberIds: [early, other] }));
      expect(done).toMatchObject({ total: 2, granted: 1, already: 1, unknownMembers: [] });
      expect(await all('coupons')).toMatchObject([{ _id: `grant:b-m:${other}`, memberId: other }]);
      expect(await stockLeft('tpl-g')).toBe(99);
    });

    it('stops when sold out and continues after addStock', async () => {
      await create('tpl-g', { totalStock: 3 }, false);
      const ids = await members();
      const stopped = ok(await grant({ batchId: 'b-s', memberIds: ids }));
      expect(stopped).toMatchObject({ total: 5, stoppedBy: 'sold_out', finishedAt: null });
      expect(stopped.remaining).toBeGreaterThanOrEqual(2);
      expect(await all('coupons')).toHaveLength(3);
      expect(await stockLeft('tpl-g')).toBe(0);
      // Nothing more while it is sold out.
      expect(ok(await grant({ batchId: 'b-s' }))).toMatchObject({ stoppedBy: 'sold_out', done: stopped.done });
      expect(await all('coupons')).toHaveLength(3);

      ok(await couponAdmin('updateCouponTemplate', { templateId: 'tpl-g', addStock: 2 }));
      const finished = ok(await grant({ batchId: 'b-s' }));
      expect(finished).toMatchObject({ total: 5, done: 5, remaining: 0, stoppedBy: null, unknownMembers: [] });
      // A member granted in the first run after the first sold-out one is found again as `already`.
      expect(finished.granted + finished.already).toBe(5);
      expect(finished.finishedAt).toEqual(expect.any(String));
      expect(await grantIds('b-s')).toEqual([...ids].sort());
      expect(await stockLeft('tpl-g')).toBe(0);
    });

    it('stops at a paused template and says so; resumes with the template', async () => {
      await create('tpl-g', {}, false);
      const ids = await members();
      ok(await couponAdmin('updateCouponTemplate', { templateId: 'tpl-g', change: 'pause' }));
      expect(ok(await grant({ batchId: 'b-p', memberIds: ids }))).toMatchObject({ done: 0, stoppedBy: 'paused', granted: 0 });
      expect(await all('coupons')).toHaveLength(0);
      expect(await stockLeft('tpl-g')).toBe(100);
      ok(await couponAdmin('updateCouponTemplate', { templateId: 'tpl-g', change: 'resume' }));
      expect(ok(await grant({ batchId: 'b-p' }))).toMatchObject({ done: 5, remaining: 0, stoppedBy: null, granted: 5 });
      expect(await grantIds('b-p')).toEqual([...ids].sort());
    });

    it('chunkSize makes a batch resumable: remaining > 0 until it is done', async () => {
      await create('tpl-g', {}, false);
      const ids = await members();
      const runs = [];
      for (let i = 0; i < 3; i += 1) runs.push(ok(await grant({ batchId: 'b-c', memberIds: ids, chunkSize: 2 })));
      expect(runs.map((r) => [r.done, r.remaining, r.granted])).toEqual([
        [2, 3, 2],
        [4, 1, 4],
        [5, 0, 5],
      ]);
      expect(runs[1].finishedAt).toBeNull();
      expect(runs[2].finishedAt).toEqual(expect.any(String));
      expect(await grantIds('b-c')).toEqual([...ids].sort());
      expect(await stockLeft('tpl-g')).toBe(95);
    });

    it('npm run admin -- grantCoupons runs the batch to the end, printing progress', async () => {
      await create('tpl-g', {}, false);
      const ids = await members();
      const cli = (...args: string[]) => runAdminCli(cloud.url, args);
      const result = await cli('grantCoupons', JSON.stringify({ templateId: 'tpl-g', batchId: 'b-cli', memberIds: ids, chunkSize: 2 }));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.trim().split('\n')).toEqual(['2/5 members', '4/5 members', '5/5 members  (granted 5, already 0, unknown 0)']);
      expect(await grantIds('b-cli')).toEqual([...ids].sort());

      // Sold out: it says so and how to go on.
      await create('tpl-small', { totalStock: 1 }, false);
      const small = await cli('grantCoupons', JSON.stringify({ templateId: 'tpl-small', batchId: 'b-cli-2', memberIds: ids.slice(0, 2) }));
      expect(small.code).toBe(0);
      expect(small.stdout).toMatch(
        /^1\/2 members {2}\(granted 1, already 0, unknown 0; stopped: sold out: add stock \(updateCouponTemplate\) and run the same command again\)$/m,
      );
      expect(await all('coupons', { batchId: 'b-cli-2' })).toHaveLength(1);
    });
  });
});
