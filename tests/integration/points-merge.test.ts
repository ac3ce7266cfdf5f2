import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { docOf, docsOf, runJobs } from '../support/orders';
import { expectLedgerBalanced, givePoints, memberIdOf } from '../support/points';

/**
 * One person, two members: dora uses the mini-program before WeChat tells us her unionid (member
 * A), then follows the 公众号, which brings the unionid (member B). Her next mini-program call with
 * the unionid merges A into B. Points must survive that with their expiries: the survivor holds
 * the sum, each lot keeps its expiry, both ledgers stay the sum of their entries, and the expiry
 * job takes exactly what is left of each lot on its day.
 */
describe('points through a member merge', () => {
  const cloud = useCloud();
  const DAY = 24 * 60 * 60 * 1000;
  /** The mini-program's view of dora before the unionid is known: her app openid alone. */
  const mini = { openid: 'o-mini-dora' };
  /** The last millisecond of a Shanghai day, as lots store it. */
  const endOf = (day: string) => new Date(`${day}T23:59:59.999+08:00`);
  const lotsOf = async (memberId: string) =>
    ((await docOf(cloud, 'members', memberId)).pointLots ?? []).map((lot: any) => [new Date(lot.expiresAt).toISOString(), lot.left]);
  const checkIn = (as: typeof mini | string) => cloud.invoke('points', { action: 'checkIn' }, as);

  beforeEach(async () => {
    await cloud.client.clock.set('2026-12-03T02:00:00.000Z');
    // Earned points last through the 3rd Shanghai day after the day they were earned.
    const rules = await cloud.invoke('pointsAdmin', { action: 'setPointsRules', expiry: { mode: 'days', days: 3 } });
    expect(rules, JSON.stringify(rules)).toMatchObject({ ok: true });
    // dora has a unionid WeChat will tell the 公众号 about; she does not follow yet.
    await cloud.client.personas.upsert({ name: 'dora', unionid: 'u-dora', follows: false });
  });

  /** Three days of dora: A earns on 12-03, 12-04 and 12-05; B is made by her follow on 12-05. Answers both ids. */
  async function twoMembersWithPoints() {
    const a = await memberIdOf(cloud, mini);
    await givePoints(cloud, a, 100, 'grant-a-0001');
    expect(await checkIn(mini)).toMatchObject({ ok: true, data: { checkedIn: true, awarded: 5 } });
    await cloud.client.clock.advance(DAY);
    expect(await checkIn(mini)).toMatchObject({ ok: true, data: { checkedIn: true, awarded: 5 } });
    await cloud.client.clock.advance(DAY);
    // 12-05: she follows the 公众号 (a new member, B, through the unionid: +50), then checks in in the app as A.
    await cloud.client.mp.push({ persona: 'dora', type: 'subscribe' });
    const [identity] = await docsOf(cloud, 'identities', { kind: 'unionid', unionid: 'u-dora' });
    const b = identity.memberId as string;
    expect(b).not.toBe(a);
    expect(await checkIn(mini)).toMatchObject({ ok: true, data: { checkedIn: true, awarded: 5, summary: { checkIn: { streak: 3 } } } });
    expect(await lotsOf(a)).toEqual([
      [endOf('2026-12-06').toISOString(), 105],
      [endOf('2026-12-07').toISOString(), 5],
      [endOf('2026-12-08').toISOString(), 5],
    ]);
    expect(await expectLedgerBalanced(cloud, a)).toBe(115);
    expect(await lotsOf(b)).toEqual([[endOf('2026-12-08').toISOString(), 50]]);
    expect(await expectLedgerBalanced(cloud, b)).toBe(50);
    return { a, b };
  }

  it('the survivor holds the sum with every lot’s expiry, both ledgers balance, and the moves are entries on each side', async () => {
    const { a, b } = await twoMembersWithPoints();
    // Her next mini-program call carries the unionid: A is merged into B.
    const login = await cloud.invoke('member', { action: 'login' }, { ...mini, unionid: 'u-dora' });
    expect(login).toMatchObject({ ok: true, data: { _id: b, points: 165 } });
    expect(await docOf(cloud, 'members', a)).toMatchObject({ mergedInto: b, points: 0, pointLots: [] });
    expect(await lotsOf(b)).toEqual([
      [endOf('2026-12-06').toISOString(), 105],
      [endOf('2026-12-07').toISOString(), 5],
      [endOf('2026-12-08').toISOString(), 55],
    ]);
    expect(await docOf(cloud, 'members', b)).toMatchObject({ pointsNextExpiry: endOf('2026-12-06'), pointsNextNoticed: false });
    // A's entries moved with A's points: A's ledger is empty and sums to its 0, B's sums to 165.
    expect(await expectLedgerBalanced(cloud, a)).toBe(0);
    expect(await docsOf(cloud, 'points_ledger', { memberId: a })).toEqual([]);
    expect(await expectLedgerBalanced(cloud, b)).toBe(165);
    const moves = await docsOf(cloud, 'points_ledger', { source: 'merge' });
    expect(moves.map((e) => [e._id.replace(a, 'A'), e.delta]).sort()).toEqual([
      ['ledger:merge:A:5:in', 115],
      ['ledger:merge:A:5:out', -115],
    ]);

    // The scheduler's sweep settles the merge again: nothing more moves.
    await runJobs(cloud, ['settleMerges']);
    expect(await expectLedgerBalanced(cloud, b)).toBe(165);
    expect(await docsOf(cloud, 'points_ledger', { source: 'merge' })).toHaveLength(2);
  });

  it('the expiry job takes exactly what is left of each lot on the day it ends, nothing early or late', async () => {
    const { a, b } = await twoMembersWithPoints();
    await cloud.invoke('member', { action: 'login' }, { ...mini, unionid: 'u-dora' });
    // Spending after the merge takes from the soonest lot (A's, ending 12-06) first.
    expect(await givePoints(cloud, b, -30, 'spend-b-0001')).toBe(135);
    expect((await lotsOf(b))[0]).toEqual([endOf('2026-12-06').toISOString(), 75]);

    const expireAt = async (iso: string) => {
      await cloud.client.clock.set(iso);
      return (await runJobs(cloud, ['expirePoints'])).expirePoints.result;
    };
    // The local cloud's clock runs on from where it is set: "just before" leaves the run half a minute.
    const steps: Array<[string, number, number]> = [
      // [when, points the run expires, balance after]
      ['2026-12-06T15:59:30.000Z', 0, 135], // 12-06 23:59:30 in Shanghai: the first lot's last minute
      ['2026-12-06T16:00:00.000Z', 75, 60], // 12-07 00:00: what is left of it, 105 less the 30 spent
      ['2026-12-06T16:00:00.000Z', 0, 60], // the same run again: nothing twice
      ['2026-12-07T15:59:30.000Z', 0, 60],
      ['2026-12-07T16:00:00.000Z', 5, 55],
      ['2026-12-08T15:59:30.000Z', 0, 55],
      ['2026-12-08T16:00:00.000Z', 55, 0],
    ];
    for (const [when, points, balance] of steps) {
      expect(await expireAt(when), when).toMatchObject({ points, members: points > 0 ? 1 : 0 });
      expect(await expectLedgerBalanced(cloud, b)).toBe(balance);
      expect(await expectLedgerBalanced(cloud, a)).toBe(0);
    }
    const expiries = await docsOf(cloud, 'points_ledger', { memberId: b, source: 'expiry' });
    expect(expiries.map((e) => e.delta).sort((x, y) => x - y)).toEqual([-75, -55, -5]);
  });

  it('a check-in before the merge counts for the person: the survivor cannot check in again that day', async () => {
    const { b } = await twoMembersWithPoints();
    await cloud.invoke('member', { action: 'login' }, { ...mini, unionid: 'u-dora' });
    // A checked in today (12-05); B did not. After the merge, 签到 in the 公众号 and the app find it done.
    const pushed = (await cloud.client.mp.push({ persona: 'dora', type: 'text', content: '签到' })) as any;
    expect(JSON.stringify(pushed)).toContain('今天已经签到过啦，当前积分 165');
    expect(await checkIn('dora')).toMatchObject({
      ok: true,
      data: { checkedIn: false, awarded: 0, summary: { balance: 165, checkIn: { done: true, streak: 3 } } },
    });
    expect(await docsOf(cloud, 'points_ledger', { memberId: b, source: 'checkin' })).toHaveLength(3);
    // The streak goes on the next day, as the person's.
    await cloud.client.clock.advance(DAY);
    expect(await checkIn('dora')).toMatchObject({ ok: true, data: { checkedIn: true, awarded: 5, summary: { checkIn: { streak: 4 } } } });
    expect(await expectLedgerBalanced(cloud, b)).toBe(170);
  });
});
