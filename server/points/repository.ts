import { addLots, spendPoints } from '../../core/points/account';
import type { ExchangeState, MallItem } from '../../core/points/mall';
import { MALL_STATE_MESSAGES } from '../../core/points/mall';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, findByIds, insertOnce, MAX_PER_QUERY, updatedCount } from '../documents';
import { txFind } from '../transaction';
import { type Posted, postEntry } from '../ledger/repository';

const ITEMS = COLLECTIONS.mallItems;
const EXCHANGES = COLLECTIONS.exchanges;
const LIMITS = COLLECTIONS.mallLimits;

export interface MallItemDoc extends MallItem {
  _id: string;
  stockLeft: number;
  imageFileId: string | null;
  /** One line under the title, written when the item is made (the coupon's terms, 包邮到家 …). */
  subtitle: string;
  /** Product items: the SKU's own price (fen), shown struck through. */
  originalPrice: number | null;
  /** The last time a unit was taken: the reconcile waits until it is quiet. */
  lastTakeAt?: Date;
  reconciledAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One exchange, `_id` from the member and the app's requestId (a retry finds it). Flags say what
 * it holds: `stockTaken` (a unit of the item), `pointsTaken` (the points, with the ledger entry
 * `exchange:<id>` and the member's limit count, in one transaction), `stockReturned`.
 */
export interface ExchangeDoc {
  _id: string;
  memberId: string;
  requestId: string;
  itemId: string;
  kind: MallItem['kind'];
  title: string;
  imageFileId: string | null;
  points: number;
  cash: number;
  state: ExchangeState;
  reason?: string;
  stockTaken: boolean;
  pointsTaken: boolean;
  stockReturned?: boolean;
  couponId: string | null;
  /** Product items: the order's id, fixed before it is placed (a sweep can look for it). */
  orderId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export function findItem(id: string): Promise<MallItemDoc | null> {
  return findById<MallItemDoc>(ITEMS, id);
}

export async function listItems(limit = 100): Promise<MallItemDoc[]> {
  const result = (await database().collection(ITEMS).orderBy('createdAt', 'desc').limit(limit).get()) as unknown as { data: MallItemDoc[] };
  return result.data;
}

export function insertItem(doc: MallItemDoc): Promise<boolean> {
  return insertOnce(ITEMS, doc);
}

export async function updateItem(id: string, fields: (command: any) => Record<string, unknown>): Promise<void> {
  await database()
    .collection(ITEMS)
    .doc(id)
    .update({ data: fields(database().command) });
}

/** One unit with a conditional decrement: false when none is left. */
export async function takeItemStock(id: string, now: Date): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(ITEMS)
    .where({ _id: id, stockLeft: _.gte(1) })
    .update({ data: { stockLeft: _.inc(-1), lastTakeAt: now } });
  return updatedCount(result) === 1;
}

export async function giveBackItemStock(id: string): Promise<void> {
  await database()
    .collection(ITEMS)
    .doc(id)
    .update({ data: { stockLeft: database().command.inc(1) } });
}

export function insertExchange(doc: ExchangeDoc): Promise<boolean> {
  return insertOnce(EXCHANGES, doc);
}

export function findExchange(id: string): Promise<ExchangeDoc | null> {
  return findById<ExchangeDoc>(EXCHANGES, id);
}

export function findExchanges(ids: string[]): Promise<ExchangeDoc[]> {
  return findByIds<ExchangeDoc>(EXCHANGES, ids);
}

/** A conditional update: true when the exchange matched `where` (its current state and flags). */
export async function updateExchange(id: string, where: Record<string, unknown>, fields: Record<string, unknown>): Promise<boolean> {
  const result = await database()
    .collection(EXCHANGES)
    .where({ _id: id, ...where })
    .update({ data: fields });
  return updatedCount(result) === 1;
}

export async function listMemberExchanges(memberId: string, limit = 50): Promise<ExchangeDoc[]> {
  const result = (await database()
    .collection(EXCHANGES)
    .where({ memberId })
    .orderBy('createdAt', 'desc')
    .limit(limit)
    .get()) as unknown as {
    data: ExchangeDoc[];
  };
  return result.data;
}

/** Exchanges in `states` last changed before `before`, oldest first (the sweep's work). */
export async function findExchangesToSettle(states: ExchangeState[], before: Date, limit: number): Promise<ExchangeDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(EXCHANGES)
    .where({ state: _.in(states), updatedAt: _.lt(before) })
    .orderBy('updatedAt', 'asc')
    .limit(limit)
    .get()) as unknown as { data: ExchangeDoc[] };
  return result.data;
}

/** Exchanges of an item that hold a unit of its stock (taken, not given back). */
export async function countStockHolders(itemId: string): Promise<number> {
  const result = (await database()
    .collection(EXCHANGES)
    .where({ itemId, stockTaken: true, stockReturned: database().command.neq(true) })
    .count()) as {
    total: number;
  };
  return result.total;
}

/** Exchanges of items by state, for the console. */
export async function countExchangesByState(itemIds: string[]): Promise<Map<string, Record<string, number>>> {
  const counts = new Map<string, Record<string, number>>(itemIds.map((id) => [id, {}]));
  if (itemIds.length === 0) return counts;
  const db = database();
  const result = (await db
    .collection(EXCHANGES)
    .aggregate()
    .match({ itemId: db.command.in(itemIds) })
    .group({ _id: { itemId: '$itemId', state: '$state' }, count: db.command.aggregate.sum(1) })
    .limit(MAX_PER_QUERY)
    .end()) as { list: Array<{ _id: { itemId: string; state: string }; count: number }> };
  for (const row of result.list) {
    const byState = counts.get(row._id.itemId);
    if (byState) byState[row._id.state] = row.count;
  }
  return counts;
}

