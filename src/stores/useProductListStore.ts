import { create } from 'zustand';
import type { ProductCard } from '../../core/contracts/shop';
import { type Failure, toFailure } from '../services/errors';
import * as shopService from '../services/shop';
import type { LoadStatus } from './useMemberStore';

/** One product list as loaded: the whole shelf (key '') or a campaign's. */
export interface ProductList {
  status: LoadStatus;
  products: ProductCard[];
  error: string | null;
  failure: Failure | null;
}

export interface ProductListState {
  /** By list key (`listKey`): the storefront and the list page share the whole shelf's list. */
  lists: Record<string, ProductList>;
  load(campaign?: string): Promise<void>;
}

export function listKey(campaign?: string | null): string {
  return campaign ?? '';
}

export const EMPTY_LIST: ProductList = { status: 'idle', products: [], error: null, failure: null };

/** Bumped by every load of a list: an older load's late answer is dropped. */
const latestLoad = new Map<string, number>();

export const useProductListStore = create<ProductListState>((set, get) => {
  const patch = (key: string, change: Partial<ProductList>) =>
    set((state) => ({ lists: { ...state.lists, [key]: { ...(state.lists[key] ?? EMPTY_LIST), ...change } } }));
  return {
    lists: {},
    async load(campaign) {
      const key = listKey(campaign);
      const ticket = (latestLoad.get(key) ?? 0) + 1;
      latestLoad.set(key, ticket);
      // Coming back to the storefront refreshes prices and stock behind the cards already shown.
      const shown = get().lists[key]?.status === 'ready';
      patch(key, shown ? { error: null, failure: null } : { status: 'loading', error: null, failure: null });
      try {
        const { products } = await shopService.products(campaign);
        if (latestLoad.get(key) !== ticket) return;
        patch(key, { status: 'ready', products });
      } catch (error) {
        const failure = toFailure(error, 'shop.products');
        if (latestLoad.get(key) !== ticket) return;
        // A list already on screen stays; only a first load turns into the error state.
        patch(key, shown ? { error: failure.message, failure } : { status: 'error', error: failure.message, failure });
      }
    },
  };
});
