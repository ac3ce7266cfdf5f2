import { formatYuan } from '../../core/funnel/format';

export { formatRate, formatYuan, NO_RATE } from '../../core/funnel/format';

/**
 * The shape the funnel CLI hands to its two outputs (`funnel-chart.ts`: an SVG; `funnel-csv.ts`: a CSV),
 * and the formatting both share: money from integer fen, rates from integer counts, labels made safe.
 * Nothing here reads the database: the CLI aggregates the events into a `FunnelReport` first.
 */

/** What one row of the report is about: the CLI's grouping. Any other string works too (it is a column title). */
export type FunnelDimension = '文章' | '活动' | '渠道' | '分享人' | (string & {});

/** One article / campaign / channel / sharer, with its funnel counts and money (integer fen). */
export interface FunnelRow {
  /** Stable id (article id, campaign key, channel, sharer's member id): joins the daily series to the row. */
  key: string;
  /** What the operator reads (an article title...): operator data, any text. */
  label: string;
  /** Distinct visitors attributed to the row. */
  visitors: number;
  /** New members attributed to the row. */
  members: number;
  /** Distinct members who paid. */
  payers: number;
  /** Money paid, in integer fen. */
  paidFen: number;
  /** Money refunded, in integer fen (positive). */
  refundedFen: number;
  /** Net money in integer fen (the CLI's figure; usually paidFen - refundedFen; may be negative). */
  netFen: number;
}

/** One day of the daily series: net fen per row key (a key absent is 0; a key not among the rows counts as 其他). */
export interface FunnelDay {
  /** The day as the operator reads it, e.g. `2025-03-01`. */
  date: string;
  netFenByKey: Readonly<Record<string, number>>;
}

export interface FunnelReport {
  /** e.g. `文章漏斗 2025-03-01 — 2025-03-31`. */
  title: string;
  /** Names the attribution model, e.g. `归因：末次触达`. */
  subtitle: string;
  /** The column title of the rows: 文章 / 活动 / 渠道 / 分享人. */
  dimension: FunnelDimension;
  rows: readonly FunnelRow[];
  /**
   * Optional: the report's own totals (a member who visited through two rows counts once here); without
   * it the outputs sum the rows. Money is the rows' sum either way (each fen is credited to one row).
   */
  totals?: FunnelRow;
  /** Optional: net per day, for the line chart. */
  daily?: readonly FunnelDay[];
}

export const COUNT_FIELDS = ['visitors', 'members', 'payers'] as const;
export const FEN_FIELDS = ['paidFen', 'refundedFen', 'netFen'] as const;

/**
 * Throws a RangeError naming the row and field when a count is not a non-negative safe integer or a fen
 * amount is not a safe integer: the outputs would otherwise show NaN or drifted decimals.
 */
export function checkReport(report: FunnelReport): void {
  for (const row of [...report.rows, ...(report.totals ? [report.totals] : [])]) {
    for (const field of COUNT_FIELDS) {
      const value = row[field];
      if (!Number.isSafeInteger(value) || value < 0)
        throw new RangeError(`funnel row ${row.key}: ${field} must be a whole count, got ${value}`);
    }
    for (const field of FEN_FIELDS) {
      const value = row[field];
      if (!Number.isSafeInteger(value)) throw new RangeError(`funnel row ${row.key}: ${field} must be whole fen, got ${value}`);
    }
  }
  for (const day of report.daily ?? []) {
    for (const [key, value] of Object.entries(day.netFenByKey)) {
      if (!Number.isSafeInteger(value)) throw new RangeError(`funnel day ${day.date}: ${key} must be whole fen, got ${value}`);
    }
  }
}

/** `¥1,234.56` / `-¥12.00`: money as the chart shows it. */
export function formatMoney(fen: number | bigint): string {
  const text = formatYuan(fen, { grouping: true });
  return text.startsWith('-') ? `-¥${text.slice(1)}` : `¥${text}`;
}

/** Characters XML 1.0 cannot hold (even escaped): C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Operator text made safe for any output: no characters XML refuses; lone surrogates dropped. */
export function cleanText(text: string): string {
  return String(text).replace(NOT_XML, '');
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/** Display width of one grapheme: 2 for CJK / full-width / emoji, 1 otherwise. */
function graphemeWidth(grapheme: string): number {
  const cp = grapheme.codePointAt(0) ?? 0;
  if (grapheme.length > 2 || cp >= 0x1f000) return 2; // emoji, flags, ZWJ sequences
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    cp >= 0x20000
  )
    return 2;
  return 1;
}

export const ELLIPSIS = '…';

/**
 * A one-line label at most `maxWidth` columns wide (a Chinese character or an emoji is 2, a Latin letter 1):
 * whitespace runs (newlines, tabs) become one space, and a longer label is cut on a grapheme boundary and ends
 * with `…`. Never splits an emoji or a surrogate pair.
 */
export function truncateLabel(text: string, maxWidth: number): string {
  const oneLine = cleanText(text).replace(/\s+/g, ' ').trim();
  // Cheap bound first: a 60 KB title is not segmented whole.
  const head = oneLine.length > maxWidth * 2 + 8 ? oneLine.slice(0, maxWidth * 2 + 8) : oneLine;
  const graphemes = Array.from(segmenter.segment(head), (s) => s.segment);
  let width = 0;
  for (const g of graphemes) width += graphemeWidth(g);
  if (width <= maxWidth && head.length === oneLine.length) return oneLine;
  let out = '';
  width = 0;
  for (const g of graphemes) {
    const w = graphemeWidth(g);
    if (width + w > maxWidth - 1) break; // room for the ellipsis
    out += g;
    width += w;
  }
  return `${out.trimEnd()}${ELLIPSIS}`;
}

export interface RankedRows {
  /** The top rows by net, highest first (ties: by input order). */
  top: FunnelRow[];
  /** The others summed into one row (key `OTHER_KEY`, label `其他（n 项）`), or null when none are left. */
  other: FunnelRow | null;
  /** Keys of the rows folded into `other`. */
  otherKeys: Set<string>;
}

export const OTHER_KEY = '\u0000other';

/** The `topN` rows by net fen; the rest summed into 其他. */
export function rankRows(rows: readonly FunnelRow[], topN: number): RankedRows {
  const sorted = rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => b.row.netFen - a.row.netFen || a.index - b.index)
    .map(({ row }) => row);
  const keep = Math.max(1, Math.floor(topN));
  if (sorted.length <= keep) return { top: sorted, other: null, otherKeys: new Set() };
  const top = sorted.slice(0, keep);
  const rest = sorted.slice(top.length);
  const other: FunnelRow = {
    key: OTHER_KEY,
    label: `其他（${rest.length} 项）`,
    visitors: 0,
    members: 0,
    payers: 0,
    paidFen: 0,
    refundedFen: 0,
    netFen: 0,
  };
  for (const row of rest) {
    for (const field of [...COUNT_FIELDS, ...FEN_FIELDS]) other[field] += row[field];
  }
  return { top, other, otherKeys: new Set(rest.map((row) => row.key)) };
}
