import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as shopService from '../services/shop';
import { productCard } from './order-fixtures';
import { anyThrown, deferred, shownMessageOf } from './test-support';
import { listKey, useProductListStore } from './useProductListStore';

vi.mock('../services/shop', () => ({ products: vi.fn() }));

const products = vi.mocked(shopService.products);
type Answer = Awaited<ReturnType<typeof shopService.products>>;

const tea = productCard();
const mug = productCard({ productId: 'prd-mug', name: '樱花陶瓷马克杯', priceFrom: 4900 });
const store = () => useProductListStore.getState();
const shown = (campaign?: string) => store().lists[listKey(campaign)];

beforeEach(() => {
  products.mockReset();
  useProductListStore.setState(useProductListStore.getInitialState(), true);
});

describe('useProductListStore', () => {
  it('goes loading, then ready with the products', async () => {
    const pending = deferred<Answer>();
    products.mockReturnValueOnce(pending.promise);
    const done = store().load();
    expect(products).toHaveBeenCalledWith(undefined);
    expect(shown()).toMatchObject({ status: 'loading', products: [] });
    pending.resolve({ products: [tea, mug] });
    await done;
    expect(shown()).toMatchObject({ status: 'ready', products: [tea, mug], error: null });
  });

  it('keeps the whole shelf and a campaign’s products apart', async () => {
    products.mockResolvedValueOnce({ products: [tea, mug] }).mockResolvedValueOnce({ products: [mug] });
    await store().load();
    await store().load('cmp-spring');
    expect(products).toHaveBeenLastCalledWith('cmp-spring');
    expect(shown()?.products).toEqual([tea, mug]);
    expect(shown('cmp-spring')?.products).toEqual([mug]);
  });

  it('a refresh keeps the cards on screen, and a failed refresh does not blank them', async () => {
    products.mockResolvedValueOnce({ products: [tea] });
    await store().load();
    const pending = deferred<Answer>();
    products.mockReturnValueOnce(pending.promise);
    const refresh = store().load();
    expect(shown()).toMatchObject({ status: 'ready', products: [tea] });
    pending.reject(new Error('offline'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await refresh;
    warn.mockRestore();
    expect(shown()).toMatchObject({ status: 'ready', products: [tea] });
  });

  it('shows the message of any refusal, and the network message for anything else thrown', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await fc.assert(
        fc.asyncProperty(anyThrown, async (thrown) => {
          useProductListStore.setState(useProductListStore.getInitialState(), true);
          products.mockRejectedValueOnce(thrown);
          await store().load();
          expect(shown()).toMatchObject({ status: 'error', error: shownMessageOf(thrown), products: [] });
        }),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('drops the late answer of an older load', async () => {
    const first = deferred<Answer>();
    products.mockReturnValueOnce(first.promise).mockResolvedValueOnce({ products: [mug] });
    const older = store().load();
    await store().load();
    first.resolve({ products: [tea] });
    await older;
    expect(shown()?.products).toEqual([mug]);
  });
});
