import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { TestCloud } from './cloud';

const require = createRequire(import.meta.url);
const PNG_1PX = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478da63f8cfc0000003010100c9fe92ef0000000049454e44ae426082',
  'hex',
);

/** A 1-pixel PNG in the local cloud's storage, uploaded through the SDK (call after `cloud.db()`). */
export async function uploadTestImage(cloud: TestCloud, name = 'test.png'): Promise<string> {
  cloud.db();
  const sdk = require('wx-server-sdk');
  return (await sdk.uploadFile({ cloudPath: `products/${name}`, fileContent: PNG_1PX })).fileID;
}

/** A product with SKUs, made through shopAdmin as an operator would. */
export async function makeProduct(
  cloud: TestCloud,
  id: string,
  skus: Array<{ id: string; price: number; stock: number; specs?: Record<string, string> }>,
  overrides: Record<string, unknown> = {},
): Promise<void> {
  const image = await uploadTestImage(cloud, `${id}.png`);
  const made = await cloud.invoke('shopAdmin', {
    action: 'createProduct',
    id,
    product: {
      name: `商品${id}`,
      description: '测试商品',
      images: [image],
      onShelf: true,
      skus: skus.map((sku) => ({ specs: sku.specs ?? { 规格: sku.id }, ...sku })),
      ...overrides,
    },
  });
  expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
}

export const ADDRESS = { name: '张三', phone: '13800138000', region: '浙江省 杭州市 西湖区', detail: '文三路 100 号' };

/** `order.create` as a persona; answers the envelope. */
export function createOrder(
  cloud: TestCloud,
  as: string | { openid: string },
  lines: Array<{ skuId: string; quantity: number }>,
  requestId: string,
  extra: Record<string, unknown> = {},
) {
  return cloud.invoke('order', { action: 'create', lines, requestId, address: ADDRESS, ...extra }, as);
}

/** Runs scheduler jobs as a timer would, answering each job's result. */
export async function runJobs(cloud: TestCloud, jobs: string[]): Promise<Record<string, any>> {
  const answer = await cloud.invoke('scheduler', { action: 'run', jobs });
  expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
  return Object.fromEntries(answer.data.jobs.map((job: any) => [job.name, job]));
}

export async function docsOf(cloud: TestCloud, collection: string, where: Record<string, unknown> = {}): Promise<any[]> {
  return (await cloud.db().collection(collection).where(where).limit(1000).get()).data;
}

export async function docOf(cloud: TestCloud, collection: string, id: string): Promise<any> {
  const [doc] = await docsOf(cloud, collection, { _id: id });
  return doc ?? null;
}

/**
 * Members that exist before a test's burst, written as a login writes them (an identity of the
 * mini-program's appid and its member): the burst then measures orders, not member creation.
 * Answers each openid's member id.
 */
export async function seedMembers(cloud: TestCloud, openids: string[]): Promise<Map<string, string>> {
  const { identityKey, newMemberDoc } = await import('../../core/member/member');
  const appid = cloud.emulator.ctx.options.appid;
  const now = new Date((await cloud.client.clock.get()).now);
  const db = cloud.db();
  const ids = new Map<string, string>();
  await Promise.all(
    openids.map(async (openid) => {
      const memberId = `m-${openid}`;
      await db.collection('members').add({ data: newMemberDoc(memberId, null, now) });
      await db
        .collection('identities')
        .add({ data: { _id: identityKey(appid, openid), memberId, kind: 'app', appid, openid, createdAt: now } });
      ids.set(openid, memberId);
    }),
  );
  return ids;
}

/**
 * A coupon template (¥20 off from ¥99 unless overridden) and one coupon of it claimed by `as`
 * through the coupon function; answers the coupon's id.
 */
export async function claimCoupon(
  cloud: TestCloud,
  as: string | { openid: string },
  templateId: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const { templateInput } = await import('./coupons');
  const made = await cloud.invoke('couponAdmin', { action: 'createCouponTemplate', id: templateId, template: templateInput(overrides) });
  expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
  const claimed = await cloud.invoke('coupon', { action: 'claim', templateId, requestId: `claim-${templateId}` }, as);
  expect(claimed, JSON.stringify(claimed)).toMatchObject({ ok: true });
  return claimed.data.coupon.couponId;
}

/**
 * Starts `instances` warm instances of the order function (concurrent `counts` calls, which take no
 * stock), so that a burst after it runs in parallel processes instead of waiting for cold starts
 * one request at a time. A reset keeps idle instances (reloaded in place), so a pool may already be larger.
 */
export async function warmOrderInstances(cloud: TestCloud, as: string | { openid: string }, instances: number): Promise<void> {
  const answers = await Promise.all(Array.from({ length: instances }, () => cloud.invoke('order', { action: 'counts' }, as)));
  for (const answer of answers) expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
  const order = (await cloud.client.functions.list()).functions.find((fn) => fn.name === 'order');
  expect(order?.instances.total).toBeGreaterThanOrEqual(instances);
}