/** How many of an item the member has exchanged (counted against the per-member limit). */
export async function countMine(itemId: string, memberId: string): Promise<number> {
  const doc = await findById<{ count: number }>(LIMITS, limitId(itemId, memberId));
  return Number(doc?.count ?? 0);
}

export async function countMineOf(itemIds: string[], memberId: string): Promise<Map<string, number>> {
  const docs = await findByIds<{ _id: string; count: number }>(
    LIMITS,
    itemIds.map((id) => limitId(id, memberId)),
  );
  const byId = new Map(docs.map((doc) => [doc._id, Number(doc.count ?? 0)]));
  return new Map(itemIds.map((id) => [id, byId.get(limitId(id, memberId)) ?? 0]));
}

function limitId(itemId: string, memberId: string): string {
  return `mlim:${itemId}:${memberId}`;
}

/**
 * Takes an exchange's points in one transaction with what depends on them: the ledger entry
 * (`exchange:<id>`), the member's count against the item's limit, and `pointsTaken` on the
 * exchange (only while it is `pending`: a sweep that gave up on it first wins). Refuses, writing
 * nothing, when the balance or the limit is short.
 */
export function spendForExchange(exchange: ExchangeDoc, perMemberLimit: number, now: Date): Promise<Posted> {
  return postEntry(
    exchange.memberId,
    `exchange:${exchange._id}`,
    { source: 'exchange', title: `兑换 ${exchange.title}`, now },
    (view) => {
      const spent = spendPoints(view.account, exchange.points);
      if (!spent) return { refused: 'insufficient_points', message: MALL_STATE_MESSAGES.insufficient_points };
      return {
        delta: -exchange.points,
        account: spent.account,
        entry: { lots: spent.consumed, ref: { exchangeId: exchange._id, itemId: exchange.itemId } },
      };
    },
    async (tx) => {
      const current = await txFind<ExchangeDoc>(tx, EXCHANGES, exchange._id);
      if (current?.state !== 'pending' || current.pointsTaken)
        return { refused: 'exchange_moved', message: '兑换已结束，请刷新后重试', code: 'CONFLICT' };
      const limit = await txFind<{ count: number }>(tx, LIMITS, limitId(exchange.itemId, exchange.memberId));
      const count = Number(limit?.count ?? 0);
      if (count >= perMemberLimit)
        return { refused: 'limit_reached', message: MALL_STATE_MESSAGES.limit_reached, code: 'RESOURCE_EXHAUSTED' };
      await tx
        .collection(LIMITS)
        .doc(limitId(exchange.itemId, exchange.memberId))
        .set({ data: { itemId: exchange.itemId, memberId: exchange.memberId, count: count + 1 } });
      await tx
        .collection(EXCHANGES)
        .doc(exchange._id)
        .update({ data: { pointsTaken: true, updatedAt: now } });
      return null;
    },
  );
}

/**
 * Gives an exchange's points back (`exchange_return:<id>`), with the expiries the spent lots had,
 * in one transaction with the member's limit count and the exchange's move to `to`. Once: a second
 * call finds the entry. Answers whether this call gave them back.
 */
export async function returnExchangePoints(exchange: ExchangeDoc, to: ExchangeState, reason: string, now: Date): Promise<boolean> {
  const spent = await findById<{ lots?: Array<{ expiresAt: Date | null; left: number }> }>(
    COLLECTIONS.pointsLedger,
    `ledger:exchange:${exchange._id}`,
  );
  if (!spent) return false;
  const posted = await postEntry(
    exchange.memberId,
    `exchange_return:${exchange._id}`,
    { source: 'exchange_return', title: `兑换退回 ${exchange.title}`, now },
    (view) => ({
      delta: exchange.points,
      account: addLots(view.account, spent.lots?.length ? spent.lots : [{ expiresAt: null, left: exchange.points }]),
      entry: { lots: spent.lots ?? [], ref: { exchangeId: exchange._id, itemId: exchange.itemId } },
    }),
    async (tx) => {
      const limit = await txFind<{ count: number }>(tx, LIMITS, limitId(exchange.itemId, exchange.memberId));
      if (limit && limit.count > 0) {
        await tx
          .collection(LIMITS)
          .doc(limitId(exchange.itemId, exchange.memberId))
          .update({ data: { count: limit.count - 1 } });
      }
      await tx
        .collection(EXCHANGES)
        .doc(exchange._id)
        .update({ data: { state: to, reason, updatedAt: now } });
      return null;
    },
  );
  return !posted.repeated;
}

/** Items whose stock moved since their last reconcile and has been quiet since `quietBefore`. */
export async function findItemsToReconcile(quietBefore: Date, limit: number): Promise<MallItemDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(ITEMS)
    .where({ lastTakeAt: _.lt(quietBefore) })
    .limit(limit)
    .get()) as unknown as { data: MallItemDoc[] };
  return result.data.filter(
    (item) => !item.reconciledAt || new Date(item.reconciledAt).getTime() < new Date(item.lastTakeAt as Date).getTime(),
  );
}

/** Sets the stock left with a compare-and-set on the value counted against: false when it moved meanwhile. */
export async function settleItemStock(item: MallItemDoc, units: number, now: Date): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(ITEMS)
    .where({ _id: item._id, stockLeft: item.stockLeft, lastTakeAt: item.lastTakeAt })
    .update({ data: { stockLeft: _.inc(units), reconciledAt: now } });
  return updatedCount(result) === 1;
}
