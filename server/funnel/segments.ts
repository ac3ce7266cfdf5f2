import type { OutputOf, ParsedInputOf } from '../../core/contract';
import type { FunnelAdminContract } from '../../core/contracts/funnel-admin';
import { DuetError } from '../../core/errors';
import {
  isLifecycleSegment,
  LIFECYCLE_SEGMENTS,
  type LifecycleSegment,
  lastActiveDayOf,
  lifecycleBounds,
  PAID_ORDER_STATES,
  type Payer,
  RFM_CELLS,
  type RfmCell,
  recencyDaysOf,
  rfmAverages,
  rfmCellOf,
  type RfmTotals,
  rfmTotals,
  rfmWindowFrom,
  SEGMENT_LABELS,
  type Segment,
  startOfShanghaiDay,
} from '../../core/funnel/segments';
import { displayNickname } from '../../core/member/member';
import { shanghaiDay } from '../../core/points/rules';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { MAX_PER_QUERY } from '../documents';

/**
 * Segments over `members` and `orders` (rules: core/funnel/segments.ts). Lifecycle segments are
 * database queries built from the rule's bounds (counted, or listed by `_id`); RFM cells need every
 * payer's figures, which one aggregate per 10,000 payers sums in the database. Members merged away
 * (`mergedInto`) are never listed, and their stray orders count for the member they became.
 * Requests: `countSegments` 4 counts + 1 per 1,000 merged-away members + 1 per 10,000 payers (6 for a
 * brand under those numbers); a page of `segmentMembers` 3 for a lifecycle segment (merged map, the
 * page, its members' orders) and 2 + 1 per 10,000 payers for an RFM cell; `segmentMemberIds` 1 per
 * 10,000 members of a lifecycle segment, 1 + 1 per 10,000 payers for a cell.
 */
const MEMBERS = COLLECTIONS.members;
const ORDERS = COLLECTIONS.orders;
/** Rows one aggregate answers at most (CloudBase: 20 unless told, up to 10,000). */
const AGGREGATE_ROWS = 10_000;
const DEFAULT_PAGE = 100;
const MAX_MERGE_HOPS = 8;
/** A grant or broadcast freezes its segment in its cursor document: at most this many members. */
export const MAX_SEGMENT_AUDIENCE = 50_000;

interface OrderStats {
  orders: number;
  fen: number;
  lastPaidAt: Date;
}

interface ListedMember {
  _id: string;
  nickname?: string;
  createdAt: Date;
  loginDay?: string;
}

type SegmentMembers = OutputOf<FunnelAdminContract, 'segmentMembers'>;

export async function countSegments(now: Date): Promise<OutputOf<FunnelAdminContract, 'segments'>> {
  const today = shanghaiDay(now);
  const lifecycle = await Promise.all(
    LIFECYCLE_SEGMENTS.map(async (segment) => {
      const counted = (await database()
        .collection(MEMBERS)
        .where(lifecycleWhere(segment, today, ''))
        .count()) as { total: number };
      return counted.total;
    }),
  );
  const { payers, totals } = await rfmPayers(today);
  const cells = new Map<RfmCell, number>();
  for (const payer of payers) cells.set(payer.cell, (cells.get(payer.cell) ?? 0) + 1);
  return {
    at: now.toISOString(),
    segments: [
      ...LIFECYCLE_SEGMENTS.map((segment, i) => ({ segment, label: SEGMENT_LABELS[segment], members: lifecycle[i] })),
      ...RFM_CELLS.map((segment) => ({ segment, label: SEGMENT_LABELS[segment], members: cells.get(segment) ?? 0 })),
    ],
    rfm: rfmAverages(totals),
  };
}

/**
 * One page of a segment's members in `_id` order after `cursor` (the last id of the page before):
 * each member comes once however the pages are cut. `cursor` is null after the last page (a full
 * page answers a cursor, and the page after it may be empty). A member who enters or leaves the
 * segment between pages is listed or not by where the pages are then.
 */
