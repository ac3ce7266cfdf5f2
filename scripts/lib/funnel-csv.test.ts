import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../core/admin/article-codes';
import { FUNNEL_CSV_COLUMNS, funnelCsv, TOTAL_LABEL, textCell } from './funnel-csv';
import type { FunnelReport, FunnelRow } from './funnel-report';

function cells(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  const parsed = parseCsv(text);
  expect(parsed.error).toBeUndefined();
  return parsed.records.map((record) => record.fields);
}

function report(rows: FunnelRow[]): FunnelReport {
  return { title: '文章漏斗', subtitle: '归因：末次触达', dimension: '文章', rows };
}

const ROWS: FunnelRow[] = [
  { key: 'a1', label: '春季上新', visitors: 3000, members: 900, payers: 225, paidFen: 1_980_000, refundedFen: 1990, netFen: 1_978_010 },
  { key: 'a2', label: '会员日, "积分"翻倍\n第二行', visitors: 3, members: 1, payers: 0, paidFen: 0, refundedFen: 0, netFen: 0 },
  { key: 'a3', label: '门店探访', visitors: 0, members: 0, payers: 0, paidFen: 10, refundedFen: 1244, netFen: -1234 },
];

describe('funnelCsv', () => {
  it('writes a BOM, CRLF, a Chinese header, rows in yuan, rates, and 合计', () => {
    const text = funnelCsv(report(ROWS));
    expect(text).toBe(
      [
        '\uFEFF文章,访客,新会员,付款人,实付(元),退款(元),净额(元),访客→会员,会员→付款人',
        '春季上新,3000,900,225,19800.00,19.90,19780.10,30.0%,25.0%',
        '"会员日, ""积分""翻倍\n第二行",3,1,0,0.00,0.00,0.00,33.3%,0.0%',
        '门店探访,0,0,0,0.10,12.44,-12.34,—,—',
        '合计,3003,901,225,19800.10,32.34,19767.76,30.0%,25.0%',
        '',
      ].join('\r\n'),
    );
    expect(cells(text)[0]).toEqual(['文章', ...FUNNEL_CSV_COLUMNS]);
    expect(cells(text)[2][0]).toBe('会员日, "积分"翻倍\n第二行');
  });

  it('titles the first column with the dimension and can add the key column', () => {
    const text = funnelCsv({ ...report(ROWS.slice(0, 1)), dimension: '分享人' }, { keyColumn: '编号' });
    expect(cells(text)).toEqual([
      ['分享人', ...FUNNEL_CSV_COLUMNS, '编号'],
      ['春季上新', '3000', '900', '225', '19800.00', '19.90', '19780.10', '30.0%', '25.0%', 'a1'],
      [TOTAL_LABEL, '3000', '900', '225', '19800.00', '19.90', '19780.10', '30.0%', '25.0%', ''],
    ]);
  });

  it('shows — for a zero base, never Infinity or NaN; an empty report is the header and a zero 合计', () => {
    const text = funnelCsv(report([]));
    expect(cells(text)).toEqual([
      ['文章', ...FUNNEL_CSV_COLUMNS],
      [TOTAL_LABEL, '0', '0', '0', '0.00', '0.00', '0.00', '—', '—'],
    ]);
    expect(funnelCsv(report(ROWS))).not.toMatch(/NaN|Infinity/);
  });

  it('defuses formulas in labels and keys, and leaves negative amounts numbers', () => {
    const labels = ['=HYPERLINK("http://x","点我")', '+1', '-2', '@SUM(A1)', '\tcmd', '安全 = 标题'];
    const rows = labels.map((label, i) => ({ ...ROWS[2], key: i === 0 ? '=key' : `k${i}`, label }));
    const parsed = cells(funnelCsv(report(rows), { keyColumn: '编号' }));
    expect(parsed.slice(1, -1).map((fields) => fields[0])).toEqual([
      `'=HYPERLINK("http://x","点我")`,
      "'+1",
      "'-2",
      "'@SUM(A1)",
      "'\tcmd",
      '安全 = 标题',
    ]);
    expect(parsed[1][9]).toBe("'=key");
    expect(parsed[1][6]).toBe('-12.34');
  });

  it('keeps a huge label within a spreadsheet cell and drops characters XML refuses', () => {
    expect(textCell('长'.repeat(60_000))).toBe(`${'长'.repeat(32_766)}…`);
    expect(textCell(`a${'🎁'.repeat(20_000)}`)).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(textCell('a\u0000b')).toBe('ab');
  });

  it('refuses amounts that are not whole fen', () => {
    expect(() => funnelCsv(report([{ ...ROWS[0], paidFen: 0.1 }]))).toThrow(/paidFen/);
    expect(() => funnelCsv(report([{ ...ROWS[0], payers: Number.NaN }]))).toThrow(RangeError);
  });

  it('for any rows: parses back to the same cells, two decimals everywhere, 合计 = the sums to the fen', () => {
    const count = fc.integer({ min: 0, max: 1_000_000_000 });
    const fen = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 });
    const rowArb = fc.record({
      key: fc.string({ maxLength: 8 }),
      label: fc.string({ unit: 'grapheme', maxLength: 30 }),
      visitors: count,
      members: count,
      payers: count,
      paidFen: fen,
      refundedFen: fen,
      netFen: fen,
    });
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 25 }), (rows) => {
        const parsed = cells(funnelCsv(report(rows)));
        expect(parsed).toHaveLength(rows.length + 2);
        const body = parsed.slice(1, -1);
        const total = parsed.at(-1)!;
        expect(total[0]).toBe(TOTAL_LABEL);
        body.forEach((fields, i) => {
          expect(fields[0]).toBe(textCell(rows[i].label));
        });
        for (const fields of [...body, total]) {
          expect(fields).toHaveLength(9);
          for (const money of fields.slice(4, 7)) expect(money).toMatch(/^-?\d+\.\d{2}$/);
          for (const rate of fields.slice(7)) expect(rate).toMatch(/^(\d+\.\d%|—)$/);
        }
        const fenOf = (cell: string) => BigInt(cell.replace('.', ''));
        (['visitors', 'members', 'payers'] as const).forEach((field, c) => {
          const sum = rows.reduce((acc, r) => acc + BigInt(r[field]), 0n);
          expect(BigInt(total[c + 1])).toBe(sum);
          expect(body.reduce((acc, fields) => acc + BigInt(fields[c + 1]), 0n)).toBe(sum);
        });
        (['paidFen', 'refundedFen', 'netFen'] as const).forEach((field, c) => {
          const sum = rows.reduce((acc, r) => acc + BigInt(r[field]), 0n);
          expect(fenOf(total[c + 4])).toBe(sum);
          expect(body.reduce((acc, fields) => acc + fenOf(fields[c + 4]), 0n)).toBe(sum);
          body.forEach((fields, i) => {
            expect(fenOf(fields[c + 4])).toBe(BigInt(rows[i][field]));
          });
        });
      }),
      { numRuns: 200 },
    );
  });
});
