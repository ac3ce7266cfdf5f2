import type { ProductDoc, SkuDoc } from '../../core/product/product';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, findByIds, insertOnce, MAX_PER_QUERY, updatedCount } from '../documents';

/**
 * `products` and `skus`. A SKU is its own document so that stock moves by one conditional update
 * on it (`stock: _.inc(n)`), never a read followed by a write, whatever the concurrency.
 */
const PRODUCTS = COLLECTIONS.products;
const SKUS = COLLECTIONS.skus;

export function findProduct(id: string): Promise<ProductDoc | null> {
  return findById<ProductDoc>(PRODUCTS, id);
}

/** True when this call created it (false: the `_id` exists). */
export function insertProduct(doc: ProductDoc): Promise<boolean> {
  return insertOnce(PRODUCTS, doc);
}

export function insertSku(doc: SkuDoc): Promise<boolean> {
  return insertOnce(SKUS, doc);
}

/** SKUs by id, whichever product they belong to (what a create checks before writing). */
export function findSkus(ids: readonly string[]): Promise<SkuDoc[]> {
  return findByIds<SkuDoc>(SKUS, ids);
}

/** The SKUs of these products. */
export async function findProductSkus(productIds: readonly string[]): Promise<SkuDoc[]> {
  const unique = [...new Set(productIds)];
  if (unique.length === 0) return [];
  const _ = database().command;
  const result = (await database()
    .collection(SKUS)
    .where({ productId: unique.length === 1 ? unique[0] : _.in(unique) })
    .limit(MAX_PER_QUERY)
    .get()) as unknown as { data: SkuDoc[] };
  return result.data;
}

/** Products, newest first, optionally of one campaign and/or shelf state. */
export async function listProducts(filter: { campaign?: string; onShelf?: boolean }, limit: number): Promise<ProductDoc[]> {
  const where: Record<string, unknown> = {};
  if (filter.campaign !== undefined) where.campaign = filter.campaign;
  if (filter.onShelf !== undefined) where.onShelf = filter.onShelf;
  const result = (await database()
    .collection(PRODUCTS)
    .where(where)
    .orderBy('createdAt', 'desc')
    .limit(Math.min(limit, MAX_PER_QUERY))
    .get()) as unknown as { data: ProductDoc[] };
  return result.data;
}

/**
 * Sets a SKU's price and/or adds stock, only on a SKU of `productId`: true when this call changed
 * it. The add is an increment on the server, so concurrent adds (and orders' reservations) all count.
 */
export async function changeSku(skuId: string, productId: string, change: { price?: number; addStock?: number }, now: Date) {
  const _ = database().command;
  const data: Record<string, unknown> = { updatedAt: now };
  if (change.price !== undefined) data.price = change.price;
  if (change.addStock !== undefined) {
    data.stock = _.inc(change.addStock);
    data.stockTotal = _.inc(change.addStock);
  }
  const result = await database().collection(SKUS).where({ _id: skuId, productId }).update({ data });
  return updatedCount(result) === 1;
}

/** Product fields an update sets (shelf state, the derived lowest price). */
export async function setProductFields(productId: string, fields: Partial<Pick<ProductDoc, 'onShelf' | 'priceFrom'>>, now: Date) {
  const result = await database()
    .collection(PRODUCTS)
    .where({ _id: productId })
    .update({ data: { ...fields, updatedAt: now } });
  return updatedCount(result) === 1;
}

export function findProducts(ids: readonly string[]): Promise<ProductDoc[]> {
  return findByIds<ProductDoc>(PRODUCTS, ids);
}

/** Takes `quantity` of a SKU if that many are left, in one conditional decrement: true when this call took them. */
export async function takeSkuStock(skuId: string, quantity: number, now: Date): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(SKUS)
    .where({ _id: skuId, stock: _.gte(quantity) })
    .update({ data: { stock: _.inc(-quantity), lastMoveAt: now, reconciled: false } });
  return updatedCount(result) === 1;
}

/** Gives units back (a released reservation): an increment, so concurrent takes and gives all count. */
export async function giveBackSkuStock(skuId: string, quantity: number, now: Date): Promise<void> {
  const _ = database().command;
  await database()
    .collection(SKUS)
    .where({ _id: skuId })
    .update({ data: { stock: _.inc(quantity), lastMoveAt: now, reconciled: false } });
}

/** SKUs whose stock moved since their last reconcile, quietest first. */
export async function findSkusToReconcile(limit: number): Promise<SkuDoc[]> {
  const result = (await database()
    .collection(SKUS)
    .where({ reconciled: false })
    .orderBy('lastMoveAt', 'asc')
    .limit(limit)
    .get()) as unknown as { data: SkuDoc[] };
  return result.data;
}

/**
 * Gives `units` stranded units back and marks the SKU reconciled, only if its stock did not move
 * since it was read (same `stock` and `lastMoveAt`): true when this call did.
 */
export async function settleSkuStock(seen: Pick<SkuDoc, '_id' | 'stock' | 'lastMoveAt'>, units: number, now: Date): Promise<boolean> {
  const _ = database().command;
  const data: Record<string, unknown> = { reconciled: true, reconciledAt: now };
  if (units > 0) data.stock = _.inc(units);
  const result = await database()
    .collection(SKUS)
    .where({ _id: seen._id, stock: seen.stock, lastMoveAt: seen.lastMoveAt, reconciled: false })
    .update({ data });
  return updatedCount(result) === 1;
}
