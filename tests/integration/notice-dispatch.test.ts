import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { runJobs, seedMembers } from '../support/orders';
import {
  acceptGrants,
  dispatch,
  ledgerGrant,
  mpTemplateMessages,
  noticeAdmin,
  noticesOf,
  nowOf,
  paidData,
  subscribeMessages,
  wechatGrants,
  writeLedgerGrant,
  writeLedgerGrants,
  writeNotices,
} from '../support/notices';
import { memberIdOf } from '../support/points';

/**
 * The dispatcher against the local cloud's WeChat: grants counted in our ledger and in WeChat's,
 * the 公众号 template fallback through the unionid bridge, WeChat's refusals, retries and quiet
 * hours. Every count of messages is the local cloud's outbox: what would have reached a phone.
 */
describe('notices: the dispatcher', () => {
  const cloud = useCloud();
  const PAID = 'TPL_ORDER_PAID';

  beforeEach(async () => {
    // 10:00 in Shanghai: outside the quiet hours.
    await cloud.client.clock.set('2026-12-03T02:00:00.000Z');
  });

  /** bob as a member who then follows the 公众号 (the follow event binds his 公众号 openid through unionid). */
  async function follower(persona = 'bob'): Promise<string> {
    const memberId = await memberIdOf(cloud, persona);
    await cloud.client.mp.push({ persona, type: 'subscribe' });
    return memberId;
  }

  const orderOf = (entry: any) => entry.request.data.character_string3.value;

  it('one grant, three due notices: one subscription message, two 公众号 templates for a follower, and the ledger ends at 0', async () => {
    const bob = await follower();
    await acceptGrants(cloud, 'bob', PAID);
    const ids = await writeNotices(
      cloud,
      ['A-1', 'A-2', 'A-3'].map((key) => ({ kind: 'order.paid', key, memberId: bob, data: paidData(key) })),
    );

    const report = await dispatch(cloud);
    expect(report).toMatchObject({ claimed: 3, sent: 1, fellBack: 2, skipped: 0, failed: 0, retried: 0, more: false });

    const messages = await subscribeMessages(cloud);
    expect(messages).toHaveLength(1);
    expect(messages[0].request).toMatchObject({ touser: 'o-mini-bob' });
    expect(String(messages[0].request.page)).toMatch(/^packages\/order\/list\/index\?.*from=notice_sub.*nk=order\.paid/);
    const templates = await mpTemplateMessages(cloud);
    expect(templates.map((t) => t.request.touser)).toEqual(['o-mp-bob', 'o-mp-bob']);
    expect(templates[0].request).toMatchObject({
      template_id: 'MP_TPL_ORDER_STATUS',
      miniprogram: { pagepath: expect.stringContaining('from=notice_mp') },
    });
    expect(await ledgerGrant(cloud, 'o-mini-bob', PAID)).toMatchObject({ remaining: 0 });
    expect(await wechatGrants(cloud, 'o-mini-bob', PAID)).toBe(0);
    const notices = await noticesOf(cloud);
    expect(notices.map((n) => n.state).sort()).toEqual(['fallback', 'fallback', 'sent']);
    // The message is the notice marked sent; the other two went by the 公众号.
    expect(notices.find((n) => n.state === 'sent').data.orderId).toBe(orderOf(messages[0]));
    expect(notices.filter((n) => n.state === 'fallback').every((n) => n.channel === 'mp')).toBe(true);
    expect(notices.every((n) => n.lease === undefined && n.attempts === 1)).toBe(true);
    // Each delivery is a funnel event, once.
    const events = (await cloud.db().collection('events').where({ kind: 'notice_sent' }).get()).data;
    expect(events.map((e: any) => e._id).sort()).toEqual(ids.map((id) => `notice_sent:${id}`).sort());

    // A second run finds nothing to do and sends nothing.
    expect(await dispatch(cloud)).toMatchObject({ claimed: 0, sent: 0 });
    expect(await subscribeMessages(cloud)).toHaveLength(1);
    expect(await mpTemplateMessages(cloud)).toHaveLength(2);
  });

  it('a member who does not follow the 公众号: one message, the other two skipped for want of a grant', async () => {
    const bob = await memberIdOf(cloud, 'bob');
    await acceptGrants(cloud, 'bob', PAID);
    await writeNotices(
      cloud,
      ['B-1', 'B-2', 'B-3'].map((key) => ({ kind: 'order.paid', key, memberId: bob, data: paidData(key) })),
    );

    expect(await dispatch(cloud)).toMatchObject({ claimed: 3, sent: 1, fellBack: 0, skipped: 2 });
    expect(await subscribeMessages(cloud)).toHaveLength(1);
    expect(await mpTemplateMessages(cloud)).toHaveLength(0);
    const skipped = await noticesOf(cloud, { state: 'skipped' });
    expect(skipped.map((n) => n.reason)).toEqual(['no_grant', 'no_grant']);
    expect(await ledgerGrant(cloud, 'o-mini-bob', PAID)).toMatchObject({ remaining: 0 });
  });

  it('two dispatchers at once over 500 notices: each sent exactly once', async () => {
    const openids = Array.from({ length: 100 }, (_, i) => `o-mini-n${String(i).padStart(3, '0')}`);
    const members = await seedMembers(cloud, openids);
    // Five grants each, in WeChat's count and in the ledger.
    await Promise.all(
      openids.map(async (openid) => {
        for (let i = 0; i < 5; i += 1) await cloud.client.grants.add({ openid, templateIds: [PAID], result: 'accept' });
      }),
    );
    await writeLedgerGrants(
      cloud,
      openids.map((openid) => ({ openid, memberId: members.get(openid) as string, templateId: PAID, remaining: 5 })),
    );
    await writeNotices(
      cloud,
      openids.flatMap((openid, m) =>
        Array.from({ length: 5 }, (_, i) => {
          const key = `P-${m}-${i}`;
          return { kind: 'order.paid', key, memberId: members.get(openid) as string, data: paidData(key) };
        }),
      ),
    );

    const reports = await Promise.all([dispatch(cloud), dispatch(cloud)]);
    // A run that stopped early leaves the rest to the next tick, as the scheduler would.
    while ((await noticesOf(cloud, { state: 'pending' })).length > 0) reports.push(await dispatch(cloud));

    const messages = await subscribeMessages(cloud);
    expect(messages).toHaveLength(500);
    expect(new Set(messages.map(orderOf)).size).toBe(500);
    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(500);
    expect(reports.reduce((sum, r) => sum + r.claimed, 0)).toBe(500);
    // Both runs got a share (neither waited for the other to finish).
    expect(reports[0].claimed).toBeGreaterThan(0);
    expect(reports[1].claimed).toBeGreaterThan(0);
    expect((await noticesOf(cloud, { state: 'sent' })).length).toBe(500);
    const left = (
      await cloud
        .db()
        .collection('subscribe_grants')
        .where({ remaining: cloud.db().command.neq(0) })
        .count()
    ).total;
    expect(left).toBe(0);
  });

  it('43101 although the ledger said 1: the ledger is corrected and the notice falls back to the 公众号 template', async () => {
    const bob = await follower();
    await writeLedgerGrant(cloud, 'o-mini-bob', bob, PAID, 1);
    const [id] = await writeNotices(cloud, [{ kind: 'order.paid', key: 'C-1', memberId: bob, data: paidData('C-1') }]);

    expect(await dispatch(cloud)).toMatchObject({ sent: 0, fellBack: 1 });
    expect(await ledgerGrant(cloud, 'o-mini-bob', PAID)).toMatchObject({ remaining: 0, corrected: 1 });
    const [notice] = await noticesOf(cloud, { _id: id });
    expect(notice).toMatchObject({ state: 'fallback', channel: 'mp', errcode: 43101 });
    expect(await subscribeMessages(cloud)).toHaveLength(0);
    expect(await mpTemplateMessages(cloud)).toHaveLength(1);
  });

  it('43101 for a member who does not follow: corrected and skipped with the reason', async () => {
    const bob = await memberIdOf(cloud, 'bob');
    await writeLedgerGrant(cloud, 'o-mini-bob', bob, PAID, 2);
    await writeNotices(cloud, [{ kind: 'order.paid', key: 'C-2', memberId: bob, data: paidData('C-2') }]);

    expect(await dispatch(cloud)).toMatchObject({ skipped: 1 });
    expect(await noticesOf(cloud)).toMatchObject([{ state: 'skipped', reason: 'grant_used', errcode: 43101 }]);
    expect(await ledgerGrant(cloud, 'o-mini-bob', PAID)).toMatchObject({ remaining: 0, corrected: 1 });
  });

  it('an injected 47003 is recorded as failed with its reason, not retried, and the grant stays the member’s', async () => {
    const bob = await memberIdOf(cloud, 'bob');
    await acceptGrants(cloud, 'bob', PAID);
    await cloud.client.faults.add('subscribeMessage.send', { errCode: 47003, errMsg: 'argument invalid! data.thing1.value invalid' });
    const [id] = await writeNotices(cloud, [{ kind: 'order.paid', key: 'F-1', memberId: bob, data: paidData('F-1') }]);

    expect(await dispatch(cloud)).toMatchObject({ failed: 1, retried: 0 });
    expect(await noticesOf(cloud, { _id: id })).toMatchObject([
      { state: 'failed', reason: 'invalid', errcode: 47003, channel: 'subscribe', attempts: 1 },
    ]);
    expect(await ledgerGrant(cloud, 'o-mini-bob', PAID)).toMatchObject({ remaining: 1 });
    expect(await wechatGrants(cloud, 'o-mini-bob', PAID)).toBe(1);

    await cloud.client.clock.advance(2 * 3600_000);
    expect(await dispatch(cloud)).toMatchObject({ claimed: 0 });
    expect(await subscribeMessages(cloud)).toHaveLength(0);

    const report = await noticeAdmin(cloud, 'noticeReport');
    expect(report.failures).toMatchObject([
      { noticeId: id, kind: 'order.paid', reason: 'invalid', errcode: 47003, meaning: expect.any(String) },
    ]);
    expect(report.rows).toContainEqual(expect.objectContaining({ kind: 'order.paid', channel: 'subscribe', failed: { invalid: 1 } }));
  });

  it('a transient error (45009) is retried after the backoff and then sent; the grant is taken once', async () => {
    const bob = await memberIdOf(cloud, 'bob');
    await acceptGrants(cloud, 'bob', PAID);
    await cloud.client.faults.add('subscribeMessage.send', { errCode: 45009, errMsg: 'reach max api daily quota limit' });
    const [id] = await writeNotices(cloud, [{ kind: 'order.paid', key: 'R-1', memberId: bob, data: paidData('R-1') }]);
    const start = await nowOf(cloud);

    expect(await dispatch(cloud)).toMatchObject({ retried: 1, sent: 0 });
    const [waiting] = await noticesOf(cloud, { _id: id });
    expect(waiting).toMatchObject({ state: 'pending', errcode: 45009, attempts: 1 });
    expect(new Date(waiting.dueAt).getTime()).toBeGreaterThanOrEqual(start.getTime() + 60_000);
    expect(await ledgerGrant(cloud, 'o-mini-bob', PAID)).toMatchObject({ remaining: 1 });

    // Not before the backoff.
    expect(await dispatch(cloud)).toMatchObject({ claimed: 0 });
    await cloud.client.clock.advance(61_000);
    expect(await dispatch(cloud)).toMatchObject({ sent: 1 });
    expect(await noticesOf(cloud, { _id: id })).toMatchObject([{ state: 'sent', attempts: 2 }]);
    expect(await subscribeMessages(cloud)).toHaveLength(1);
    expect(await ledgerGrant(cloud, 'o-mini-bob', PAID)).toMatchObject({ remaining: 0 });
  });

  it('transient errors past the configured attempts: failed as retries_exhausted', async () => {
    const bob = await memberIdOf(cloud, 'bob');
    await acceptGrants(cloud, 'bob', PAID);
    expect(await noticeAdmin(cloud, 'noticeSettings', { maxAttempts: 2 })).toMatchObject({ settings: { maxAttempts: 2 } });
    await cloud.client.faults.add('subscribeMessage.send', { errCode: 45009, errMsg: 'reach max api daily quota limit' }, 2);
    await writeNotices(cloud, [{ kind: 'order.paid', key: 'R-2', memberId: bob, data: paidData('R-2') }]);

    expect(await dispatch(cloud)).toMatchObject({ retried: 1 });
    await cloud.client.clock.advance(10 * 60_000);
    expect(await dispatch(cloud)).toMatchObject({ failed: 1 });
    expect(await noticesOf(cloud)).toMatchObject([{ state: 'failed', reason: 'retries_exhausted', errcode: 45009, attempts: 2 }]);
    expect(await ledgerGrant(cloud, 'o-mini-bob', PAID)).toMatchObject({ remaining: 1 });
    await cloud.client.clock.advance(3600_000);
    expect(await dispatch(cloud)).toMatchObject({ claimed: 0 });
  });

  it('a send WeChat never answers is retried once its deadline passes, and delivered once', async () => {
    const bob = await memberIdOf(cloud, 'bob');
    await acceptGrants(cloud, 'bob', PAID);
    await cloud.client.faults.add('subscribeMessage.send', 'timeout');
    await writeNotices(cloud, [{ kind: 'order.paid', key: 'T-1', memberId: bob, data: paidData('T-1') }]);

    expect(await dispatch(cloud)).toMatchObject({ retried: 1 });
    expect(await noticesOf(cloud)).toMatchObject([{ state: 'pending', errcode: null, uncertain: true }]);
    await cloud.client.clock.advance(61_000);
    expect(await dispatch(cloud)).toMatchObject({ sent: 1 });
    expect(await subscribeMessages(cloud)).toHaveLength(1);
  });

  it('quiet hours hold promotional notices until morning and never transactional ones; an expired notice is never sent', async () => {
    const bob = await memberIdOf(cloud, 'bob');
    await acceptGrants(cloud, 'bob', PAID);
    await acceptGrants(cloud, 'bob', 'TPL_CAMPAIGN');
    await acceptGrants(cloud, 'bob', 'TPL_COUPON_EXPIRING');
    // 23:30 in Shanghai.
    await cloud.client.clock.set('2026-12-03T15:30:00.000Z');
    const now = await nowOf(cloud);
    await writeNotices(cloud, [
      { kind: 'order.paid', key: 'Q-1', memberId: bob, data: paidData('Q-1') },
      { kind: 'campaign', key: 'Q-2', memberId: bob, data: { title: '冬季上新', content: '羊毛围巾新色到店', tip: '点击查看' } },
      {
        kind: 'coupon.expiring',
        key: 'Q-3',
        memberId: bob,
        data: { name: '满100减20', validUntil: now.toISOString(), tip: '别错过' },
        dueAt: new Date(now.getTime() - 3600_000),
        expiresAt: new Date(now.getTime() - 60_000),
      },
    ]);

    expect(await dispatch(cloud)).toMatchObject({ sent: 1, deferred: 1, skipped: 1 });
    const campaign = (await noticesOf(cloud, { kind: 'campaign' }))[0];
    // 08:00 the next morning in Shanghai; waiting is not an attempt.
    expect(campaign).toMatchObject({ state: 'pending', attempts: 0 });
    expect(new Date(campaign.dueAt).toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(await noticesOf(cloud, { kind: 'coupon.expiring' })).toMatchObject([{ state: 'skipped', reason: 'expired' }]);
    expect((await subscribeMessages(cloud)).map((m) => m.request.templateId ?? m.request.template_id)).toEqual([PAID]);

    await cloud.client.clock.set('2026-12-04T00:00:30.000Z');
    expect(await dispatch(cloud)).toMatchObject({ sent: 1 });
    expect(await subscribeMessages(cloud)).toHaveLength(2);
    expect(await ledgerGrant(cloud, 'o-mini-bob', 'TPL_COUPON_EXPIRING')).toMatchObject({ remaining: 1 });
  });

  it('the scheduler’s tick runs the dispatcher (hosted by noticeAdmin) under its job lease', async () => {
    const bob = await memberIdOf(cloud, 'bob');
    await acceptGrants(cloud, 'bob', PAID);
    await writeNotices(cloud, [{ kind: 'order.paid', key: 'S-1', memberId: bob, data: paidData('S-1') }]);
    const { dispatchNotices } = await runJobs(cloud, ['dispatchNotices']);
    expect(dispatchNotices, JSON.stringify(dispatchNotices)).toMatchObject({ ran: true, result: { sent: 1, more: false } });
    expect(await subscribeMessages(cloud)).toHaveLength(1);
    expect(await noticesOf(cloud)).toMatchObject([{ state: 'sent' }]);
  });

  it('only the console, a timer or a listed admin may run the dispatcher', async () => {
    const alice = await memberIdOf(cloud, 'alice');
    await acceptGrants(cloud, 'alice', PAID);
    await writeNotices(cloud, [{ kind: 'order.paid', key: 'X-1', memberId: alice, data: paidData('X-1') }]);
    const refused = await cloud.invoke('noticeAdmin', { action: 'dispatchNotices' }, 'alice');
    expect(refused, JSON.stringify(refused)).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' });
    expect(await noticesOf(cloud)).toMatchObject([{ state: 'pending', attempts: 0 }]);
    expect(await subscribeMessages(cloud)).toHaveLength(0);
  });
});
