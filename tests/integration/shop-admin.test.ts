import { createRequire } from 'node:module';
import { beforeEach, describe, expect, it } from 'vitest';
import { runAdminCli } from '../support/admin-cli';
import { okData, problemsOf } from '../support/envelopes';
import { useCloud } from '../support/cloud';

const require = createRequire(import.meta.url);

/**
 * shopAdmin's product jobs as an operator runs them from the console (no user), and as a member
 * tries them. Each case checks what is in the database afterwards, not only the answer.
 */
describe('shopAdmin: products', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';
  let image: string;

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
    await cloud
      .db()
      .collection('campaigns')
      .add({ data: { _id: 'cmp-1', name: '春季会员节' } });
    // A real file in the local cloud's storage, uploaded through the SDK as the CLI does.
    const sdk = require('wx-server-sdk');
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478da63f8cfc0000003010100c9fe92ef0000000049454e44ae426082',
      'hex',
    );
    image = (await sdk.uploadFile({ cloudPath: 'products/test.png', fileContent: png })).fileID;
  });

  const admin = (action: string, params: Record<string, unknown> = {}, as?: string) => cloud.invoke('shopAdmin', { action, ...params }, as);
  const productInput = (overrides: Record<string, unknown> = {}) => ({
    name: '纯棉短袖T恤',
    description: '春季新款',
    images: [image],
    onShelf: true,
    skus: [
      { id: 'sku-red-m', specs: { 颜色: '红', 尺码: 'M' }, price: 9900, stock: 10 },
      { id: 'sku-red-l', specs: { 颜色: '红', 尺码: 'L' }, price: 8900, stock: 5 },
    ],
    ...overrides,
  });
  const all = async (collection: string) => (await cloud.db().collection(collection).where({}).limit(1000).get()).data as any[];
  const ok = okData;
  const problems = problemsOf;

  describe('createProduct', () => {
    it('creates a product and its SKUs as their own documents, priceFrom the lowest price', async () => {
      const made = ok(await admin('createProduct', { id: 'prd-tee', campaign: 'cmp-1', product: productInput() }));
      expect(made).toMatchObject({
        created: true,
        product: { id: 'prd-tee', name: '纯棉短袖T恤', onShelf: true, campaign: 'cmp-1', priceFrom: 8900, totalStock: 15, images: [image] },
      });
      expect(made.product.skus.map((s: any) => s.id)).toEqual(['sku-red-m', 'sku-red-l']);
      const [product] = await all('products');
      expect(product).toMatchObject({ _id: 'prd-tee', priceFrom: 8900, skuIds: ['sku-red-m', 'sku-red-l'], campaign: 'cmp-1' });
      const skus = await all('skus');
      expect(skus.map((s) => [s._id, s.productId, s.price, s.stock]).sort()).toEqual([
        ['sku-red-l', 'prd-tee', 8900, 5],
        ['sku-red-m', 'prd-tee', 9900, 10],
      ]);
      expect(skus.find((s) => s._id === 'sku-red-m').specs).toEqual({ 颜色: '红', 尺码: 'M' });
    });

    it('the same id and content again answers created: false and writes nothing new; other content is ALREADY_EXISTS', async () => {
      ok(await admin('createProduct', { id: 'prd-tee', product: productInput() }));
      ok(await admin('updateProduct', { productId: 'prd-tee', skus: [{ skuId: 'sku-red-m', addStock: 3 }] }));
      const again = ok(await admin('createProduct', { id: 'prd-tee', product: productInput() }));
      expect(again.created).toBe(false);
      expect(again.product.skus[0].stock).toBe(13);
      expect(await admin('createProduct', { id: 'prd-tee', product: productInput({ name: '另一件' }) })).toMatchObject({
        ok: false,
        code: 'ALREADY_EXISTS',
      });
      expect((await all('products')).length).toBe(1);
      expect((await all('skus')).length).toBe(2);
    });

    it('lists every problem at once and writes nothing', async () => {
      const listed = problems(
        await admin('createProduct', {
          id: 'prd-bad',
          campaign: 'cmp-none',
          product: productInput({
            name: '',
            images: ['https://cdn.example.com/a.png'],
            skus: [
              { id: 'sku-a', specs: { 颜色: '红' }, price: 0, stock: -1 },
              { id: 'sku-a', specs: { 颜色: '红' }, price: 100, stock: 1 },
            ],
          }),
        }),
      );
      expect(listed.map((p) => p.split(':')[0]).sort()).toEqual(
        [
          'campaign',
          'product.name',
          'product.images[0]',
          'product.skus[0].price',
          'product.skus[0].stock',
          'product.skus[1].id',
          'product.skus[1].specs',
        ].sort(),
      );
      expect(await all('products')).toEqual([]);
      expect(await all('skus')).toEqual([]);
    });

    it('refuses an image that is not in cloud storage, and a SKU id another product owns, writing nothing', async () => {
      const missing = `${image.slice(0, image.lastIndexOf('/'))}/nope.png`;
      expect(problems(await admin('createProduct', { id: 'prd-x', product: productInput({ images: [missing] }) }))).toEqual([
        'product.images[0]: no such file in cloud storage (upload it first: --image FILE)',
      ]);
      ok(await admin('createProduct', { id: 'prd-tee', product: productInput() }));
      const taken = await admin('createProduct', {
        id: 'prd-other',
        product: productInput({
          skus: [
            { id: 'sku-new', specs: { 颜色: '蓝' }, price: 1, stock: 1 },
            { id: 'sku-red-m', specs: { 颜色: '绿' }, price: 1, stock: 1 },
          ],
        }),
      });
      expect(taken).toMatchObject({ ok: false, code: 'ALREADY_EXISTS' });
      expect(taken.detail).toContain('sku-red-m belongs to product prd-tee');
      expect((await all('products')).map((p) => p._id)).toEqual(['prd-tee']);
      expect((await all('skus')).map((s) => s._id).sort()).toEqual(['sku-red-l', 'sku-red-m']);
    });

    it('survives hostile input: operator objects, a 60 KB string, deep nesting, with nothing written', async () => {
      let deep: Record<string, unknown> = { x: 1 };
      for (let i = 0; i < 200; i += 1) deep = { a: deep };
      const hostile = [
        { id: 'prd-h', product: { ...productInput(), name: { $ne: null } } },
        { id: 'prd-h', product: productInput({ description: 'x'.repeat(60 * 1024) }) },
        { id: 'prd-h', product: productInput({ skus: [{ id: 'sku-h', specs: deep, price: { $gt: 0 }, stock: 1 }] }) },
        { id: 'prd-h', product: productInput({ skus: [{ id: { $exists: true }, specs: { $set: 'x' }, price: 1, stock: 1 }] }) },
        { id: '$where', product: productInput() },
        { id: 'prd-h', product: 'not an object' },
      ];
      for (const event of hostile) {
        const answer = await admin('createProduct', event);
        expect(answer, JSON.stringify(answer).slice(0, 300)).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
        expect(JSON.stringify(answer).length).toBeLessThan(4000);
      }
      expect(await all('products')).toEqual([]);
      expect(await all('skus')).toEqual([]);
    });

    it('refuses a member who is not an admin with PERMISSION_DENIED and writes nothing', async () => {
      await cloud.client.personas.upsert([{ name: 'mallory', nickname: '路人' }]);
      expect(await admin('createProduct', { id: 'prd-tee', product: productInput() }, 'mallory')).toMatchObject({
        ok: false,
        code: 'PERMISSION_DENIED',
      });
      expect(await admin('updateProduct', { productId: 'prd-tee', onShelf: false }, 'mallory')).toMatchObject({
        code: 'PERMISSION_DENIED',
      });
      expect(await admin('listProducts', {}, 'mallory')).toMatchObject({ code: 'PERMISSION_DENIED' });
      expect(await all('products')).toEqual([]);
      expect(await all('members')).toEqual([]);
    });
  });

  describe('updateProduct', () => {
    beforeEach(async () => {
      ok(await admin('createProduct', { id: 'prd-tee', product: productInput() }));
    });

    it('sets prices, adds stock and takes the product off the shelf; priceFrom follows', async () => {
      const updated = ok(
        await admin('updateProduct', {
          productId: 'prd-tee',
          onShelf: false,
          skus: [
            { skuId: 'sku-red-m', price: 7900, addStock: 5 },
            { skuId: 'sku-red-l', addStock: 1 },
          ],
        }),
      );
      expect(updated.product).toMatchObject({ onShelf: false, priceFrom: 7900, totalStock: 21 });
      const skus = Object.fromEntries((await all('skus')).map((s) => [s._id, s]));
      expect([skus['sku-red-m'].price, skus['sku-red-m'].stock, skus['sku-red-l'].price, skus['sku-red-l'].stock]).toEqual([
        7900, 15, 8900, 6,
      ]);
      expect((await all('products'))[0]).toMatchObject({ onShelf: false, priceFrom: 7900 });
    });

    it('refuses the whole update when any change is wrong, listing each, and writes nothing', async () => {
      const before = { products: await all('products'), skus: await all('skus') };
      const listed = problems(
        await admin('updateProduct', {
          productId: 'prd-tee',
          onShelf: false,
          skus: [
            { skuId: 'sku-red-m', price: 100 },
            { skuId: 'sku-unknown', addStock: 1 },
            { skuId: 'sku-red-m', addStock: 1 },
          ],
        }),
      );
      expect(listed.map((p) => p.split(':')[0])).toEqual(['skus[1].skuId', 'skus[2].skuId']);
      expect(problems(await admin('updateProduct', { productId: 'prd-tee', skus: [{ skuId: 'sku-red-m', price: 0 }] }))).toHaveLength(1);
      expect(problems(await admin('updateProduct', { productId: 'prd-tee' }))[0]).toContain('say what to change');
      expect(await admin('updateProduct', { productId: 'prd-none', onShelf: true })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      expect({ products: await all('products'), skus: await all('skus') }).toEqual(before);
    });

    it('counts every one of 20 concurrent stock adds', async () => {
      const adds = Array.from({ length: 20 }, (_, i) =>
        admin('updateProduct', { productId: 'prd-tee', skus: [{ skuId: 'sku-red-m', addStock: i + 1 }] }),
      );
      for (const answer of await Promise.all(adds)) ok(answer);
      const sku = (await all('skus')).find((s) => s._id === 'sku-red-m');
      expect(sku.stock).toBe(10 + (20 * 21) / 2);
    });
  });

  describe('listProducts', () => {
    it('lists products newest first with their SKUs and stock, by campaign and shelf', async () => {
      ok(await admin('createProduct', { id: 'prd-a', campaign: 'cmp-1', product: productInput() }));
      await cloud.client.clock.set('2026-12-03T03:00:00.000Z');
      ok(
        await admin('createProduct', {
          id: 'prd-b',
          product: productInput({ onShelf: false, skus: [{ id: 'sku-b', specs: {}, price: 500, stock: 0 }] }),
        }),
      );
      const listed = ok(await admin('listProducts'));
      expect(listed.products.map((p: any) => [p.id, p.totalStock, p.skus.length])).toEqual([
        ['prd-b', 0, 1],
        ['prd-a', 15, 2],
      ]);
      expect(ok(await admin('listProducts', { campaign: 'cmp-1' })).products.map((p: any) => p.id)).toEqual(['prd-a']);
      expect(ok(await admin('listProducts', { onShelf: false })).products.map((p: any) => p.id)).toEqual(['prd-b']);
    });
  });

  describe('the CLI', () => {
    it('uploads --image files to cloud storage and creates the product with their file ids, twice the same', async () => {
      await cloud
        .db()
        .collection('campaigns')
        .add({ data: { _id: 'cmp-spring', name: '春季会员节' } });
      const args = ['createProduct', '@examples/product.json', '--image', 'examples/product.png'];
      const first = await runAdminCli(cloud.url, args);
      expect(first.stderr).toBe('');
      expect(first.stdout).toMatch(/created\s+true/);
      const second = await runAdminCli(cloud.url, args);
      expect(second.stdout).toMatch(/created\s+false/);
      const [product] = await all('products');
      expect(product.images).toHaveLength(1);
      expect(product.images[0]).toMatch(/^cloud:\/\/.+\/products\/[0-9a-f]{24}\.png$/);
      const [file] = (await require('wx-server-sdk').getTempFileURL({ fileList: product.images })).fileList;
      const bytes = Buffer.from(await (await fetch(file.tempFileURL)).arrayBuffer());
      expect(bytes.subarray(1, 4).toString()).toBe('PNG');
      const refused = await runAdminCli(cloud.url, ['createProduct', '@examples/product.json', '--image', 'examples/product.json']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('a product image is a .png, .jpg, .webp or .gif file');
    });
  });
});
