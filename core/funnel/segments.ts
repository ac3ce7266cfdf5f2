import { addDays, shanghaiDay, startOfShanghaiDay } from '../points/rules';

/**
 * Segments: where a member is in their life with the brand, and the eight classic RFM cells.
 * Pure rules (no I/O): the server reads members and paid orders and asks these functions where
 * each one belongs. Days are Asia/Shanghai calendar days (`YYYY-MM-DD`). See README.md (Segments).
 */
export const LIFECYCLE_SEGMENTS = ['new', 'active', 'dormant', 'lapsed'] as const;
export const RFM_CELLS = [
  'important_value',
  'important_develop',
  'important_keep',
  'important_retain',
  'general_value',
  'general_develop',
  'general_keep',
  'general_retain',
] as const;
export const SEGMENTS = [...LIFECYCLE_SEGMENTS, ...RFM_CELLS] as const;
export type Segment = (typeof SEGMENTS)[number];
export type LifecycleSegment = (typeof LIFECYCLE_SEGMENTS)[number];
export type RfmCell = (typeof RFM_CELLS)[number];

export const SEGMENT_LABELS: Record<Segment, string> = {
  new: '新会员',
  active: '活跃会员',
  dormant: '沉睡会员',
  lapsed: '流失会员',
  important_value: '重要价值客户',
  important_develop: '重要发展客户',
  important_keep: '重要保持客户',
  important_retain: '重要挽留客户',
  general_value: '一般价值客户',
  general_develop: '一般发展客户',
  general_keep: '一般保持客户',
  general_retain: '一般挽留客户',
};

export function isLifecycleSegment(segment: Segment): segment is LifecycleSegment {
  return (LIFECYCLE_SEGMENTS as readonly string[]).includes(segment);
}

/** New: joined at most this many days ago (joined 7 days ago is new, 8 is not). */
export const NEW_MEMBER_DAYS = 7;
/** Active: last active at most this many days ago; dormant: up to DORMANT_DAYS; lapsed: longer. */
export const ACTIVE_DAYS = 30;
export const DORMANT_DAYS = 90;
/** RFM reads the paid orders of the 365 days ending today (today included). */
export const RFM_WINDOW_DAYS = 365;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `from` to `to` (negative when `from` is later). */
export function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export { startOfShanghaiDay };

/**
 * The first day of each lifecycle window ending `today`: a member is new when joined on or after
 * `newFrom`; active when last active on or after `activeFrom`; dormant when last active in
 * [`dormantFrom`, `activeFrom`); lapsed before `dormantFrom`. The server's queries are built from
 * these bounds, so the rule and the queries cannot drift apart.
 */
export function lifecycleBounds(today: string): { newFrom: string; activeFrom: string; dormantFrom: string } {
  return {
    newFrom: addDays(today, -NEW_MEMBER_DAYS),
    activeFrom: addDays(today, -ACTIVE_DAYS),
    dormantFrom: addDays(today, -DORMANT_DAYS),
  };
}

/** The day a member was last active: the day of their latest login (`loginDay`), else the day they joined. */
export function lastActiveDayOf(member: { createdAt: Date; loginDay?: string | null }): string {
  return member.loginDay ?? shanghaiDay(new Date(member.createdAt));
}

/** Active, dormant or lapsed: exactly one for every member. */
export function activityOf(lastActiveDay: string, today: string): 'active' | 'dormant' | 'lapsed' {
  const bounds = lifecycleBounds(today);
  if (lastActiveDay >= bounds.activeFrom) return 'active';
  if (lastActiveDay >= bounds.dormantFrom) return 'dormant';
  return 'lapsed';
}

export function isNewMember(joinedDay: string, today: string): boolean {
  return joinedDay >= lifecycleBounds(today).newFrom;
}

