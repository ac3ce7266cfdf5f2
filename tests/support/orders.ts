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
  as: string,
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