export async function listSegmentMembers(input: ParsedInputOf<FunnelAdminContract, 'segmentMembers'>, now: Date): Promise<SegmentMembers> {
  const today = shanghaiDay(now);
  const limit = input.limit ?? DEFAULT_PAGE;
  const after = input.cursor ?? '';
  if (isLifecycleSegment(input.segment)) {
    const merged = await mergedAway();
    const page = await lifecyclePage(input.segment, today, after, limit, { _id: 1, nickname: 1, createdAt: 1, loginDay: 1 });
    const ids = new Set(page.map((m) => m._id));
    const strays = [...merged.keys()].filter((id) => ids.has(finalId(id, merged)));
    const stats = await paidStats(today, merged, [...ids, ...strays]);
    return {
      segment: input.segment,
      members: page.map((member) => memberRow(member, stats.get(member._id))),
      cursor: page.length === limit ? (page.at(-1)?._id ?? null) : null,
    };
  }
  const cell = input.segment;
  const { payers } = await rfmPayers(today);
  const inCell = payers.filter((p) => p.cell === cell && p.memberId > after);
  const pageIds = inCell.slice(0, limit).map((p) => p.memberId);
  const docs = new Map((await membersByIds(pageIds)).map((m) => [m._id, m]));
  const byId = new Map(payers.map((p) => [p.memberId, p.stats]));
  return {
    segment: cell,
    members: pageIds.flatMap((id) => {
      const member = docs.get(id);
      return member ? [memberRow(member, byId.get(id))] : [];
    }),
    cursor: inCell.length > limit ? (pageIds.at(-1) ?? null) : null,
  };
}

/**
 * Every member of a segment now, in `_id` order: the audience a grant or a broadcast freezes on its
 * first run. More than `max` members is refused (the list lives in one cursor document).
 */
export async function segmentMemberIds(segment: Segment, now: Date, max = MAX_SEGMENT_AUDIENCE): Promise<string[]> {
  const today = shanghaiDay(now);
  let ids: string[];
  if (isLifecycleSegment(segment)) {
    ids = [];
    for (let after = ''; ; ) {
      const page = await lifecyclePage(segment, today, after, AGGREGATE_ROWS, { _id: 1 });
      ids.push(...page.map((m) => m._id));
      if (ids.length > max || page.length < AGGREGATE_ROWS) break;
      after = page.at(-1)?._id ?? after;
    }
  } else {
    ids = (await rfmPayers(today)).payers.filter((p) => p.cell === segment).map((p) => p.memberId);
  }
  if (ids.length > max) {
    throw new DuetError(
      'FAILED_PRECONDITION',
      `segment ${segment} has more than ${max} members, more than one job holds: list them with segmentMembers and send memberIds in parts`,
    );
  }
  return ids;
}

function memberRow(member: ListedMember, stats: OrderStats | undefined): SegmentMembers['members'][number] {
  const joined = new Date(member.createdAt);
  const valid = !Number.isNaN(joined.getTime());
  return {
    memberId: member._id,
    nickname: displayNickname(member.nickname),
    joinedAt: valid ? joined.toISOString() : '',
    lastActiveDay: valid ? lastActiveDayOf({ createdAt: joined, loginDay: member.loginDay }) : (member.loginDay ?? null),
    orders: stats?.orders ?? 0,
    paidFen: stats?.fen ?? 0,
    lastPaidAt: stats ? new Date(stats.lastPaidAt).toISOString() : null,
  };
}

/**
 * The query of a lifecycle segment (members not merged away, `_id` after `after`), from the rule's
 * bounds: last active = `loginDay`, or the day of `createdAt` for a member with no `loginDay`.
 */
function lifecycleWhere(segment: LifecycleSegment, today: string, after: string): any {
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

async function lifecyclePage(
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

async function membersByIds(ids: string[]): Promise<ListedMember[]> {
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
async function mergedAway(): Promise<Map<string, string>> {
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

function finalId(memberId: string, merged: Map<string, string>): string {
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
async function paidStats(today: string, merged: Map<string, string>, memberIds?: string[]): Promise<Map<string, OrderStats>> {
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
async function rfmPayers(
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
