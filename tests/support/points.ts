import { expect } from 'vitest';
import type { TestCloud } from './cloud';
import { templateInput } from './coupons';
import { docOf, docsOf } from './orders';

/** The persona's member id (logging them in first). */
export async function memberIdOf(cloud: TestCloud, as: string | { openid: string; unionid?: string }): Promise<string> {
  const login = await cloud.invoke('member', { action: 'login' }, as);
  expect(login, JSON.stringify(login)).toMatchObject({ ok: true });
  return login.data._id as string;
}

/** Points given by the console (`adjustPoints`), once per requestId; answers the balance after. */
export async function givePoints(
  cloud: TestCloud,
  memberId: string,
  delta: number,
  requestId = `give-${memberId}-${delta}`,
): Promise<number> {
  const answer = await cloud.invoke('pointsAdmin', {
    action: 'adjustPoints',
    memberId,
    delta,
    reason: '测试赠送',
    requestId: requestId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64),
  });
  expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
  return answer.data.balance;
}

/** A mall item through the console; answers its row. */
export async function makeMallItem(cloud: TestCloud, id: string, item: Record<string, unknown>): Promise<any> {
  const answer = await cloud.invoke('pointsAdmin', {
    action: 'createMallItem',
    id,
    item: { startAt: '2026-01-01T00:00:00+08:00', endAt: '2030-12-31T23:59:59+08:00', ...item },
  });
  expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
  return answer.data.item;
}

/** The member's balance as stored, and the ledger's sum and lots: they must agree. */
export async function expectLedgerBalanced(cloud: TestCloud, memberId: string): Promise<number> {
  const member = await docOf(cloud, 'members', memberId);
  const entries = await docsOf(cloud, 'points_ledger', { memberId });
  const sum = entries.reduce((total: number, entry: any) => total + entry.delta, 0);
  const lots = (member.pointLots ?? []).reduce((total: number, lot: any) => total + lot.left, 0);
  expect({ balance: member.points, sum, lots }).toEqual({ balance: sum, sum, lots: sum });
  expect(member.points).toBeGreaterThanOrEqual(0);
  return member.points;
}

/** A coupon template (¥5 off, no threshold, 1,000 in stock) and a mall item that gives it; answers the item's row. */
export async function makeCouponItem(cloud: TestCloud, id: string, item: Record<string, unknown>, templateId = `tpl-${id}`): Promise<any> {
  const made = await cloud.invoke('couponAdmin', {
    action: 'createCouponTemplate',
    id: templateId,
    template: templateInput({ name: '积分兑换券', terms: { kind: 'no_threshold', amountOff: 500 }, totalStock: 1000 }),
  });
  expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
  return makeMallItem(cloud, id, { kind: 'coupon', title: '5元券', templateId, ...item });
}
