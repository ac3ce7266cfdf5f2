import { quote, textCell } from './funnel-csv';
import { formatYuan } from './funnel-report';

/** A member as funnelAdmin.segmentMembers answers it. */
export interface SegmentMemberRow {
  memberId: string;
  nickname: string;
  joinedAt: string;
  lastActiveDay: string | null;
  orders: number;
  paidFen: number;
  lastPaidAt: string | null;
}

export const SEGMENT_CSV_COLUMNS = ['会员ID', '昵称', '加入时间', '最近活跃日', '订单数(365天)', '实付(元,365天)', '最近付款时间'] as const;

/**
 * A segment's members as a CSV, written a page at a time: `segmentCsvHead()` once, then
 * `segmentCsvRows(page)` for each page. The same form as the funnel's CSV (funnel-csv.ts): UTF-8
 * with a BOM, CRLF, RFC 4180 quoting, text cells (nicknames) with formula starts defused; money in
 * yuan from integer fen; times in Asia/Shanghai (`2026-12-03 10:00:00`), which spreadsheets read as times.
 */
export function segmentCsvHead(): string {
  return `\uFEFF${SEGMENT_CSV_COLUMNS.join(',')}\r\n`;
}

export function segmentCsvRows(members: readonly SegmentMemberRow[]): string {
  return members
    .map((m) =>
      [
        textCell(m.memberId),
        textCell(m.nickname),
        shanghaiTime(m.joinedAt),
        m.lastActiveDay ?? '',
        String(m.orders),
        formatYuan(m.paidFen),
        shanghaiTime(m.lastPaidAt),
      ]
        .map(quote)
        .join(','),
    )
    .map((line) => `${line}\r\n`)
    .join('');
}

function shanghaiTime(iso: string | null): string {
  if (!iso) return '';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  return new Date(at + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
