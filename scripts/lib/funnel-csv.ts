import { checkReport, cleanText, ELLIPSIS, type FunnelReport, formatRate, formatYuan } from './funnel-report';

/** The columns after the dimension's (文章 / 活动 / 渠道 / 分享人). */
export const FUNNEL_CSV_COLUMNS = ['访客', '新会员', '付款人', '实付(元)', '退款(元)', '净额(元)', '访客→会员', '会员→付款人'] as const;

/** The label of the last row. */
export const TOTAL_LABEL = '合计';

/** Excel refuses a cell longer than this. */
const EXCEL_CELL_LIMIT = 32_767;

export interface FunnelCsvOptions {
  /** Also write each row's key (article id...) in a last column with this title; the 合计 row leaves it empty. */
  keyColumn?: string;
}

/**
 * The report as a CSV a spreadsheet opens with the same totals: UTF-8 with a BOM (Excel reads the Chinese),
 * CRLF line ends, RFC 4180 quoting. A header row, one row per `report.rows` (in their order), then 合计.
 * Money in yuan with two decimals, formatted from integer fen (no float drift); 合计 sums the rows' fen exactly.
 * Rates are percentages with one decimal; a zero base is `—`. Text cells (labels, keys) that a spreadsheet
 * would run as a formula (starting with = + - @, a tab or CR) get a leading `'`; numbers are written as numbers.
 */
export function funnelCsv(report: FunnelReport, options: FunnelCsvOptions = {}): string {
  checkReport(report);
  const withKey = options.keyColumn !== undefined;
  const lines: string[][] = [[textCell(report.dimension), ...FUNNEL_CSV_COLUMNS, ...(withKey ? [textCell(options.keyColumn ?? '')] : [])]];
  const total = { visitors: 0n, members: 0n, payers: 0n, paidFen: 0n, refundedFen: 0n, netFen: 0n };
  for (const row of report.rows) {
    lines.push([textCell(row.label), ...numberCells(row), ...(withKey ? [textCell(row.key)] : [])]);
    for (const field of Object.keys(total) as Array<keyof typeof total>) total[field] += BigInt(row[field]);
  }
  lines.push([TOTAL_LABEL, ...numberCells(report.totals ?? total), ...(withKey ? [''] : [])]);
  return `\uFEFF${lines.map((cells) => cells.map(quote).join(',')).join('\r\n')}\r\n`;
}

function numberCells(row: {
  visitors: number | bigint;
  members: number | bigint;
  payers: number | bigint;
  paidFen: number | bigint;
  refundedFen: number | bigint;
  netFen: number | bigint;
}): string[] {
  return [
    String(row.visitors),
    String(row.members),
    String(row.payers),
    formatYuan(row.paidFen),
    formatYuan(row.refundedFen),
    formatYuan(row.netFen),
    formatRate(row.members, row.visitors),
    formatRate(row.payers, row.members),
  ];
}

/** Operator text as a cell: XML-safe characters only, at most Excel's cell length, formula starts defused. */
export function textCell(text: string): string {
  let cell = cleanText(text);
  if (/^[=+\-@\t\r]/.test(cell)) cell = `'${cell}`;
  if (cell.length > EXCEL_CELL_LIMIT) {
    let cut = EXCEL_CELL_LIMIT - ELLIPSIS.length;
    if (/[\uD800-\uDBFF]/.test(cell[cut - 1])) cut -= 1; // keep a surrogate pair whole
    cell = `${cell.slice(0, cut)}${ELLIPSIS}`;
  }
  return cell;
}

/** RFC 4180: a field with a comma, a quote, CR or LF is quoted, its quotes doubled. */
export function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
