import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { docOf, docsOf, seedMembers } from '../support/orders';
import { expectLedgerBalanced, memberIdOf } from '../support/points';
import { advanceClock, makeHelpCampaign, makeRewardTemplate, startHelpTask } from '../support/help';

/**
 * 助力 under bursts, through the real functions: many friends helping one task at once, and one
 * person helping from both apps at once. What must hold is read back from the database.
 */
describe('help: friends at once', () => {
  const cloud = useCloud();

  beforeEach(async () => {
    await cloud.client.clock.set('2026-12-05T02:00:00.000Z');
  });

  it('30 friends help a 5-helper task at once: exactly 5 count, the task completes once, one coupon, 25 refused with a reason', async () => {
    await makeRewardTemplate(cloud, 'tpl-help-race', 100);
    await makeHelpCampaign(cloud, 'hc-race', { reward: { kind: 'coupon', templateId: 'tpl-help-race' }, helpersNeeded: 5 });
    const ownerId = await memberIdOf(cloud, 'alice');
    const task = await startHelpTask(cloud, 'alice', 'hc-race');
    expect(task).toMatchObject({ state: 'open', count: 0, missing: 5, mine: true, rule: '邀请 5 位新朋友助力，即得 ¥10 无门槛券' });
    expect(task.seats).toEqual([null, null, null, null, null]);

    await advanceClock(cloud, 60_000);
    const openids = Array.from({ length: 30 }, (_, i) => `o-helper-${String(i).padStart(2, '0')}`);
    const members = await seedMembers(cloud, openids);
    const answers = await Promise.all(openids.map((openid) => cloud.invoke('help', { action: 'help', taskId: task.taskId }, { openid })));

    const counted = openids.filter((_, i) => answers[i].ok).map((openid) => members.get(openid) as string);
    expect(counted, JSON.stringify(answers.filter((a) => !a.ok).slice(0, 3))).toHaveLength(5);
    for (const answer of answers.filter((a) => !a.ok)) {
      expect(answer).toMatchObject({ ok: false, code: 'FAILED_PRECONDITION' });
      expect(['task_full', 'task_completed']).toContain(answer.reason);
      expect(answer.message).toMatch(/好友/);
    }

    const stored = await docOf(cloud, 'help_tasks', task.taskId);
    expect(stored).toMatchObject({ state: 'completed', count: 5, rewardState: 'issued' });
    expect([...stored.helperIds].sort()).toEqual([...counted].sort());
    expect(stored.seats).toHaveLength(5);
    const helps = await docsOf(cloud, 'helps', { taskId: task.taskId });
    expect(helps.map((h) => h.helperId).sort()).toEqual([...counted].sort());
    expect(helps.every((h) => h.state === 'counted')).toBe(true);
    // Refused friends hold no unit of their daily limit.
    const days = await docsOf(cloud, 'help_days', { campaignId: 'hc-race' });
    expect(days.reduce((sum, d) => sum + d.count, 0)).toBe(5);
    expect(
      days
        .filter((d) => d.count > 0)
        .map((d) => d.helperId)
        .sort(),
    ).toEqual([...counted].sort());

    // One coupon in the owner's wallet, under the task's own id; the template gave one unit.
    const coupons = await docsOf(cloud, 'coupons', { templateId: 'tpl-help-race' });
    expect(coupons).toHaveLength(1);
    expect(coupons[0]).toMatchObject({ _id: `help:${task.taskId}`, memberId: ownerId, source: 'help', state: 'usable' });
    expect(await docOf(cloud, 'coupon_templates', 'tpl-help-race')).toMatchObject({ stockLeft: 99 });
    const wallet = await cloud.invoke('coupon', { action: 'wallet' }, 'alice');
    expect(JSON.stringify(wallet.data)).toContain(`help:${task.taskId}`);

    // Events: opened once, helped 5 times (each credited to its helper), completed once.
    expect(await docsOf(cloud, 'events', { kind: 'help_opened' })).toHaveLength(1);
    expect((await docsOf(cloud, 'events', { kind: 'help_helped' })).map((e) => e.memberId).sort()).toEqual([...counted].sort());
    expect(await docsOf(cloud, 'events', { kind: 'help_completed' })).toMatchObject([{ memberId: ownerId, taskId: task.taskId }]);

    // The sweep finds nothing left to do.
    const swept = await cloud.invoke('helpAdmin', { action: 'runHelpJobs', jobs: ['settleHelps'] });
    expect(swept.data.jobs[0].result).toMatchObject({ finished: 0, undone: 0, rewarded: 0 });
  }, 120_000);

  it('a points reward and helper points: one ledger entry for the owner, one per counted helper, every balance its ledger', async () => {
    await makeHelpCampaign(cloud, 'hc-points', { reward: { kind: 'points', points: 200 }, helpersNeeded: 3, helperPoints: 10 });
    const ownerId = await memberIdOf(cloud, 'alice');
    const task = await startHelpTask(cloud, 'alice', 'hc-points');
    await advanceClock(cloud, 60_000);
    const openids = Array.from({ length: 10 }, (_, i) => `o-pt-${i}`);
    const members = await seedMembers(cloud, openids);
    const answers = await Promise.all(openids.map((openid) => cloud.invoke('help', { action: 'help', taskId: task.taskId }, { openid })));
    const counted = openids.filter((_, i) => answers[i].ok).map((openid) => members.get(openid) as string);
    expect(counted).toHaveLength(3);
    for (const answer of answers.filter((a) => a.ok)) expect(answer.data.helperPoints).toBe(10);

    const ownerEntries = await docsOf(cloud, 'points_ledger', { memberId: ownerId });
    expect(ownerEntries).toMatchObject([{ _id: `ledger:help:task:${task.taskId}`, delta: 200, source: 'help' }]);
    expect(await expectLedgerBalanced(cloud, ownerId)).toBe(200);
    const helperEntries = (await docsOf(cloud, 'points_ledger', { source: 'help' })).filter((e) => e.memberId !== ownerId);
    expect(helperEntries.map((e) => e.memberId).sort()).toEqual([...counted].sort());
    for (const memberId of counted) expect(await expectLedgerBalanced(cloud, memberId)).toBe(10);
    for (const memberId of [...members.values()].filter((id) => !counted.includes(id))) {
      expect(await docsOf(cloud, 'points_ledger', { memberId })).toEqual([]);
    }
    const view = await cloud.invoke('help', { action: 'task', taskId: task.taskId }, 'alice');
    expect(view.data).toMatchObject({ state: 'completed', count: 3, missing: 0, reward: { state: 'issued', couponId: null } });
  }, 120_000);

  it('the same person from the 公众号 and the mini-program, at once and again: one help', async () => {
    await makeRewardTemplate(cloud, 'tpl-help-twin');
    await makeHelpCampaign(cloud, 'hc-twin', { reward: { kind: 'coupon', templateId: 'tpl-help-twin' }, helpersNeeded: 3 });
    await memberIdOf(cloud, 'alice');
    const task = await startHelpTask(cloud, 'alice', 'hc-twin');
    await advanceClock(cloud, 60_000);
    const mini = { openid: 'o-mini-bob', unionid: 'u-bob' };
    const mp = { openid: 'o-mp-bob', unionid: 'u-bob', appid: cloud.emulator.ctx.options.mp.appid };
    const bobId = await memberIdOf(cloud, mini);
    expect(await memberIdOf(cloud, mp)).toBe(bobId);

    const answers = await Promise.all([
      cloud.invoke('help', { action: 'help', taskId: task.taskId }, mini),
      cloud.invoke('help', { action: 'help', taskId: task.taskId }, mp),
    ]);
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.find((a) => !a.ok)).toMatchObject({ code: 'ALREADY_EXISTS', reason: 'already_helped', message: '你已经为好友助力过了' });
    const again = await cloud.invoke('help', { action: 'help', taskId: task.taskId }, mp);
    expect(again).toMatchObject({ ok: false, reason: 'already_helped' });

    expect(await docOf(cloud, 'help_tasks', task.taskId)).toMatchObject({ count: 1, helperIds: [bobId], state: 'open' });
    expect(await docsOf(cloud, 'helps', { taskId: task.taskId })).toHaveLength(1);
    expect(await docsOf(cloud, 'help_days', { helperId: bobId })).toMatchObject([{ count: 1 }]);
    const seen = await cloud.invoke('help', { action: 'task', taskId: task.taskId }, mp);
    expect(seen.data.viewer).toMatchObject({ helped: true, canHelp: false, reason: 'already_helped' });
  }, 120_000);
});
