import {
  type LifecycleSegment,
  lifecycleBounds,
  PAID_ORDER_STATES,
  type Payer,
  type RfmCell,
  recencyDaysOf,
  rfmCellOf,
  type RfmTotals,
  rfmTotals,
  rfmWindowFrom,
  startOfShanghaiDay,
} from '../../core/funnel/segments';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { MAX_PER_QUERY } from '../documents';

/**
 * What segments read (rules: core/funnel/segments.ts; the operations: segments.ts): lifecycle
 * segments as queries built from the rule's bounds, payers' figures summed by aggregates, the map of
 * merged-away members.
 */
const MEMBERS = COLLECTIONS.members;
const ORDERS = COLLECTIONS.orders;
/** Rows one aggregate answers at most (CloudBase: 20 unless told, up to 10,000). */
export const AGGREGATE_ROWS = 10_000;
const MAX_MERGE_HOPS = 8;
/** A grant or broadcast freezes its segment in its cursor document: at most this many members. */
export const MAX_SEGMENT_AUDIENCE = 50_000;

export interface OrderStats {
  orders: number;
  fen: number;
  lastPaidAt: Date;
}

export interface ListedMember {
  _id: string;
  nickname?: string;
  createdAt: Date;
  loginDay?: string;
}

export async function countLifecycle(segment: LifecycleSegment, today: string): Promise<number> {
  const counted = (await database()
    .collection(MEMBERS)
    .where(lifecycleWhere(segment, today, ''))
    .count()) as { total: number };
  return counted.total;
}

/**
 * The query of a lifecycle segment (members not merged away, `_id` after `after`), from the rule's
 * bounds: last active = `loginDay`, or the day of `createdAt` for a member with no `loginDay`.
 */
export function lifecycleWhere(segment: LifecycleSegment, today: string, after: string): any {
  const _ = database().command;
  const bounds = lifecycleBounds(today);
  const base: Record<string, unknown> = { mergedInto: _.exists(false) };
  if (after) base._id = _.gt(after);
  if (segment === 'new') return { ...base, createdAt: _.gte(startOfShanghaiDay(bounds.newFrom)) };
  // Last active in [from, to): open at either end.
  const [from, to] =
    segment === 'active'
      ? [bounds.activeFrom, null]
      : segment === 'dormant'
        ? [bounds.dormantFrom, bounds.activeFrom]
        : [null, bounds.dormantFrom];
  const range = (lo: unknown, hi: unknown) =>
    lo !== null && hi !== null ? _.and(_.gte(lo), _.lt(hi)) : lo !== null ? _.gte(lo) : _.lt(hi);
  return _.or([
    { ...base, loginDay: range(from, to) },
    {
      ...base,
      loginDay: _.exists(false),
      createdAt: range(from && startOfShanghaiDay(from), to && startOfShanghaiDay(to)),
    },
  ]);
}

export async function lifecyclePage(
  segment: LifecycleSegment,
  today: string,
  after: string,
  limit: number,
  fields: Record<string, 1>,
): Promise<ListedMember[]> {
  const result = (await database()
    .collection(MEMBERS)
    .aggregate()
    .match(lifecycleWhere(segment, today, after))
    .sort({ _id: 1 })
    .limit(limit)
    .project(fields)
    .end()) as unknown as { list: ListedMember[] };
  return result.list;
}

export async function membersByIds(ids: string[]): Promise<ListedMember[]> {
  if (ids.length === 0) return [];
  const _ = database().command;
  const result = (await database()
    .collection(MEMBERS)
    .where({ _id: _.in(ids), mergedInto: _.exists(false) })
    .field({ _id: true, nickname: true, createdAt: true, loginDay: true })
    .limit(ids.length)
    .get()) as unknown as { data: ListedMember[] };
  return result.data;
}

