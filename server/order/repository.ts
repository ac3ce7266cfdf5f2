import type { OrderState } from '../../core/order/transitions';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, insertOnce } from '../documents';

/**
 * `orders`, `skus` (stock), `products` (read) and `stock_reservations`. Stock is taken with one
 * conditional decrement; each line an order holds is a reservation document whose state flips once
 * (held → confirmed | released), so a release gives stock back once however often it runs.
 */
const ORDERS = COLLECTIONS.orders;
const SKUS = COLLECTIONS.skus;
const PRODUCTS = COLLECTIONS.products;
const RESERVATIONS = COLLECTIONS.stockReservations;

export interface SkuDoc {
  _id: string;
  productId: string;
  specs: Record<string, string>;
  price: number;
  stock: number;
}

export interface ProductDoc {
  _id: string;
  name: string;
  onShelf: boolean;
}

export interface ReservationDoc {
  _id: string;
  orderId: string;
  skuId: string;
  quantity: number;
  state: 'held' | 'confirmed' | 'released';
  createdAt: Date;
}

export interface OrderDoc {
  _id: string;
  memberId: string;
  requestId: string;
  state: OrderState;
  lines: Array<{
    skuId: string;
    productId: string;
    name: string;
    specs: Record<string, string>;
    unitPrice: number;
    quantity: number;
    lineTotal: number;
    discount: number;
    payable: number;
  }>;
  subtotal: number;
  discount: number;
  payable: number;
  couponId: string | null;
  address: { name: string; phone: string; region: string; detail: string };
  createdAt: Date;
  payBy: Date;
  paidAt?: Date;
  cancelledAt?: Date;
  cancelReason?: string;
  prepayId?: string;
  payment?: Record<string, string>;
  transactionId?: string;
}

function updated(result: unknown): number {
  return Number((result as { stats?: { updated?: number } }).stats?.updated ?? 0);
}

async function byIds<T>(collection: string, ids: readonly string[]): Promise<T[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const _ = database().command;
  const result = (await database()
    .collection(collection)
    .where({ _id: _.in(unique) })
    .limit(unique.length)
    .get()) as unknown as { data: T[] };
  return result.data;
}

export function findSkus(ids: readonly string[]): Promise<SkuDoc[]> {
  return byIds<SkuDoc>(SKUS, ids);
}

export function findProducts(ids: readonly string[]): Promise<ProductDoc[]> {
  return byIds<ProductDoc>(PRODUCTS, ids);
}

/** Takes `quantity` of a SKU if that many are left: true when this call took them. */
export async function takeSkuStock(skuId: string, quantity: number, now: Date): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(SKUS)
    .where({ _id: skuId, stock: _.gte(quantity) })
    .update({ data: { stock: _.inc(-quantity), lastTakeAt: now } });
  return updated(result) === 1;
}

export async function giveBackSkuStock(skuId: string, quantity: number): Promise<void> {
  const _ = database().command;
  await database()
    .collection(SKUS)
    .where({ _id: skuId })
    .update({ data: { stock: _.inc(quantity) } });
}

export function insertReservation(doc: ReservationDoc): Promise<boolean> {
  return insertOnce(RESERVATIONS, doc);
}

export async function findReservations(orderId: string): Promise<ReservationDoc[]> {
  const result = (await database().collection(RESERVATIONS).where({ orderId }).limit(100).get()) as unknown as { data: ReservationDoc[] };
  return result.data;
}

/** held → `to`, once: true when this call flipped it (a release gives the stock back only then). */
export async function flipReservation(id: string, to: 'confirmed' | 'released', now: Date): Promise<boolean> {
  const result = await database()
    .collection(RESERVATIONS)
    .where({ _id: id, state: 'held' })
    .update({ data: { state: to, settledAt: now } });
  return updated(result) === 1;
}

export function insertOrder(doc: OrderDoc): Promise<boolean> {
  return insertOnce(ORDERS, doc);
}

export function findOrder(id: string): Promise<OrderDoc | null> {
  return findById<OrderDoc>(ORDERS, id);
}

/** Moves an order from one of `from` to `to` with `fields`: true when this call moved it. */
export async function moveOrder(id: string, from: readonly OrderState[], to: OrderState, fields: Record<string, unknown>): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(ORDERS)
    .where({ _id: id, state: from.length === 1 ? from[0] : _.in([...from]) })
    .update({ data: { ...fields, state: to } });
  return updated(result) === 1;
}

export async function updateOrder(id: string, fields: Record<string, unknown>): Promise<void> {
  await database().collection(ORDERS).doc(id).update({ data: fields });
}

/** A member's orders, newest first (at most 100), optionally in one state. */
export async function listMemberOrders(memberId: string, state?: OrderState): Promise<OrderDoc[]> {
  const where: Record<string, unknown> = { memberId };
  if (state) where.state = state;
  const result = (await database().collection(ORDERS).where(where).orderBy('createdAt', 'desc').limit(100).get()) as unknown as {
    data: OrderDoc[];
  };
  return result.data;
}

/** Orders in `state` whose payment window ended before `before` (the scheduler cancels them). */
export async function findOverdueOrders(state: OrderState, before: Date, limit: number): Promise<OrderDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(ORDERS)
    .where({ state, payBy: _.lt(before) })
    .limit(limit)
    .get()) as unknown as { data: OrderDoc[] };
  return result.data;
}
