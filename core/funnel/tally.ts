import { creditedTouch, creditKey, DEFAULT_WINDOW_DAYS, DIMENSIONS, type Dimension, MODELS, type Model } from './attribution';
import type { EventTouch, FunnelEventDoc } from './events';

/**
 * One day of the funnel, per model × dimension × key. Counts of events add up across buckets and
 * resumptions; the two distinct counts (visitors, payers) add up too because a member's events of
 * a day are all in one bucket (place.ts) and each bucket is tallied whole.
 */
export const METRICS = [
  'visitors',
  'scans',
  'newMembers',
  'followsGained',
  'followsLost',
  'claims',
  'orders',
  'payers',
  'paidFen',
  'refundedFen',
] as const;
export type Metric = (typeof METRICS)[number];
export type Metrics = Record<Metric, number>;

export function zeroMetrics(): Metrics {
  return Object.fromEntries(METRICS.map((m) => [m, 0])) as Metrics;
}

export function addMetrics(into: Metrics, add: Metrics): Metrics {
  for (const m of METRICS) into[m] += add[m];
  return into;
}

/** `<model>|<dimension>`: one of the 12 tables of a day. */
export type Group = `${Model}|${Dimension}`;
export const GROUPS: readonly Group[] = MODELS.flatMap((model) => DIMENSIONS.map((by) => `${model}|${by}` as Group));

/** A day's tally so far: plain data (stored between resumptions as `entries`). */
export interface DayTally {
  groups: Map<Group, Map<string, Metrics>>;
  /** Every step of the day once, whatever it is credited to (distinct members across all keys). */
  total: Metrics;
}

export function emptyTally(): DayTally {
  return { groups: new Map(GROUPS.map((g) => [g, new Map()])), total: zeroMetrics() };
}

function rowOf(tally: DayTally, group: Group, key: string): Metrics {
  const rows = tally.groups.get(group) as Map<string, Metrics>;
  let row = rows.get(key);
  if (!row) {
    row = zeroMetrics();
    rows.set(key, row);
  }
  return row;
}

/** What one event adds, before distinct counting: the counted metrics and the distinct one it marks. */
function effectOf(event: FunnelEventDoc): { add: Partial<Metrics>; distinct: 'visitors' | 'payers' | null } | null {
  switch (event.kind) {
    case 'visit':
      return { add: event.attributed === true ? { scans: 1 } : {}, distinct: 'visitors' };
    case 'scan':
      return { add: { scans: 1 }, distinct: null };
    case 'follow':
      return { add: { followsGained: 1 }, distinct: null };
    case 'unfollow':
      return { add: { followsLost: 1 }, distinct: null };
    case 'coupon_claimed':
      return { add: { claims: 1 }, distinct: null };
    case 'order_created':
      return { add: { orders: 1 }, distinct: null };
    case 'order_paid':
      return { add: { paidFen: event.fen ?? 0 }, distinct: 'payers' };
    case 'order_refunded':
      return { add: { refundedFen: event.fen ?? 0 }, distinct: null };
    default:
      return null;
  }
}

const TOTAL = '*';

/**
 * Adds one bucket's events of the day (every event of each member in the bucket: the caller reads
 * the bucket whole) to the day's tally.
 */
export function tallyBucket(tally: DayTally, events: Iterable<FunnelEventDoc>, windowDays = DEFAULT_WINDOW_DAYS): void {
  // Distinct members per (group, key) within the bucket; sizes are added at the end.
  const distinct = new Map<string, Set<string>>();
  const mark = (slot: string, memberId: string) => {
    let set = distinct.get(slot);
    if (!set) {
      set = new Set();
      distinct.set(slot, set);
    }
    set.add(memberId);
  };
  for (const event of events) {
    const effect = effectOf(event);
    if (!effect) continue;
    const apply = (row: Metrics, slot: string) => {
      for (const [m, n] of Object.entries(effect.add) as [Metric, number][]) row[m] += n;
      if (effect.distinct) mark(`${effect.distinct}\u0000${slot}`, event.memberId);
    };
    apply(tally.total, TOTAL);
    for (const model of MODELS) {
      const touch = creditedTouch(event, model, windowDays);
      for (const by of DIMENSIONS) {
        const group = `${model}|${by}` as Group;
        const key = creditKey(touch, by);
        apply(rowOf(tally, group, key), `${group}\u0000${key}`);
      }
    }
  }
  for (const [slot, members] of distinct) {
    const [metric, group, key] = slot.split('\u0000') as ['visitors' | 'payers', string, string | undefined];
    const row = group === TOTAL ? tally.total : rowOf(tally, group as Group, key as string);
    row[metric] += members.size;
  }
}

/** A member who joined that day, credited to the arrival that brought them (their first touch) under every model. */
export interface JoinedMember {
  _id: string;
  firstTouch: EventTouch | null;
}

export function tallyNewMembers(tally: DayTally, members: Iterable<JoinedMember>): void {
  for (const member of members) {
    tally.total.newMembers += 1;
    for (const group of GROUPS) {
      const by = group.split('|')[1] as Dimension;
      rowOf(tally, group, creditKey(member.firstTouch, by)).newMembers += 1;
    }
  }
}

/** A tally as stored between resumptions: `[group, key, ...metrics in METRICS order]`. */
export type TallyEntry = [string, string, ...number[]];

export function tallyEntries(tally: DayTally): { entries: TallyEntry[]; total: number[] } {
  const entries: TallyEntry[] = [];
  for (const [group, rows] of tally.groups) for (const [key, row] of rows) entries.push([group, key, ...METRICS.map((m) => row[m])]);
  return { entries, total: METRICS.map((m) => tally.total[m]) };
}

export function tallyFromEntries(stored: { entries: TallyEntry[]; total: number[] }): DayTally {
  const tally = emptyTally();
  const metrics = (values: number[]) => Object.fromEntries(METRICS.map((m, i) => [m, values[i] ?? 0])) as Metrics;
  for (const [group, key, ...values] of stored.entries) {
    if (!tally.groups.has(group as Group)) continue;
    addMetrics(rowOf(tally, group as Group, key), metrics(values));
  }
  addMetrics(tally.total, metrics(stored.total));
  return tally;
}

/** One stored row of a day's table. */
export interface SnapshotRow extends Metrics {
  key: string;
}

/** The rows of one group, sorted by key (so a re-run writes byte-for-byte the same document). */
export function groupRows(tally: DayTally, group: Group): SnapshotRow[] {
  const rows = [...(tally.groups.get(group) ?? new Map<string, Metrics>()).entries()];
  rows.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return rows.map(([key, row]) => ({ key, ...row }));
}