/** Every merged-away member → the member it was merged into (merges are few: pages of 1,000). */
export async function mergedAway(): Promise<Map<string, string>> {
  const _ = database().command;
  const merged = new Map<string, string>();
  for (let after = ''; ; ) {
    const where: Record<string, unknown> = { mergedInto: _.exists(true) };
    if (after) where._id = _.gt(after);
    const page = (
      (await database()
        .collection(MEMBERS)
        .where(where)
        .orderBy('_id', 'asc')
        .field({ _id: true, mergedInto: true })
        .limit(MAX_PER_QUERY)
        .get()) as unknown as { data: Array<{ _id: string; mergedInto: string }> }
    ).data;
    for (const member of page) merged.set(member._id, member.mergedInto);
    if (page.length < MAX_PER_QUERY) return merged;
    after = page[page.length - 1]._id;
  }
}

export function finalId(memberId: string, merged: Map<string, string>): string {
  let id = memberId;
  for (let hops = 0; hops < MAX_MERGE_HOPS; hops += 1) {
    const next = merged.get(id);
    if (!next) return id;
    id = next;
  }
  return id;
}

/**
 * Paid-order figures per member over the RFM window, summed in the database (one aggregate per
 * 10,000 members), of `memberIds` or of everyone; a merged-away member's rows are added to the
 * member it became. Counted: orders in a paid state (paid, shipped, completed), paid on or after the
 * window's first day, for what is left after refunds when that is more than 0 (core `netPaidFen`).
 */
export async function paidStats(today: string, merged: Map<string, string>, memberIds?: string[]): Promise<Map<string, OrderStats>> {
  const _ = database().command;
  const $ = _.aggregate;
  const stats = new Map<string, OrderStats>();
  if (memberIds && memberIds.length === 0) return stats;
  const match: Record<string, unknown> = {
    state: _.in([...PAID_ORDER_STATES]),
    paidAt: _.gte(startOfShanghaiDay(rfmWindowFrom(today))),
  };
  if (memberIds) match.memberId = _.in(memberIds);
  for (let after = ''; ; ) {
    const rows = (
      (await database()
        .collection(ORDERS)
        .aggregate()
        .match(match)
        .project({ memberId: 1, paidAt: 1, net: $.subtract(['$payable', $.ifNull(['$refunded', 0])]) })
        .match({ net: _.gt(0) })
        .group({ _id: '$memberId', orders: $.sum(1), fen: $.sum('$net'), lastPaidAt: $.max('$paidAt') })
        .match({ _id: _.gt(after) })
        .sort({ _id: 1 })
        .limit(AGGREGATE_ROWS)
        .end()) as unknown as { list: Array<{ _id: string } & OrderStats> }
    ).list;
    for (const row of rows) {
      const id = finalId(row._id, merged);
      const had = stats.get(id);
      stats.set(
        id,
        had
          ? {
              orders: had.orders + row.orders,
              fen: had.fen + row.fen,
              lastPaidAt: new Date(Math.max(new Date(had.lastPaidAt).getTime(), new Date(row.lastPaidAt).getTime())),
            }
          : { orders: row.orders, fen: row.fen, lastPaidAt: new Date(row.lastPaidAt) },
      );
    }
    if (rows.length < AGGREGATE_ROWS) return stats;
    after = rows[rows.length - 1]._id;
  }
}

/** Every payer of the window with their figures and cell, in member id order, and the sums the cells were cut at. */
export async function rfmPayers(
  today: string,
): Promise<{ totals: RfmTotals; payers: Array<{ memberId: string; payer: Payer; stats: OrderStats; cell: RfmCell }> }> {
  const stats = await paidStats(today, await mergedAway());
  const listed = [...stats.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([memberId, figures]) => ({
      memberId,
      stats: figures,
      payer: { recencyDays: recencyDaysOf(figures.lastPaidAt, today), orders: figures.orders, fen: figures.fen },
    }));
  const totals = rfmTotals(listed.map((p) => p.payer));
  return { totals, payers: listed.map((p) => ({ ...p, cell: rfmCellOf(p.payer, totals) })) };
}
