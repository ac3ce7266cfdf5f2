import { expect } from 'vitest';
import type { TestCloud } from './cloud';
import { templateInput } from './coupons';

export const HELP_WINDOW = { startAt: '2026-01-01T00:00:00+08:00', endAt: '2030-12-31T23:59:59+08:00' };

/** A ¥10 no-threshold template for rewards (1,000 in stock unless told). */
export async function makeRewardTemplate(cloud: TestCloud, id: string, totalStock = 1000): Promise<void> {
  const made = await cloud.invoke('couponAdmin', {
    action: 'createCouponTemplate',
    id,
    listed: false,
    template: templateInput({ name: '助力奖励券', terms: { kind: 'no_threshold', amountOff: 1000 }, totalStock }),
  });
  expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
}

/** A 助力 campaign through the console; answers its row. */
export async function makeHelpCampaign(cloud: TestCloud, id: string, campaign: Record<string, unknown>): Promise<any> {
  const answer = await cloud.invoke('helpAdmin', {
    action: 'createHelpCampaign',
    id,
    campaign: { title: '新朋友助力', taskHours: 24, audience: 'new_members', dailyLimit: 3, ...HELP_WINDOW, ...campaign },
  });
  expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
  return answer.data.campaign;
}

/** Starts the persona's task; answers the task view. */
export async function startHelpTask(
  cloud: TestCloud,
  as: string | { openid: string; unionid?: string; appid?: string },
  campaignId: string,
) {
  const answer = await cloud.invoke('help', { action: 'start', campaignId }, as);
  expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
  return answer.data.task;
}

/** Moves the local cloud's clock by `ms`. */
export async function advanceClock(cloud: TestCloud, ms: number): Promise<Date> {
  const now = new Date((await cloud.client.clock.get()).now);
  const next = new Date(now.getTime() + ms);
  await cloud.client.clock.set(next.toISOString());
  return next;
}
