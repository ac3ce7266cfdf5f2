import fs from 'node:fs';
import path from 'node:path';
import { DIMENSION_LABELS, type Dimension } from '../../core/funnel/attribution';
import { funnelCsv } from './funnel-csv';
import { renderFunnelChart } from './funnel-chart';
import { type FunnelReport, type FunnelRow, formatRate, formatYuan } from './funnel-report';

/** The `funnel` job's answer, as far as the CLI reads it. */
export interface FunnelAnswer {
  modelStatement: string;
  by: Dimension;
  period: { from: string; to: string };
  previous: { from: string; to: string };
  rows: Array<FunnelFigures & { key: string; label: string; change: Record<string, string> }>;
  totals: FunnelFigures & { change: Record<string, string> };
  daily: Array<{ date: string; netFenByKey: Record<string, number> }>;
  missingDays: string[];
}

interface FunnelFigures {
  visitors: number;
  newMembers: number;
  payers: number;
  paidFen: number;
  refundedFen: number;
  netFen: number;
}

function reportRow(row: FunnelFigures & { key: string; label: string }): FunnelRow {
  const { key, label, visitors, newMembers, payers, paidFen, refundedFen, netFen } = row;
  return { key, label, visitors, members: newMembers, payers, paidFen, refundedFen, netFen };
}

/** The answer as the CSV and the chart take it; 合计 is the answer's own totals (members counted once across rows). */
export function funnelReportOf(answer: FunnelAnswer): FunnelReport {
  const dimension = DIMENSION_LABELS[answer.by];
  return {
    title: `${dimension}漏斗 ${answer.period.from} — ${answer.period.to}`,
    subtitle: answer.modelStatement,
    dimension,
    rows: answer.rows.map(reportRow),
    totals: reportRow({ ...answer.totals, key: '*', label: '合计' }),
    daily: answer.daily,
  };
}

/** The table an operator reads in the terminal: one line per row, then the totals and what is missing. */
export function funnelLines(answer: FunnelAnswer): string[] {
  const header = ['', answer.by, 'visitors', 'members', 'payers', 'paid', 'refunded', 'net', 'visit→member', 'net vs prev'];
  const cells = [...answer.rows.map((row) => ({ ...row, name: row.label })), { ...answer.totals, name: '合计' }].map((row) => [
    '',
    row.name,
    String(row.visitors),
    String(row.newMembers),
    String(row.payers),
    formatYuan(row.paidFen),
    formatYuan(row.refundedFen),
    formatYuan(row.netFen),
    formatRate(row.newMembers, row.visitors),
    row.change.netFen ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    c
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    `${answer.modelStatement}  ${answer.period.from} — ${answer.period.to} (previous ${answer.previous.from} — ${answer.previous.to})`,
    line(header),
    ...cells.map(line),
    ...(answer.missingDays.length
      ? [
          `no snapshot yet for ${answer.missingDays.length} day(s): ${answer.missingDays.join(', ')} — npm run admin -- snapshotFunnel computes them`,
        ]
      : []),
  ];
}

/** Writes `--csv FILE` and `--chart FILE.svg` when asked; answers the files written. */
export function writeFunnelFiles(answer: FunnelAnswer, files: { csv?: string; chart?: string }): string[] {
  const report = funnelReportOf(answer);
  const written: string[] = [];
  const write = (file: string, text: string) => {
    const target = path.resolve(file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    written.push(path.relative(process.cwd(), target) || target);
  };
  if (files.csv) write(files.csv, funnelCsv(report, { keyColumn: 'id' }));
  if (files.chart) write(files.chart, renderFunnelChart(report));
  return written;
}
