import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { docsOf, seedMembers } from '../support/orders';
import {
  acceptGrants,
  dispatch,
  ledgerGrant,
  mpTemplateMessages,
  noticeAdmin,
  noticesOf,
  startKillable,
  writeLedgerGrants,
  subscribeMessages,
} from '../support/notices';
import { memberIdOf } from '../support/points';

/** The grant ledger as the app feeds it (asking at a moment, the sheet's answers), and broadcasts. */
describe('notices: asking for grants', () => {
  const cloud = useCloud();
  const ask = (moment: string, as = 'alice') => cloud.invoke('notice', { action: 'askable', moment }, as);
  const record = (requestId: string, answers: Record<string, string>, as = 'alice') =>
    cloud.invoke('notice', { action: 'recordGrants', requestId, moment: 'claim', answers }, as);

  beforeEach(async () => {
    await cloud.client.clock.set('2026-12-03T02:00:00.000Z');
  });

  it('offers only templates the member holds no grant for and has not banned, and stops asking after a ban', async () => {
    expect(await ask('claim')).toMatchObject({
      ok: true,
      data: {
        templates: [
          { id: 'TPL_COUPON_EXPIRING', title: '优惠券到期提醒' },
          { id: 'TPL_CAMPAIGN', title: expect.any(String) },
        ],
      },
    });
    const answered = await record('sheet-0000001', { TPL_COUPON_EXPIRING: 'accept', TPL_CAMPAIGN: 'reject' });
    expect(answered).toMatchObject({
      ok: true,
      data: {
        grants: [
          { templateId: 'TPL_COUPON_EXPIRING', remaining: 1, banned: false },
          { templateId: 'TPL_CAMPAIGN', remaining: 0, banned: false },
        ],
      },
    });
    // A grant held is not asked again; a reject may be asked again next time.
    expect((await ask('claim')).data.templates.map((t: any) => t.id)).toEqual(['TPL_CAMPAIGN']);

    await record('sheet-0000002', { TPL_CAMPAIGN: 'ban' });
    expect((await ask('claim')).data.templates).toEqual([]);
    // The ban is per template, whatever the moment.
    expect((await ask('checkIn')).data.templates.map((t: any) => t.id)).toEqual(['TPL_POINTS_EXPIRING']);
    expect(await ledgerGrant(cloud, 'o-mini-alice', 'TPL_CAMPAIGN')).toMatchObject({ banned: true, remaining: 0, rejected: 2 });
  });

  it('reminders lists every template the app asks for with the member’s counts', async () => {
    const empty = await cloud.invoke('notice', { action: 'reminders' }, 'alice');
    expect(empty.data.grants.map((g: any) => g.templateId)).toEqual([
      'TPL_COUPON_EXPIRING',
      'TPL_CAMPAIGN',
      'TPL_ORDER_SHIPPED',
      'TPL_REFUND',
      'TPL_REVIEW_INVITE',
      'TPL_GROUP_SUCCESS',
      'TPL_POINTS_EXPIRING',
    ]);
    expect(empty.data.grants.every((g: any) => g.remaining === 0 && !g.banned && g.title)).toBe(true);
    await record('sheet-rem-0001', { TPL_COUPON_EXPIRING: 'accept', TPL_CAMPAIGN: 'ban' });
    await record('sheet-rem-0002', { TPL_COUPON_EXPIRING: 'accept' });
    const after = await cloud.invoke('notice', { action: 'reminders' }, 'alice');
    expect(after.data.grants.slice(0, 2)).toEqual([
      { templateId: 'TPL_COUPON_EXPIRING', title: '优惠券到期提醒', remaining: 2, banned: false },
      { templateId: 'TPL_CAMPAIGN', title: expect.any(String), remaining: 0, banned: true },
    ]);
    // bob's are his own.
    expect((await cloud.invoke('notice', { action: 'reminders' }, 'bob')).data.grants[0]).toMatchObject({ remaining: 0 });
  });

  it('one sheet counts once however often it is reported, and concurrent sheets all count', async () => {
    const same = await Promise.all(Array.from({ length: 10 }, () => record('sheet-same-001', { TPL_COUPON_EXPIRING: 'accept' })));
    expect(same.every((answer) => answer.ok)).toBe(true);
    expect(await ledgerGrant(cloud, 'o-mini-alice', 'TPL_COUPON_EXPIRING')).toMatchObject({ remaining: 1, accepted: 1 });

    const many = await Promise.all(
      Array.from({ length: 10 }, (_, i) => record(`sheet-many-${String(i).padStart(3, '0')}`, { TPL_COUPON_EXPIRING: 'accept' })),
    );
    expect(
      many.every((answer) => answer.ok),
      JSON.stringify(many.find((a) => !a.ok)),
    ).toBe(true);
    expect(await ledgerGrant(cloud, 'o-mini-alice', 'TPL_COUPON_EXPIRING')).toMatchObject({ remaining: 11, accepted: 11 });
    expect(await docsOf(cloud, 'events', { kind: 'subscribe_answer' })).toHaveLength(11);
  });

  it('refuses unknown templates, more than three answers and callers without a WeChat user, writing nothing', async () => {
    expect(await record('sheet-bad-0001', { TPL_NOPE: 'accept' })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(
      await record('sheet-bad-0002', {
        TPL_COUPON_EXPIRING: 'accept',
        TPL_CAMPAIGN: 'accept',
        TPL_REFUND: 'accept',
        TPL_ORDER_PAID: 'accept',
      }),
    ).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await record('sheet-bad-0003', { TPL_COUPON_EXPIRING: 'maybe' })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    const console = await cloud.invoke('notice', {
      action: 'recordGrants',
      requestId: 'sheet-bad-0004',
      answers: { TPL_CAMPAIGN: 'accept' },
    });
    expect(console).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(await docsOf(cloud, 'subscribe_grants')).toEqual([]);
  });
});

describe('notices: broadcasts', () => {
  const cloud = useCloud();
  const CAMPAIGN = 'TPL_CAMPAIGN';
  const message = { title: '冬季上新', content: '羊毛围巾新色到店，会员专享价', page: 'pages/index/index' };

  beforeEach(async () => {
    await cloud.client.clock.set('2026-12-03T02:00:00.000Z');
  });

  it('a dry run counts who would get it by which channel; the run writes one notice per member, once, and the dispatcher delivers it', async () => {
    const alice = await memberIdOf(cloud, 'alice');
    await acceptGrants(cloud, 'alice', CAMPAIGN);
    const bob = await memberIdOf(cloud, 'bob');
    await cloud.client.mp.push({ persona: 'bob', type: 'subscribe' });
    const carol = await memberIdOf(cloud, 'carol');
    const audience = { memberIds: [alice, bob, carol, 'm-nobody', alice] };

    const dry = await noticeAdmin(cloud, 'broadcast', { broadcastId: 'winter-1', ...message, ...audience, dryRun: true });
    // The list's repeat counts once.
    expect(dry).toMatchObject({
      dryRun: true,
      total: 4,
      byChannel: { subscribe: 1, mp: 1, none: 1 },
      unknownMembers: ['m-nobody'],
      written: 0,
    });
    expect(await noticesOf(cloud)).toEqual([]);

    const run = await noticeAdmin(cloud, 'broadcast', { broadcastId: 'winter-1', ...message, ...audience });
    expect(run).toMatchObject({ dryRun: false, written: 3, remaining: 0, finishedAt: expect.any(String) });
    const again = await noticeAdmin(cloud, 'broadcast', { broadcastId: 'winter-1', ...message, ...audience });
    expect(again).toMatchObject({ written: 3 });
    const notices = await noticesOf(cloud, { kind: 'campaign' });
    expect(notices.map((n) => n._id).sort()).toEqual([alice, bob, carol].map((m) => `campaign:winter-1:${m}`).sort());

    expect(await dispatch(cloud)).toMatchObject({ sent: 1, fellBack: 1, skipped: 1 });
    const [sent] = await subscribeMessages(cloud);
    expect(sent.request).toMatchObject({ touser: 'o-mini-alice', page: 'pages/index/index?from=notice_sub&nk=campaign' });
    expect(sent.request.data.thing1.value).toBe('冬季上新');
    expect((await mpTemplateMessages(cloud)).map((m) => m.request.touser)).toEqual(['o-mp-bob']);
    expect(await noticesOf(cloud, { memberId: carol })).toMatchObject([{ state: 'skipped', reason: 'no_grant' }]);

    const report = await noticeAdmin(cloud, 'noticeReport');
    expect(report.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'campaign', channel: 'subscribe', sent: 1 }),
        expect.objectContaining({ kind: 'campaign', channel: 'mp', fellBack: 1 }),
      ]),
    );
    expect(report.totals).toMatchObject({ sent: 1, fellBack: 1 });
  });

  it('refuses a page that is not the app’s and an audience that is both or neither', async () => {
    const bad = await cloud.invoke('noticeAdmin', {
      action: 'broadcast',
      broadcastId: 'bad-1',
      ...message,
      page: 'pages/nope/index',
      template: CAMPAIGN,
    });
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    const both = await cloud.invoke('noticeAdmin', {
      action: 'broadcast',
      broadcastId: 'bad-2',
      ...message,
      template: CAMPAIGN,
      memberIds: ['m-1'],
    });
    expect(both).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    const neither = await cloud.invoke('noticeAdmin', { action: 'broadcast', broadcastId: 'bad-3', ...message });
    expect(neither).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await docsOf(cloud, 'job_cursors')).toEqual([]);
  });

  it('to every grant holder of a template: killed half-way, the next run goes on from where it was; each member once', async () => {
    const openids = Array.from({ length: 250 }, (_, i) => `o-mini-b${String(i).padStart(3, '0')}`);
    const members = await seedMembers(cloud, openids);
    await writeLedgerGrants(
      cloud,
      openids.map((openid) => ({ openid, memberId: members.get(openid) as string, templateId: CAMPAIGN, remaining: 1 })),
    );
    // Every notice written waits a little, so the kill lands in the middle of the audience.
    await cloud.client.faults.delay('database.insertDocument', 100, 400);
    const request = { broadcastId: 'all-holders', ...message, template: CAMPAIGN };
    const run = await startKillable(cloud, 'broadcast', JSON.stringify(request));
    await run.killWhen(async () => (await noticesOf(cloud, { kind: 'campaign' })).length >= 120);
    const cut = (await noticesOf(cloud, { kind: 'campaign' })).length;
    expect(cut).toBeLessThan(250);

    // The dead run's lease holds the broadcast until it runs out.
    const held = await cloud.invoke('noticeAdmin', { action: 'broadcast', ...request });
    expect(held).toMatchObject({ ok: false, code: 'CONFLICT' });
    await cloud.client.clock.advance(2 * 60_000);
    const done = await noticeAdmin(cloud, 'broadcast', request);
    expect(done).toMatchObject({ remaining: 0, finishedAt: expect.any(String) });
    const notices = await noticesOf(cloud, { kind: 'campaign' });
    expect(notices).toHaveLength(250);
    expect(new Set(notices.map((n) => n.memberId)).size).toBe(250);
    expect(done.written + done.already).toBeGreaterThanOrEqual(250);
  });
});
