import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudCallError } from '../services/errors';
import * as shopService from '../services/shop';
import { productView } from './order-fixtures';
import { anyThrown, deferred, shownMessageOf } from './test-support';
import { isSoldOut, isValueAvailable, MAX_QUANTITY, priceRange, selectedSku, useProductStore } from './useProductStore';

vi.mock('../services/shop', () => ({ product: vi.fn() }));

const product = vi.mocked(shopService.product);
type Answer = Awaited<ReturnType<typeof shopService.product>>;

const lotion = productView();
const mug = productView({
  productId: 'prd-mug',
  name: '樱花陶瓷马克杯',
  specs: [{ name: '颜色', values: ['樱粉'] }],
  skus: [{ skuId: 'sku-mug-pink', specs: { 颜色: '樱粉' }, price: 4900, stock: 100 }],
});
const store = () => useProductStore.getState();

async function loaded(view = lotion) {
  product.mockResolvedValueOnce({ product: view });
  await store().load(view.productId);
}

beforeEach(() => {
  product.mockReset();
  useProductStore.setState(useProductStore.getInitialState(), true);
});

describe('SKU helpers', () => {
  it('finds the SKU only once every spec has a value', () => {
    expect(selectedSku(lotion, { 容量: '200ml' })).toBeNull();
    expect(selectedSku(lotion, { 容量: '200ml', 香型: '百合' })?.skuId).toBe('sku-200-lily');
  });

  it('disables a value whose every combination with the chosen ones is sold out', () => {
    expect(isValueAvailable(lotion, {}, '香型', '百合')).toBe(true);
    expect(isValueAvailable(lotion, { 容量: '400ml' }, '香型', '百合')).toBe(false);
    expect(isValueAvailable(lotion, { 香型: '百合' }, '容量', '400ml')).toBe(false);
    expect(isValueAvailable(lotion, { 香型: '百合' }, '容量', '200ml')).toBe(true);
  });

  it('gives the price range and says when nothing is left', () => {
    expect(priceRange(lotion)).toEqual({ min: 6900, max: 11900 });
    expect(isSoldOut(lotion)).toBe(false);
    expect(isSoldOut({ ...lotion, skus: lotion.skus.map((sku) => ({ ...sku, stock: 0 })) })).toBe(true);
  });
});

describe('useProductStore', () => {
  it('load goes loading, then ready; a spec with one value starts chosen', async () => {
    const pending = deferred<Answer>();
    product.mockReturnValueOnce(pending.promise);
    const done = store().load('prd-mug');
    expect(product).toHaveBeenCalledWith('prd-mug');
    expect(store()).toMatchObject({ productId: 'prd-mug', status: 'loading', product: null });
    pending.resolve({ product: mug });
    await done;
    expect(store()).toMatchObject({ status: 'ready', product: mug, selected: { 颜色: '樱粉' }, quantity: 1 });
  });

  it('selects, switches and clears values; a sold-out value takes no tap', async () => {
    await loaded();
    store().select('容量', '400ml');
    expect(store().selected).toEqual({ 容量: '400ml' });
    store().select('香型', '百合');
    expect(store().selected).toEqual({ 容量: '400ml' });
    store().select('容量', '200ml');
    store().select('香型', '百合');
    expect(store().selected).toEqual({ 容量: '200ml', 香型: '百合' });
    store().select('香型', '百合');
    expect(store().selected).toEqual({ 容量: '200ml' });
  });

  it('keeps the quantity between 1 and the SKU’s stock, and never above 99', async () => {
    await loaded();
    store().setQuantity(500);
    expect(store().quantity).toBe(MAX_QUANTITY);
    store().select('容量', '200ml');
    store().select('香型', '百合');
    expect(store().quantity).toBe(4);
    store().setQuantity(0);
    expect(store().quantity).toBe(1);
    store().select('香型', '百合');
    store().select('香型', '玫瑰');
    store().setQuantity(120);
    expect(store().quantity).toBe(60);
    store().select('容量', '400ml');
    store().setQuantity(120);
    expect(store().quantity).toBe(MAX_QUANTITY);
  });

  it('coming back keeps the reader’s choice when it can still be bought, and drops it when it sold out', async () => {
    await loaded();
    store().select('容量', '200ml');
    store().select('香型', '百合');
    store().setQuantity(3);
    await loaded();
    expect(store()).toMatchObject({ selected: { 容量: '200ml', 香型: '百合' }, quantity: 3 });
    const soldOut = { ...lotion, skus: lotion.skus.map((sku) => (sku.skuId === 'sku-200-lily' ? { ...sku, stock: 0 } : sku)) };
    await loaded(soldOut);
    expect(store().selected).toEqual({ 容量: '200ml' });
  });

  it('opening another product never shows the previous one, nor its choice', async () => {
    await loaded();
    store().select('容量', '200ml');
    const pending = deferred<Answer>();
    product.mockReturnValueOnce(pending.promise);
    const next = store().load('prd-mug');
    expect(store()).toMatchObject({ productId: 'prd-mug', status: 'loading', product: null, selected: {} });
    pending.resolve({ product: mug });
    await next;
    expect(store().product).toEqual(mug);
  });

  it('shows the message of any refusal, and the network message for anything else thrown', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await fc.assert(
        fc.asyncProperty(anyThrown, async (thrown) => {
          useProductStore.setState(useProductStore.getInitialState(), true);
          product.mockRejectedValueOnce(thrown);
          await store().load('prd-lotion');
          expect(store()).toMatchObject({ status: 'error', error: shownMessageOf(thrown), product: null });
        }),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('a product that does not exist keeps the refusal’s code (the page then offers no retry)', async () => {
    product.mockRejectedValueOnce(new CloudCallError('NOT_FOUND', '商品不存在'));
    await store().load('prd-gone');
    expect(store().failure).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('drops the late answer of an older load', async () => {
    const first = deferred<Answer>();
    product.mockReturnValueOnce(first.promise).mockResolvedValueOnce({ product: mug });
    const older = store().load('prd-lotion');
    await store().load('prd-mug');
    first.resolve({ product: lotion });
    await older;
    expect(store()).toMatchObject({ productId: 'prd-mug', product: mug });
  });
});
