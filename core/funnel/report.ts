import { addDays } from '../points/rules';
import { formatRate, NO_RATE } from './format';
import type { Dimension, Model } from './attribution';
import { addMetrics, type Metrics, METRICS, type SnapshotRow, zeroMetrics } from './tally';

/** One stored day of one table (`funnel_daily`): what the nightly job writes and every report reads. */
export interface SnapshotDoc {
  _id: string;
  day: string;
  model: Model;
  by: Dimension;
  windowDays: number;
  rows: SnapshotRow[];
  total: Metrics;
}

export function snapshotId(day: string, model: Model, by: Dimension): string {
  return `${day}|${model}|${by}`;
}

export interface Period {
  from: string;
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isDay(value: string): boolean {
  return DAY.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) out.push(day);
  return out;
}

/** The period of equal length just before `period`. */
export function previousPeriod(period: Period): Period {
  const length = daysBetween(period.from, period.to).length;
  return { from: addDays(period.from, -length), to: addDays(period.from, -1) };
}

/**
 * The change from `previous` to `current` as a report shows it: `+12.5%`, `-3.0%`, `0.0%`;
 * `new` when the base is zero and the value is not (never infinity); `—` when both are zero.
 * Integer arithmetic, half away from zero to one decimal.
 */
export function changeOf(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? NO_RATE : 'new';
  const diff = BigInt(current) - BigInt(previous);
  const sign = diff > 0n ? '+' : diff < 0n ? '-' : '';
  return `${sign}${formatRate(diff < 0n ? -diff : diff, Math.abs(previous))}`;
}

/** The figures of a report compare on: the funnel's steps and the money. */
export const CHANGE_FIELDS = ['visitors', 'newMembers', 'payers', 'paidFen', 'netFen'] as const;
export type ChangeField = (typeof CHANGE_FIELDS)[number];

export interface FunnelFigures extends Metrics {
  netFen: number;
}

export interface FunnelTableRow extends FunnelFigures {
  key: string;
  previous: FunnelFigures;
  change: Record<ChangeField, string>;
}

export interface FunnelTable {
  period: Period;
  previous: Period;
  rows: FunnelTableRow[];
  totals: FunnelTableRow;
  /** Net fen per day per key (every key of `rows`). */
  daily: Array<{ date: string; netFenByKey: Record<string, number> }>;
  /** Days of the period that have no snapshot yet (the nightly job has not reached them). */
  missingDays: string[];
}

function figures(metrics: Metrics): FunnelFigures {
  return { ...metrics, netFen: metrics.paidFen - metrics.refundedFen };
}

function compare(key: string, current: Metrics, previous: Metrics): FunnelTableRow {
  const cur = figures(current);
  const prev = figures(previous);
  const change = Object.fromEntries(CHANGE_FIELDS.map((f) => [f, changeOf(cur[f], prev[f])])) as Record<ChangeField, string>;
  return { key, ...cur, previous: prev, change };
}

/**
 * The funnel of one model and dimension over a period, from the day snapshots of that period and
 * the previous one (docs of other models, dimensions or days are ignored). Rows: every key seen in
 * the period, highest net first; a key seen only in the previous period is left out.
 */
export function buildFunnelTable(docs: readonly SnapshotDoc[], period: Period, model: Model, by: Dimension): FunnelTable {
  const previous = previousPeriod(period);
  const days = daysBetween(period.from, period.to);
  const current = new Map<string, Metrics>();
  const before = new Map<string, Metrics>();
  const totalNow = zeroMetrics();
  const totalBefore = zeroMetrics();
  const daily = new Map<string, Record<string, number>>();
  const seenDays = new Set<string>();
  for (const doc of docs) {
    if (doc.model !== model || doc.by !== by) continue;
    const inNow = doc.day >= period.from && doc.day <= period.to;
    const inBefore = doc.day >= previous.from && doc.day <= previous.to;
    if (!inNow && !inBefore) continue;
    const target = inNow ? current : before;
    addMetrics(inNow ? totalNow : totalBefore, doc.total);
    if (inNow) seenDays.add(doc.day);
    const net: Record<string, number> = {};
    for (const row of doc.rows) {
      const sum = target.get(row.key) ?? zeroMetrics();
      for (const m of METRICS) sum[m] += row[m] ?? 0;
      target.set(row.key, sum);
      if (inNow) net[row.key] = row.paidFen - row.refundedFen;
    }
    if (inNow) daily.set(doc.day, net);
  }
  const rows = [...current.entries()]
    .map(([key, metrics]) => compare(key, metrics, before.get(key) ?? zeroMetrics()))
    .sort((a, b) => b.netFen - a.netFen || b.visitors - a.visitors || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    period,
    previous,
    rows,
    totals: compare('*', totalNow, totalBefore),
    daily: days.map((date) => ({ date, netFenByKey: daily.get(date) ?? {} })),
    missingDays: days.filter((day) => !seenDays.has(day)),
  };
}
