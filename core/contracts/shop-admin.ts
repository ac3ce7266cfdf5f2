import * as z from 'zod/mini';
import { MAX_PRICE_FEN, MAX_SKUS, MAX_STOCK } from '../product/product';
import { defineContract } from '../contract';

/**
 * The `shopAdmin` function's console jobs: products and their SKUs. A function of its own (not
 * `admin`'s) so each console bundle stays within the 150 KB budget; `npm run admin -- <job>` finds
 * the function by the job's name.
 */

const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const Count = z.int();

export const SkuRow = z.object({
  id: z.string(),
  specs: z.record(z.string(), z.string()),
  /** Fen. */
  price: Count,
  stock: Count,
});

/** A product as operators see it: its SKUs with their stock, and the total. */
export const ProductRow = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  images: z.array(z.string()),
  onShelf: z.boolean(),
  campaign: z.nullable(z.string()),
  /** The lowest SKU price (fen): what lists show. */
  priceFrom: Count,
  totalStock: Count,
  skus: z.array(SkuRow),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const shopAdminContract = defineContract('shopAdmin', {
  createProduct: {
    input: z.strictObject({
      /** Optional: generated when absent. The same id with the same product again changes nothing. */
      id: z.optional(Id),
      /** The campaign whose page lists it; absent: the storefront's. */
      campaign: z.optional(Id),
      /** name, description, images (cloud file ids), onShelf, skus [{ id, specs, price, stock }] (see docs/admin-jobs.md). */
      product: z.record(z.string(), z.unknown()),
    }),
    output: z.object({ product: ProductRow, created: z.boolean() }),
  },
  updateProduct: {
    input: z.strictObject({
      productId: Id,
      /** Put on (true) or take off (false) the shelf. */
      onShelf: z.optional(z.boolean()),
      /** Per SKU: a new price (fen) and/or units added to its stock. */
      skus: z.optional(
        z
          .array(
            z.strictObject({
              skuId: Id,
              price: z.optional(z.int().check(z.gte(1), z.lte(MAX_PRICE_FEN))),
              addStock: z.optional(z.int().check(z.gte(1), z.lte(MAX_STOCK))),
            }),
          )
          .check(z.maxLength(MAX_SKUS)),
      ),
    }),
    output: z.object({ product: ProductRow }),
  },
  listProducts: {
    input: z.strictObject({ campaign: z.optional(Id), onShelf: z.optional(z.boolean()) }),
    output: z.object({ products: z.array(ProductRow) }),
  },
});

export type ShopAdminContract = typeof shopAdminContract;
