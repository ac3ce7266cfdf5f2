import { create } from 'zustand';
import type { ProductView, SkuView } from '../../core/contracts/shop';
import type { MAX_LINE_QUANTITY } from '../../core/order/price-order';
import { type Failure, toFailure } from '../services/errors';
import * as shopService from '../services/shop';
import type { LoadStatus } from './useMemberStore';

/**
 * The server's limit per SKU and order. Typed against core's constant so the two cannot drift, but
 * not imported as a value: that module would bring the coupon rules into the shop's package.
 */
export const MAX_QUANTITY: typeof MAX_LINE_QUANTITY = 99;
/** At or below this, the picker says how many are left (仅剩 3 件): scarcity worth knowing, not a stock count. */
export const LOW_STOCK = 10;

/** Spec name → the chosen value (颜色 → 樱粉). */
export type SpecSelection = Record<string, string>;

/** The SKU the selection names, once every spec has a value (a product without specs has its one SKU). */
export function selectedSku(product: ProductView, selected: SpecSelection): SkuView | null {
  if (product.specs.some((spec) => !selected[spec.name])) return null;
  return product.skus.find((sku) => product.specs.every((spec) => sku.specs[spec.name] === selected[spec.name])) ?? null;
}

/** The specs still without a value, in the operator's order: 请选择 颜色 尺码. */
export function missingSpecs(product: ProductView, selected: SpecSelection): string[] {
  return product.specs.filter((spec) => !selected[spec.name]).map((spec) => spec.name);
}

/**
 * Whether a value can still lead to a SKU in stock, given the other specs already chosen: a value
 * whose every combination is sold out (or does not exist) is shown disabled.
 */
export function isValueAvailable(product: ProductView, selected: SpecSelection, name: string, value: string): boolean {
  return product.skus.some(
    (sku) =>
      sku.stock > 0 &&
      sku.specs[name] === value &&
      product.specs.every((spec) => spec.name === name || !selected[spec.name] || sku.specs[spec.name] === selected[spec.name]),
  );
}

/** Lowest and highest SKU price (fen); a product with no SKUs shows its list price. */
export function priceRange(product: ProductView): { min: number; max: number } {
  if (product.skus.length === 0) return { min: product.priceFrom, max: product.priceFrom };
  const prices = product.skus.map((sku) => sku.price);
  return { min: Math.min(...prices), max: Math.max(...prices) };
}

export function maxQuantity(sku: SkuView | null): number {
  return sku ? Math.max(0, Math.min(sku.stock, MAX_QUANTITY)) : MAX_QUANTITY;
}

export function isSoldOut(product: ProductView): boolean {
  return product.skus.every((sku) => sku.stock <= 0);
}

/** Specs with a single value in stock need no tap: they start chosen. */
function initialSelection(product: ProductView, kept: SpecSelection): SpecSelection {
  const selected: SpecSelection = {};
  for (const spec of product.specs) {
    const keep = kept[spec.name];
    if (keep && spec.values.includes(keep)) selected[spec.name] = keep;
    else if (spec.values.length === 1) selected[spec.name] = spec.values[0];
  }
  // A kept choice that sold out meanwhile is dropped rather than offered: the last spec first, so
  // 200ml stays chosen when only 200ml 百合 ran out.
  for (const spec of [...product.specs].reverse()) {
    const value = selected[spec.name];
    if (value && !isValueAvailable(product, selected, spec.name, value)) delete selected[spec.name];
  }
  return selected;
}

function clamp(quantity: number, sku: SkuView | null): number {
  return Math.max(1, Math.min(Math.floor(quantity) || 1, maxQuantity(sku) || 1));
}

export interface ProductState {
  /** The product asked for last; the page shows `product` only when it is that one. */
  productId: string | null;
  status: LoadStatus;
  product: ProductView | null;
  error: string | null;
  failure: Failure | null;
  selected: SpecSelection;
  quantity: number;
  load(productId: string): Promise<void>;
  /** Chooses a value, or clears it when it is the one chosen; a value that cannot be bought is ignored. */
  select(name: string, value: string): void;
  setQuantity(quantity: number): void;
}

let latestLoad = 0;

export const useProductStore = create<ProductState>((set, get) => ({
  productId: null,
  status: 'idle',
  product: null,
  error: null,
  failure: null,
  selected: {},
  quantity: 1,
  async load(productId) {
    const ticket = ++latestLoad;
    const same = get().productId === productId && get().status === 'ready';
    // Another product's picture and price must never show, even for a moment, under this one.
    set(
      same
        ? { error: null, failure: null }
        : { productId, status: 'loading', product: null, error: null, failure: null, selected: {}, quantity: 1 },
    );
    try {
      const { product } = await shopService.product(productId);
      if (ticket !== latestLoad) return;
      // Back on the page (from checkout), the reader's choice stays if it can still be bought.
      const selected = initialSelection(product, same ? get().selected : {});
      set({ status: 'ready', product, selected, quantity: clamp(get().quantity, selectedSku(product, selected)) });
    } catch (error) {
      const failure = toFailure(error, 'shop.product');
      if (ticket !== latestLoad) return;
      if (same) set({ error: failure.message, failure });
      else set({ status: 'error', error: failure.message, failure });
    }
  },
  select(name, value) {
    const { product, selected, quantity } = get();
    if (!product) return;
    const next = { ...selected };
    if (selected[name] === value) delete next[name];
    else if (isValueAvailable(product, selected, name, value)) next[name] = value;
    else return;
    set({ selected: next, quantity: clamp(quantity, selectedSku(product, next)) });
  },
  setQuantity(quantity) {
    const { product, selected } = get();
    set({ quantity: clamp(quantity, product ? selectedSku(product, selected) : null) });
  },
}));
