import { expect } from 'vitest';
import type { TestCloud } from './cloud';
import { templateInput } from './coupons';

export const WINDOW = { startAt: '2026-01-01T00:00:00+08:00', endAt: '2030-12-31T23:59:59+08:00' };

/** A ¥5 no-threshold coupon template (1,000 in stock unless told) for coupon prizes. */
export async function makeLotteryTemplate(cloud: TestCloud, id: string, totalStock = 1000): Promise<void> {
  const made = await cloud.invoke('couponAdmin', {
    action: 'createCouponTemplate',
    id,
    template: templateInput({
      name: '抽奖5元券',
      terms: { kind: 'no_threshold', amountOff: 500 },
      totalStock,
      perMemberLimit: Math.min(100, totalStock),
    }),
  });
  expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
}

/** `lotteryAdmin.createLottery` with the usual window; answers the envelope. */
export function createLottery(cloud: TestCloud, id: string, lottery: Record<string, unknown>) {
  return cloud.invoke('lotteryAdmin', { action: 'createLottery', id, lottery: { title: '积分抽奖', ...WINDOW, ...lottery } });
}

export async function makeLottery(cloud: TestCloud, id: string, lottery: Record<string, unknown>): Promise<any> {
  const answer = await createLottery(cloud, id, lottery);
  expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
  return answer.data.lottery;
}

export function draw(cloud: TestCloud, as: string | { openid: string }, lotteryId: string, requestId: string) {
  return cloud.invoke('lottery', { action: 'draw', lotteryId, requestId }, as);
}
