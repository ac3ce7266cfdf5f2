import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { docOf, docsOf, seedMembers } from '../support/orders';
import { memberIdOf } from '../support/points';
import { advanceClock, makeHelpCampaign, makeRewardTemplate, startHelpTask } from '../support/help';

const HOUR = 60 * 60 * 1000;

/** What a refused help must leave as it was: helps, day counters, ledger, coupons, help events. */
async function written(cloud: ReturnType<typeof useCloud>) {
  const [helps, days, ledger, coupons, events] = await Promise.all([
    docsOf(cloud, 'helps'),
    docsOf(cloud, 'help_days'),
    docsOf(cloud, 'points_ledger'),
    docsOf(cloud, 'coupons'),
    docsOf(cloud, 'events', { kind: 'help_helped' }),
  ]);
  return JSON.stringify({ helps, days, ledger, coupons, events });
}

describe('help: the rules', () => {
  const cloud = useCloud();

  beforeEach(async () => {
    await cloud.client.clock.set('2026-12-05T02:00:00.000Z');
    await makeRewardTemplate(cloud, 'tpl-help');
  });

  it('refuses oneself, a member older than the task, over the daily limit, an expired task and a completed one, writing nothing', async () => {
    await makeHelpCampaign(cloud, 'hc-rules', {
      reward: { kind: 'coupon', templateId: 'tpl-help' },
      helpersNeeded: 2,
      dailyLimit: 1,
      helperPoints: 5,
    });
    await seedMembers(cloud, ['o-old']);
    await advanceClock(cloud, 1000);
    await memberIdOf(cloud, 'alice');
    await memberIdOf(cloud, 'carol');
    const task = await startHelpTask(cloud, 'alice', 'hc-rules');
    const other = await startHelpTask(cloud, 'carol', 'hc-rules');
    await advanceClock(cloud, 60_000);
    await seedMembers(cloud, ['o-new-1', 'o-new-2', 'o-new-3']);

    const refuse = async (as: string | { openid: string }, taskId: string, reason: string) => {
      const before = await written(cloud);
      const answer = await cloud.invoke('help', { action: 'help', taskId }, as);
      expect(answer, JSON.stringify(answer)).toMatchObject({ ok: false, reason });
      expect(typeof answer.message).toBe('string');
      expect(await written(cloud)).toBe(before);
      return answer;
    };

    expect(await refuse('alice', task.taskId, 'self')).toMatchObject({ message: '不能给自己助力哦' });
    expect(await refuse({ openid: 'o-old' }, task.taskId, 'not_new')).toMatchObject({ message: '本活动仅限新朋友助力' });
    const view = await cloud.invoke('help', { action: 'task', taskId: task.taskId }, { openid: 'o-old' });
    expect(view.data.viewer).toMatchObject({ canHelp: false, reason: 'not_new', message: '本活动仅限新朋友助力' });

    // Daily limit 1: a help to alice, then none to carol today; tomorrow again.
    const first = await cloud.invoke('help', { action: 'help', taskId: task.taskId }, { openid: 'o-new-1' });
    expect(first, JSON.stringify(first)).toMatchObject({ ok: true, data: { helperPoints: 5, task: { count: 1, missing: 1 } } });
    await refuse({ openid: 'o-new-1' }, other.taskId, 'daily_limit');

    // Completed: the second help completes alice's task; a third friend is refused.
    expect(await cloud.invoke('help', { action: 'help', taskId: task.taskId }, { openid: 'o-new-2' })).toMatchObject({
      ok: true,
      data: { task: { state: 'completed', count: 2, missing: 0 } },
    });
    await refuse({ openid: 'o-new-3' }, task.taskId, 'task_completed');
    const owner = await cloud.invoke('help', { action: 'task', taskId: task.taskId }, 'alice');
    expect(owner.data).toMatchObject({ mine: true, state: 'completed', reward: { state: 'issued', couponId: `help:${task.taskId}` } });
    expect(owner.data.seats.map((seat: any) => seat?.initial)).toHaveLength(2);

    // Expired: carol's task after its 24 hours.
    await advanceClock(cloud, 25 * HOUR);
    await refuse({ openid: 'o-new-3' }, other.taskId, 'task_expired');
    const swept = await cloud.invoke('helpAdmin', { action: 'runHelpJobs', jobs: ['settleHelps'] });
    expect(swept.data.jobs[0].result).toMatchObject({ expired: 1 });
    expect(await docOf(cloud, 'help_tasks', other.taskId)).toMatchObject({ state: 'expired', count: 0 });
    // After an expiry carol may start again: a new attempt.
    const again = await startHelpTask(cloud, 'carol', 'hc-rules');
    expect(again.taskId).not.toBe(other.taskId);
    expect(again).toMatchObject({ state: 'open', count: 0 });
  }, 120_000);

  it('not_helped: a member helps once in the campaign, even an old member', async () => {
    await makeHelpCampaign(cloud, 'hc-once', { reward: { kind: 'points', points: 50 }, helpersNeeded: 3, audience: 'not_helped' });
    await seedMembers(cloud, ['o-old']);
    await advanceClock(cloud, 1000);
    const a = await startHelpTask(cloud, 'alice', 'hc-once');
    const b = await startHelpTask(cloud, 'carol', 'hc-once');
    expect(await cloud.invoke('help', { action: 'help', taskId: a.taskId }, { openid: 'o-old' })).toMatchObject({ ok: true });
    const second = await cloud.invoke('help', { action: 'help', taskId: b.taskId }, { openid: 'o-old' });
    expect(second).toMatchObject({ ok: false, code: 'ALREADY_EXISTS', reason: 'helped_in_campaign', message: '本活动每人只能助力一次' });
    expect(await docOf(cloud, 'help_tasks', b.taskId)).toMatchObject({ count: 0 });
  }, 60_000);

  it('starting is idempotent: concurrent starts make one task and one help_opened event', async () => {
    await makeHelpCampaign(cloud, 'hc-start', { reward: { kind: 'coupon', templateId: 'tpl-help' }, helpersNeeded: 3 });
    const memberId = await memberIdOf(cloud, 'alice');
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => cloud.invoke('help', { action: 'start', campaignId: 'hc-start' }, 'alice')),
    );
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(new Set(answers.map((a) => a.data.task.taskId)).size).toBe(1);
    expect(await docsOf(cloud, 'help_tasks', { memberId })).toHaveLength(1);
    expect(await docsOf(cloud, 'events', { kind: 'help_opened', memberId })).toHaveLength(1);
    const campaign = await cloud.invoke('help', { action: 'campaign', campaignId: 'hc-start' }, 'alice');
    expect(campaign.data).toMatchObject({
      rule: '邀请 3 位新朋友助力，即得 ¥10 无门槛券',
      phase: 'running',
      canStart: false,
      startRefusal: '你的助力正在进行中',
      myTask: { taskId: answers[0].data.task.taskId, mine: true },
    });
  }, 60_000);

  it("list: running campaigns soonest-ending first; the caller's tasks newest first, an ended campaign's task kept; a visitor sees the campaigns", async () => {
    await makeHelpCampaign(cloud, 'hc-long', { reward: { kind: 'points', points: 50 }, helpersNeeded: 2 });
    await makeHelpCampaign(cloud, 'hc-short', {
      reward: { kind: 'coupon', templateId: 'tpl-help' },
      helpersNeeded: 3,
      taskHours: 2,
      endAt: '2026-12-06T10:00:00+08:00',
    });
    await makeHelpCampaign(cloud, 'hc-later', {
      reward: { kind: 'points', points: 50 },
      helpersNeeded: 2,
      startAt: '2027-06-01T00:00:00+08:00',
    });
    await memberIdOf(cloud, 'alice');
    const short = await startHelpTask(cloud, 'alice', 'hc-short');
    await advanceClock(cloud, 60_000);
    const long = await startHelpTask(cloud, 'alice', 'hc-long');

    const listed = await cloud.invoke('help', { action: 'list' }, 'alice');
    expect(listed, JSON.stringify(listed)).toMatchObject({ ok: true });
    expect(listed.data.campaigns.map((c: any) => c.campaignId)).toEqual(['hc-short', 'hc-long']);
    expect(listed.data.campaigns[0]).toMatchObject({
      title: '新朋友助力',
      rule: '邀请 3 位新朋友助力，即得 ¥10 无门槛券',
      helpersNeeded: 3,
    });
    expect(listed.data.myTasks).toEqual([
      expect.objectContaining({
        taskId: long.taskId,
        campaignId: 'hc-long',
        state: 'open',
        count: 0,
        helpersNeeded: 2,
        rewardText: '50 积分',
      }),
      expect.objectContaining({ taskId: short.taskId, campaignId: 'hc-short', state: 'open', rewardState: 'none' }),
    ]);

    // A day later the short campaign has ended: it leaves the running list, alice's task in it stays, over.
    await advanceClock(cloud, 30 * HOUR);
    const later = await cloud.invoke('help', { action: 'list' }, 'alice');
    expect(later.data.campaigns.map((c: any) => c.campaignId)).toEqual(['hc-long']);
    expect(later.data.myTasks.map((t: any) => [t.campaignId, t.state])).toEqual([
      ['hc-long', 'expired'],
      ['hc-short', 'expired'],
    ]);

    const visitor = await cloud.invoke('help', { action: 'list' });
    expect(visitor, JSON.stringify(visitor)).toMatchObject({ ok: true, data: { myTasks: [] } });
    expect(visitor.data.campaigns.map((c: any) => c.campaignId)).toEqual(['hc-long']);
  }, 60_000);

  it('createHelpCampaign refuses hostile and wrong input with clear English, writing nothing', async () => {
    const base = {
      title: '助力',
      reward: { kind: 'coupon', templateId: 'tpl-help' },
      helpersNeeded: 3,
      startAt: '2026-01-01T00:00:00+08:00',
      endAt: '2030-12-31T23:59:59+08:00',
      taskHours: 24,
      audience: 'new_members',
      dailyLimit: 3,
    };
    const create = (campaign: unknown) => cloud.invoke('helpAdmin', { action: 'createHelpCampaign', id: 'hc-bad', campaign });
    let deep: unknown = 'x';
    for (let i = 0; i < 200; i += 1) deep = { deep };
    const cases: Array<[unknown, RegExp]> = [
      [{ ...base, title: 'x'.repeat(60_000) }, /campaign\.title: .*30/],
      [{ ...base, title: deep }, /campaign\.title/],
      [{ ...base, reward: deep }, /campaign\.reward/],
      [{ ...base, extra: deep }, /campaign: .*extra|Unrecognized key/],
      [{ ...base, helpersNeeded: 0 }, /campaign\.helpersNeeded/],
      [{ ...base, helpersNeeded: 2.5 }, /campaign\.helpersNeeded/],
      [{ ...base, audience: 'everyone' }, /campaign\.audience/],
      [{ ...base, reward: { kind: 'coupon', templateId: 'tpl-none' } }, /no coupon template tpl-none/],
      [{ ...base, endAt: '2025-12-31T00:00:00+08:00' }, /the window ends after it starts/],
      [{ ...base, reward: { kind: 'points', points: -5 } }, /campaign\.reward/],
    ];
    for (const [campaign, message] of cases) {
      const answer = await create(campaign);
      expect(answer, JSON.stringify(answer).slice(0, 300)).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      expect(answer.detail).toMatch(message);
      expect(answer.detail.length).toBeLessThan(2000);
    }
    expect(await docsOf(cloud, 'help_campaigns')).toEqual([]);
    expect(await create(base)).toMatchObject({ ok: true, data: { created: true } });
    expect(await create(base)).toMatchObject({ ok: true, data: { created: false } });
    expect(await create({ ...base, helpersNeeded: 4 })).toMatchObject({ ok: false, code: 'ALREADY_EXISTS' });
  }, 60_000);

  it('helpReport lists a planted burst of idle helpers, not a task whose active friends came over hours', async () => {
    await makeHelpCampaign(cloud, 'hc-report', { reward: { kind: 'coupon', templateId: 'tpl-help' }, helpersNeeded: 5, dailyLimit: 5 });
    const farmed = await startHelpTask(cloud, 'alice', 'hc-report');
    const honest = await startHelpTask(cloud, 'carol', 'hc-report');
    await advanceClock(cloud, 60_000);
    const farm = await seedMembers(cloud, ['o-farm-1', 'o-farm-2', 'o-farm-3', 'o-farm-4']);
    const friends = await seedMembers(cloud, ['o-friend-1', 'o-friend-2', 'o-friend-3']);
    // The planted burst: four helpers with nothing else to their name, within seconds.
    for (const openid of farm.keys()) {
      expect(await cloud.invoke('help', { action: 'help', taskId: farmed.taskId }, { openid })).toMatchObject({ ok: true });
      await advanceClock(cloud, 2000);
    }
    // Real friends: each visits the landing page through the card, and they come over hours.
    for (const openid of friends.keys()) {
      const visit = await cloud.invoke('member', { action: 'visit', sharer: 'someone', to: 'pages/index/index' }, { openid });
      expect(visit, JSON.stringify(visit)).toMatchObject({ ok: true });
      expect(await cloud.invoke('help', { action: 'help', taskId: honest.taskId }, { openid })).toMatchObject({ ok: true });
      await advanceClock(cloud, 2 * HOUR);
    }
    const report = await cloud.invoke('helpAdmin', { action: 'helpReport', campaignId: 'hc-report' });
    expect(report, JSON.stringify(report)).toMatchObject({ ok: true, data: { tasks: 2, helps: 7 } });
    expect(report.data.suspicious).toHaveLength(1);
    expect(report.data.suspicious[0]).toMatchObject({
      taskId: farmed.taskId,
      helps: 4,
      idleHelpers: 4,
      burst: { helps: 4, spanSeconds: 6 },
      reasons: ['4 of 4 helpers have no other activity', '4 helps within 6 s'],
    });
    expect(report.data.summary[1]).toContain(farmed.taskId);
  }, 120_000);

  it('helpReport pages through every task (200 a page), and a helper with many events is not called idle', async () => {
    await makeHelpCampaign(cloud, 'hc-pages', { reward: { kind: 'coupon', templateId: 'tpl-help' }, helpersNeeded: 3 });
    const at = (s: number) => ({ $date: new Date(Date.parse('2026-12-05T03:00:00.000Z') + s * 1000).toISOString() });
    const lines = (docs: object[]) => docs.map((doc) => JSON.stringify(doc)).join('\n');
    // 205 tasks; the last (t-204, on the second page) has three idle helpers within seconds.
    const tasks = Array.from({ length: 205 }, (_, i) => ({
      _id: `hc-pages:m-${i}:1`.replace(`m-${i}`, `m-${String(i).padStart(3, '0')}`),
      campaignId: 'hc-pages',
      memberId: `m-${i}`,
      state: 'open',
      count: 0,
      helperIds: [],
      seats: [],
      startedAt: at(0),
      expiresAt: at(86_400),
      rewardState: 'none',
      attempt: 1,
      updatedAt: at(0),
    }));
    const last = tasks[204]._id;
    const first = tasks[0]._id;
    const help = (taskId: string, helperId: string, s: number) => ({
      _id: `${taskId}:${helperId}`,
      campaignId: 'hc-pages',
      taskId,
      ownerId: 'owner',
      helperId,
      name: '微信用户',
      state: 'counted',
      dayId: `d-${helperId}`,
      createdAt: at(s),
    });
    // The first task's helpers came an hour apart; one is very busy, one has a single visit: neither is idle.
    const helps = [help(last, 'h-idle-1', 10), help(last, 'h-idle-2', 12), help(last, 'h-idle-3', 14)];
    helps.push(help(first, 'h-busy', 10), help(first, 'h-once', 3000));
    const events = Array.from({ length: 1200 }, (_, i) => ({ _id: `ev-busy-${i}`, kind: 'visit', memberId: 'h-busy', at: at(i) }));
    events.push({ _id: 'ev-once', kind: 'visit', memberId: 'h-once', at: at(1) });
    await cloud.client.db.importCollection('help_tasks', lines(tasks));
    await cloud.client.db.importCollection('helps', lines(helps));
    await cloud.client.db.importCollection('events', lines(events));

    const page1 = await cloud.invoke('helpAdmin', { action: 'helpReport', campaignId: 'hc-pages', burstHelps: 2 });
    expect(page1, JSON.stringify(page1).slice(0, 500)).toMatchObject({ ok: true, data: { tasks: 200, helps: 2, suspicious: [] } });
    expect(page1.data.nextCursor).toBe(tasks[199]._id);
    expect(page1.data.summary.at(-1)).toContain(`"cursor":"${tasks[199]._id}"`);
    const page2 = await cloud.invoke('helpAdmin', {
      action: 'helpReport',
      campaignId: 'hc-pages',
      burstHelps: 2,
      cursor: page1.data.nextCursor,
    });
    expect(page2.data).toMatchObject({ tasks: 5, helps: 3, nextCursor: null });
    expect(page2.data.suspicious).toMatchObject([{ taskId: last, idleHelpers: 3, helps: 3 }]);
  }, 120_000);

  it('the sweep finishes a help cut off after its seat, and issues a reward a crash left unrecorded, once', async () => {
    await makeHelpCampaign(cloud, 'hc-crash', { reward: { kind: 'coupon', templateId: 'tpl-help' }, helpersNeeded: 1, helperPoints: 7 });
    const ownerId = await memberIdOf(cloud, 'alice');
    const task = await startHelpTask(cloud, 'alice', 'hc-crash');
    await advanceClock(cloud, 60_000);
    const helperId = (await seedMembers(cloud, ['o-cut'])).get('o-cut') as string;
    const now = new Date((await cloud.client.clock.get()).now);
    // What a help that died after its seat leaves: a pending help, its day unit, the completed task without its reward.
    const helpId = `t:${task.taskId}:${helperId}`;
    const db = cloud.db();
    await db.collection('helps').add({
      data: {
        _id: helpId,
        campaignId: 'hc-crash',
        taskId: task.taskId,
        ownerId,
        helperId,
        name: '微信用户',
        state: 'pending',
        dayId: 'd1',
        createdAt: now,
      },
    });
    await db
      .collection('help_tasks')
      .doc(task.taskId)
      .update({
        data: {
          state: 'completed',
          count: 1,
          helperIds: [helperId],
          seats: [{ memberId: helperId, name: '微信用户', at: now }],
          rewardState: 'pending',
          completedAt: now,
        },
      });
    // A cut-off help is left alone while its call may still be running.
    let swept = await cloud.invoke('helpAdmin', { action: 'runHelpJobs', jobs: ['settleHelps'] });
    expect(swept.data.jobs[0].result).toMatchObject({ finished: 0, rewarded: 1 });
    await advanceClock(cloud, 3 * 60_000);
    swept = await cloud.invoke('helpAdmin', { action: 'runHelpJobs', jobs: ['settleHelps'] });
    expect(swept.data.jobs[0].result).toMatchObject({ finished: 1, rewarded: 0 });
    swept = await cloud.invoke('helpAdmin', { action: 'runHelpJobs', jobs: ['settleHelps'] });
    expect(swept.data.jobs[0].result).toMatchObject({ finished: 0, undone: 0, rewarded: 0 });

    expect(await docOf(cloud, 'helps', helpId)).toMatchObject({ state: 'counted' });
    expect(await docOf(cloud, 'help_tasks', task.taskId)).toMatchObject({ rewardState: 'issued' });
    expect(await docsOf(cloud, 'coupons', { memberId: ownerId, templateId: 'tpl-help' })).toHaveLength(1);
    expect(await docsOf(cloud, 'points_ledger', { memberId: helperId })).toMatchObject([{ delta: 7, source: 'help' }]);
    expect(await docsOf(cloud, 'events', { kind: 'help_helped' })).toHaveLength(1);
    expect(await docsOf(cloud, 'events', { kind: 'help_completed' })).toHaveLength(1);
  }, 60_000);
  it('an owner merged since the start (a unionid arrived) is still the owner: no help to oneself, the reward to the member they are now', async () => {
    await makeHelpCampaign(cloud, 'hc-merge', {
      reward: { kind: 'coupon', templateId: 'tpl-help' },
      helpersNeeded: 1,
      audience: 'not_helped',
    });
    const mini = { openid: 'o-own' };
    const before = await memberIdOf(cloud, mini);
    const task = await startHelpTask(cloud, mini, 'hc-merge');
    // The same person from the 公众号 with a unionid, then the mini-program with it: one member, maybe another id.
    const mp = { openid: 'o-mp-own', unionid: 'u-own', appid: cloud.emulator.ctx.options.mp.appid };
    await memberIdOf(cloud, mp);
    const now = await memberIdOf(cloud, { ...mini, unionid: 'u-own' });
    expect(await memberIdOf(cloud, mp)).toBe(now);
    const self = await cloud.invoke('help', { action: 'help', taskId: task.taskId }, mp);
    expect(self, JSON.stringify({ before, now })).toMatchObject({ ok: false, reason: 'self' });
    const view = await cloud.invoke('help', { action: 'task', taskId: task.taskId }, mp);
    expect(view.data).toMatchObject({ mine: true });

    await seedMembers(cloud, ['o-merge-friend']);
    expect(await cloud.invoke('help', { action: 'help', taskId: task.taskId }, { openid: 'o-merge-friend' })).toMatchObject({ ok: true });
    expect(await docsOf(cloud, 'coupons', { templateId: 'tpl-help' })).toMatchObject([{ _id: `help:${task.taskId}`, memberId: now }]);
  }, 60_000);
});
