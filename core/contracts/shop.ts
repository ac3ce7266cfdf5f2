import * as z from 'zod/mini';
import { defineContract } from '../contract';

const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));

/** A product in a list: what a storefront card shows. Prices in fen. */
export const ProductCard = z.object({
  productId: z.string(),
  name: z.string(),
  /** The first image as an https URL the app can load (null when the product has none). */
  imageUrl: z.nullable(z.string()),
  priceFrom: z.int(),
  /** The highest SKU price: equal to `priceFrom` when every SKU costs the same (then no 起). */
  priceTo: z.int(),
  soldOut: z.boolean(),
});
export type ProductCard = z.infer<typeof ProductCard>;

export const SkuView = z.object({
  skuId: z.string(),
  specs: z.record(z.string(), z.string()),
  price: z.int(),
  /** Live stock; 0 is 已售罄. */
  stock: z.int(),
});
export type SkuView = z.infer<typeof SkuView>;

export const ProductView = z.object({
  productId: z.string(),
  name: z.string(),
  description: z.string(),
  imageUrls: z.array(z.string()),
  onShelf: z.boolean(),
  priceFrom: z.int(),
  /** Spec names in the operator's order (颜色, 尺码) and each one's values in order of first appearance. */
  specs: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
  skus: z.array(SkuView),
});
export type ProductView = z.infer<typeof ProductView>;

/** The app's catalogue: products on the shelf, read from the database (prices and stock are live). */
export const shopContract = defineContract('shop', {
  /** On-shelf products, newest first; of one campaign when named. */
  products: {
    input: z.strictObject({ campaign: z.optional(Id) }),
    output: z.object({ products: z.array(ProductCard) }),
  },
  /** One product with its SKUs; an off-shelf product answers with `onShelf: false` (a shared link still opens). */
  product: {
    input: z.strictObject({ productId: Id }),
    output: z.object({ product: ProductView }),
  },
});
export type ShopContract = typeof shopContract;
