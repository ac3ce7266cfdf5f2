import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { docOf, docsOf, seedMembers } from '../support/orders';
import { expectLedgerBalanced, givePoints, makeCouponItem, memberIdOf } from '../support/points';

/**
 * The points mall under bursts, through the real functions: many members racing for a few units,
 * and one member firing more exchanges than the item's per-member limit. What must hold is read
 * back from the database: stock, exchanges, coupons, ledger entries and balances.
 */
describe('points mall: exchanges at once', () => {
  const cloud = useCloud();

  beforeEach(async () => {
    await cloud.client.clock.set('2026-12-03T02:00:00.000Z');
  });

  it('20 members with enough points race for 5 units: exactly 5 exchanges, stock 0, each winner charged once, losers untouched', async () => {
    await makeCouponItem(cloud, 'mi-race', { points: 100, stock: 5, perMemberLimit: 1 });
    const openids = Array.from({ length: 20 }, (_, i) => `o-race-${String(i).padStart(2, '0')}`);
    const members = await seedMembers(cloud, openids);
    await Promise.all([...members.values()].map((memberId) => givePoints(cloud, memberId, 150)));

    const answers = await Promise.all(
      openids.map((openid, i) =>
        cloud.invoke('points', { action: 'exchange', itemId: 'mi-race', requestId: `race-req-${String(i).padStart(4, '0')}` }, { openid }),
      ),
    );
    const winners = openids.filter((_, i) => answers[i].ok).map((openid) => members.get(openid) as string);
    const losers = openids.filter((_, i) => !answers[i].ok).map((openid) => members.get(openid) as string);
    expect(winners, JSON.stringify(answers.filter((a) => !a.ok))).toHaveLength(5);
    for (const answer of answers) {
      if (answer.ok) expect(answer.data).toMatchObject({ exchange: { state: 'done', points: 100 }, balance: 50, repeated: false });
      else expect(answer).toMatchObject({ ok: false, code: 'RESOURCE_EXHAUSTED', reason: 'sold_out' });
    }

    expect(await docOf(cloud, 'mall_items', 'mi-race')).toMatchObject({ stock: 5, stockLeft: 0 });
    const exchanges = await docsOf(cloud, 'exchanges', { itemId: 'mi-race' });
    expect(
      exchanges
        .filter((x) => x.state === 'done')
        .map((x) => x.memberId)
        .sort(),
    ).toEqual([...winners].sort());
    // A loser refused before writing anything has no exchange; one refused after its insert took nothing: no unit, no points.
    expect(exchanges.filter((x) => x.state !== 'done').length).toBeLessThanOrEqual(15);
    for (const x of exchanges.filter((x) => x.state !== 'done')) {
      expect(x).toMatchObject({ state: 'failed', reason: 'sold_out', stockTaken: false, pointsTaken: false });
    }
    // One coupon per winner, under the exchange's own id.
    const coupons = await docsOf(cloud, 'coupons', { templateId: 'tpl-mi-race' });
    expect(coupons.map((c) => c.memberId).sort()).toEqual([...winners].sort());
    for (const x of exchanges.filter((x) => x.state === 'done')) expect(x.couponId).toBe(`exchange:${x._id}`);
    expect(await docOf(cloud, 'coupon_templates', 'tpl-mi-race')).toMatchObject({ stockLeft: 995 });

    // Each winner charged once, each loser not at all; every ledger sums to its balance.
    const spends = await docsOf(cloud, 'points_ledger', { source: 'exchange' });
    expect(spends.map((e) => e.memberId).sort()).toEqual([...winners].sort());
    expect(spends.every((e) => e.delta === -100)).toBe(true);
    expect(await docsOf(cloud, 'points_ledger', { source: 'exchange_return' })).toEqual([]);
    for (const memberId of winners) expect(await expectLedgerBalanced(cloud, memberId)).toBe(50);
    for (const memberId of losers) expect(await expectLedgerBalanced(cloud, memberId)).toBe(150);
    expect((await docsOf(cloud, 'mall_limits', { itemId: 'mi-race' })).map((l) => [l.memberId, l.count]).sort()).toEqual(
      winners.map((memberId) => [memberId, 1]).sort(),
    );
  });

  it('one member with points for 5 fires 6 exchanges of an item limited to 2 per member: exactly 2', async () => {
    await makeCouponItem(cloud, 'mi-limit', { points: 100, stock: 10, perMemberLimit: 2 });
    const memberId = await memberIdOf(cloud, 'alice');
    await givePoints(cloud, memberId, 500);

    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        cloud.invoke('points', { action: 'exchange', itemId: 'mi-limit', requestId: `limit-req-${String(i).padStart(4, '0')}` }, 'alice'),
      ),
    );
    expect(
      answers.filter((a) => a.ok),
      JSON.stringify(answers.filter((a) => !a.ok)),
    ).toHaveLength(2);
    // Refused by the limit (or, after the transaction's retries, by the conflict with the winners): never by points.
    for (const lost of answers.filter((a) => !a.ok)) expect(['RESOURCE_EXHAUSTED', 'CONFLICT']).toContain(lost.code);

    expect(await expectLedgerBalanced(cloud, memberId)).toBe(300);
    expect(await docsOf(cloud, 'points_ledger', { memberId, source: 'exchange' })).toHaveLength(2);
    expect(await docOf(cloud, 'mall_limits', `mlim:mi-limit:${memberId}`)).toMatchObject({ count: 2 });
    expect(await docsOf(cloud, 'coupons', { templateId: 'tpl-mi-limit', memberId })).toHaveLength(2);
    // Every refused exchange gave back the unit it took: 2 of 10 gone.
    expect(await docOf(cloud, 'mall_items', 'mi-limit')).toMatchObject({ stockLeft: 8 });
    const exchanges = await docsOf(cloud, 'exchanges', { itemId: 'mi-limit' });
    expect(exchanges.filter((x) => x.state === 'done')).toHaveLength(2);
    for (const x of exchanges.filter((x) => x.state !== 'done')) {
      expect(x).toMatchObject({ state: 'failed', pointsTaken: false });
      expect(x.stockReturned).toBe(x.stockTaken);
    }

    // A 7th, later, is refused before anything is taken.
    const seventh = await cloud.invoke('points', { action: 'exchange', itemId: 'mi-limit', requestId: 'limit-req-0007' }, 'alice');
    expect(seventh).toMatchObject({ ok: false, code: 'RESOURCE_EXHAUSTED', reason: 'limit_reached' });
    expect(await docOf(cloud, 'mall_items', 'mi-limit')).toMatchObject({ stockLeft: 8 });
    expect(await expectLedgerBalanced(cloud, memberId)).toBe(300);
  });
});