/**
 * The lifecycle segments a member is in: one of active / dormant / lapsed, and `new` besides when
 * they joined in the last 7 days (a new member is also active, having joined within 30 days,
 * unless a later login says otherwise — it cannot, logins only move forward).
 */
export function lifecycleSegmentsOf(joinedDay: string, lastActiveDay: string, today: string): LifecycleSegment[] {
  const activity = activityOf(lastActiveDay, today);
  return isNewMember(joinedDay, today) ? ['new', activity] : [activity];
}

/** The order states that hold money: paid, shipped, completed (partial refunds leave an order in them). */
export const PAID_ORDER_STATES = ['paid', 'shipped', 'completed'] as const;

/**
 * Fen an order counts for in RFM: what was paid less what was refunded, when the order is in a paid
 * state and that is more than 0; else 0 (not counted: unpaid, cancelled, refunding or refunded as a
 * whole, or refunded line by line down to nothing).
 */
export function netPaidFen(order: { state: string; payable: number; refunded?: number | null }): number {
  if (!(PAID_ORDER_STATES as readonly string[]).includes(order.state)) return 0;
  return Math.max(0, Number(order.payable) - Number(order.refunded ?? 0));
}

/** The first day of the RFM window ending `today` (365 days, today included): paid on or after it counts. */
export function rfmWindowFrom(today: string): string {
  return addDays(today, -(RFM_WINDOW_DAYS - 1));
}

/** One member who paid in the window: days since the last payment, counted orders, net fen. */
export interface Payer {
  recencyDays: number;
  orders: number;
  fen: number;
}

/** The sums the averages are made of (kept whole so that cuts are exact: no float rounding at the tie). */
export interface RfmTotals {
  payers: number;
  recencyDays: number;
  orders: number;
  fen: number;
}

export function rfmTotals(payers: Iterable<Payer>): RfmTotals {
  const totals: RfmTotals = { payers: 0, recencyDays: 0, orders: 0, fen: 0 };
  for (const payer of payers) {
    totals.payers += 1;
    totals.recencyDays += payer.recencyDays;
    totals.orders += payer.orders;
    totals.fen += payer.fen;
  }
  return totals;
}

/** The averages the cells are cut at, as an operator reads them (two decimals). */
export function rfmAverages(totals: RfmTotals): { payers: number; recencyDays: number; orders: number; fen: number } {
  const mean = (sum: number) => (totals.payers === 0 ? 0 : Math.round((sum / totals.payers) * 100) / 100);
  return { payers: totals.payers, recencyDays: mean(totals.recencyDays), orders: mean(totals.orders), fen: mean(totals.fen) };
}

/** Days from the last payment to today (0 today; never negative). */
export function recencyDaysOf(lastPaidAt: Date, today: string): number {
  return Math.max(0, daysFrom(shanghaiDay(new Date(lastPaidAt)), today));
}

const CELLS: Record<string, RfmCell> = {
  HHH: 'important_value',
  HLH: 'important_develop',
  LHH: 'important_keep',
  LLH: 'important_retain',
  HHL: 'general_value',
  HLL: 'general_develop',
  LHL: 'general_keep',
  LLL: 'general_retain',
};

/**
 * A payer's RFM cell. Each measure is high when it is at least as good as the average over the
 * payers (a tie counts as high): R high when recency ≤ the average days, F high when orders ≥ the
 * average, M high when fen ≥ the average. Compared as whole numbers (value × payers against the
 * sum), so a tie is exact.
 */
export function rfmCellOf(payer: Payer, totals: RfmTotals): RfmCell {
  const n = BigInt(totals.payers);
  const r = BigInt(payer.recencyDays) * n <= BigInt(totals.recencyDays);
  const f = BigInt(payer.orders) * n >= BigInt(totals.orders);
  const m = BigInt(payer.fen) * n >= BigInt(totals.fen);
  return CELLS[`${r ? 'H' : 'L'}${f ? 'H' : 'L'}${m ? 'H' : 'L'}`];
}
