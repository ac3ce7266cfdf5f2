import { expect } from 'vitest';
import type { TestCloud } from './cloud';
import { ADDRESS, makeProduct } from './orders';

/** The bargain page a share card opens (through the landing page). */
export const BARGAIN_TASK_PAGE = 'packages/bargain/task/index';

/**
 * A product with one SKU at `price` and a bargain on it made through bargainAdmin as an operator
 * would: floor, friends, a window running from 2026-12-01 to 2026-12-31 and 24-hour tasks unless overridden.
 */
export async function makeBargain(
  cloud: TestCloud,
  id: string,
  options: { price: number; floorPrice: number; friends: number; skuStock?: number } & Record<string, unknown>,
): Promise<any> {
  const { price, skuStock, ...bargain } = options;
  await makeProduct(cloud, `prd-${id}`, [{ id: `sku-${id}`, price, stock: skuStock ?? 50 }]);
  const made = await cloud.invoke('bargainAdmin', {
    action: 'createBargain',
    id,
    bargain: {
      title: '好友砍价',
      skuId: `sku-${id}`,
      startAt: '2026-12-01T00:00:00+08:00',
      endAt: '2026-12-31T23:59:59+08:00',
      taskHours: 24,
      ...bargain,
    },
  });
  expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
  return made.data.bargain;
}

/** `bargain.start` as a persona; answers the task id. */
export async function startTask(cloud: TestCloud, as: string | { openid: string; unionid?: string }, bargainId: string): Promise<string> {
  const started = await cloud.invoke('bargain', { action: 'start', bargainId }, as);
  expect(started, JSON.stringify(started)).toMatchObject({ ok: true });
  return started.data.task.taskId;
}

export function cut(cloud: TestCloud, as: string | { openid: string; unionid?: string; appid?: string }, taskId: string) {
  return cloud.invoke('bargain', { action: 'cut', taskId }, as);
}

export function buy(cloud: TestCloud, as: string | { openid: string }, taskId: string, extra: Record<string, unknown> = {}) {
  return cloud.invoke('bargain', { action: 'buy', taskId, address: ADDRESS, ...extra }, as);
}
