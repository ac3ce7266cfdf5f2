import { describe, expect, it } from 'vitest';
import { funnelLines, funnelReportOf, type FunnelAnswer } from './funnel-cli';
import { funnelCsv } from './funnel-csv';
import { renderFunnelChart } from './funnel-chart';

const figures = (visitors: number, newMembers: number, payers: number, paidFen: number, refundedFen: number) => ({
  visitors,
  newMembers,
  payers,
  paidFen,
  refundedFen,
  netFen: paidFen - refundedFen,
});

const answer: FunnelAnswer = {
  modelStatement: '归因：末次非直接触达（7 天窗口）',
  by: 'article',
  period: { from: '2026-11-01', to: '2026-11-30' },
  previous: { from: '2026-10-02', to: '2026-10-31' },
  rows: [
    { key: 'art-spring', label: '春季会员节：新会员专享好礼', ...figures(3, 2, 1, 9900, 0), change: { netFen: 'new' } },
    { key: 'art-group', label: '三人成团，精选好物半价', ...figures(2, 1, 1, 5000, 1000), change: { netFen: '+25.0%' } },
  ],
  // One member visited through both articles: counted once in the totals.
  totals: { ...figures(4, 3, 2, 14900, 1000), change: { netFen: '+90.0%' } },
  daily: [
    { date: '2026-11-01', netFenByKey: { 'art-spring': 9900 } },
    { date: '2026-11-02', netFenByKey: { 'art-group': 4000 } },
  ],
  missingDays: ['2026-11-30'],
};

describe('funnel CLI outputs', () => {
  it('the CSV ends with the report’s own totals (members once across rows), money summing the rows', () => {
    const csv = funnelCsv(funnelReportOf(answer), { keyColumn: 'id' });
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('文章,访客,新会员,付款人,实付(元),退款(元),净额(元),访客→会员,会员→付款人,id');
    expect(lines[1]).toBe('春季会员节：新会员专享好礼,3,2,1,99.00,0.00,99.00,66.7%,50.0%,art-spring');
    expect(lines.at(-1)).toBe('合计,4,3,2,149.00,10.00,139.00,75.0%,66.7%,');
  });

  it('the chart holds both rows, the daily series and the Chinese labels; the terminal table names the model and missing days', () => {
    const svg = renderFunnelChart(funnelReportOf(answer));
    expect(svg).toContain('文章漏斗 2026-11-01 — 2026-11-30');
    expect(svg).toContain('归因：末次非直接触达（7 天窗口）');
    expect(svg).toContain('春季会员节');
    expect(svg).toContain('三人成团');
    expect(svg).toContain('11-02');
    const lines = funnelLines(answer);
    expect(lines[0]).toContain('归因：末次非直接触达（7 天窗口）');
    expect(lines.at(-2)).toContain('合计');
    expect(lines.at(-1)).toContain('2026-11-30');
  });
});
