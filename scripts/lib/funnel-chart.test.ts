import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { CHART_FONT_FAMILY, NO_DATA, renderFunnelChart } from './funnel-chart';
import { type FunnelReport, type FunnelRow, formatMoney, truncateLabel } from './funnel-report';

type XmlNode = Record<string, unknown>;

/** Every <text> element of the SVG: its (entity-decoded) characters and its attributes. */
function svgTexts(svg: string): Array<{ text: string; attrs: Record<string, string> }> {
  expect(XMLValidator.validate(svg)).toBe(true);
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    trimValues: false,
  });
  const doc = parser.parse(svg) as XmlNode[];
  expect(doc.some((node) => 'svg' in node)).toBe(true);
  const found: Array<{ text: string; attrs: Record<string, string> }> = [];
  const collect = (nodes: XmlNode[]): string =>
    nodes.map((node) => (typeof node['#text'] === 'string' ? (node['#text'] as string) : walk(node))).join('');
  const walk = (node: XmlNode): string => {
    for (const [tag, children] of Object.entries(node)) {
      if (tag === ':@' || !Array.isArray(children)) continue;
      if (tag === 'text') found.push({ text: collect(children as XmlNode[]), attrs: (node[':@'] ?? {}) as Record<string, string> });
      else for (const child of children) walk(child as XmlNode);
    }
    return '';
  };
  doc.forEach(walk);
  return found;
}

function row(key: string, label: string, netFen: number, extra: Partial<FunnelRow> = {}): FunnelRow {
  return { key, label, visitors: 100, members: 20, payers: 5, paidFen: netFen, refundedFen: 0, netFen, ...extra };
}

const REPORT: FunnelReport = {
  title: '文章漏斗 2025-03-01 — 2025-03-31',
  subtitle: '归因：末次触达',
  dimension: '文章',
  rows: [
    row('a1', '春季上新：樱花限定礼盒', 1_978_010, { visitors: 3000, members: 900, payers: 225, paidFen: 1_980_000, refundedFen: 1990 }),
    row('a2', '会员日积分翻倍', 500),
    row('a3', '门店探访', -1234, { paidFen: 0, refundedFen: 1234 }),
  ],
  daily: [
    { date: '2025-03-01', netFenByKey: { a1: 1000, a2: 500 } },
    { date: '2025-03-02', netFenByKey: { a1: 2000, zz: 300 } },
  ],
};

describe('renderFunnelChart', () => {
  it('is an SVG document whose <text> holds the Chinese title, the model, every label and money in yuan', () => {
    const svg = renderFunnelChart(REPORT);
    expect(svg.startsWith('<svg')).toBe(true);
    const texts = svgTexts(svg);
    const strings = texts.map((t) => t.text);
    expect(strings).toContain(REPORT.title);
    expect(strings).toContain('归因：末次触达');
    for (const r of REPORT.rows) expect(strings).toContain(r.label);
    expect(strings).toContain('¥19,780.10');
    expect(strings).toContain('¥5.00');
    expect(strings).toContain('-¥12.34');
    expect(strings).toEqual(expect.arrayContaining(['净额（元）· 按文章', '漏斗：访客 → 会员 → 付款人 · 按文章', '每日净额（元）']));
    expect(strings).toEqual(expect.arrayContaining(['访客', '会员', '付款人', '2025-03-01', '2025-03-02']));
    // A day's key that is not a row is 其他's line.
    expect(strings).toContain('其他');
    // Characters, not outlines: every label is text styled with the CJK font list.
    const title = texts.find((t) => t.text === REPORT.title);
    expect(title?.attrs.style).toContain(CHART_FONT_FAMILY);
    expect(CHART_FONT_FAMILY).toMatch(/^'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif$/);
  });

  it('shows the top N rows by net and sums the rest into 其他', () => {
    const rows = Array.from({ length: 12 }, (_, i) => row(`k${i}`, `文章${i}`, (i + 1) * 1001));
    const svg = renderFunnelChart({ ...REPORT, rows, daily: undefined }, { topN: 3 });
    const strings = svgTexts(svg).map((t) => t.text);
    expect(strings).toEqual(expect.arrayContaining(['文章11', '文章10', '文章9', '其他（9 项）']));
    expect(strings).not.toContain('文章8');
    const restFen = rows.slice(0, 9).reduce((sum, r) => sum + r.netFen, 0);
    expect(strings).toContain(formatMoney(restFen));
    expect(strings).not.toContain('每日净额（元）');
  });

  it('draws only the panels asked for', () => {
    const strings = svgTexts(renderFunnelChart(REPORT, { panels: ['net'] })).map((t) => t.text);
    expect(strings).toContain('净额（元）· 按文章');
    expect(strings).not.toContain('漏斗：访客 → 会员 → 付款人 · 按文章');
    expect(strings).not.toContain('每日净额（元）');
  });

  it('escapes and truncates hostile labels: markup, entities, quotes, emoji, controls, 60 KB', () => {
    const hostile = [
      '<script>alert("x")</script>',
      `Tom & Jerry's "best" <b>bold</b>`,
      '礼物🎁👨‍👩‍👧‍👦家庭装',
      `line\nbreak\u0000\u0008\uD800 end`,
      '长'.repeat(30_000),
      'x'.repeat(60_000),
      ']]><!--',
    ];
    const rows = hostile.map((label, i) => row(`h${i}`, label, 1000 - i));
    const svg = renderFunnelChart({ ...REPORT, title: `标题 <i>&</i> "引号"`, subtitle: '归因：首次触达', rows, daily: undefined });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('<i>');
    expect(svg.length).toBeLessThan(100_000);
    const strings = svgTexts(svg).map((t) => t.text);
    expect(strings).toContain('标题 <i>&</i> "引号"');
    for (const label of hostile) expect(strings).toContain(truncateLabel(label, 24));
    expect(strings).toContain('<script>alert("x")</scr…');
    expect(strings).toContain(`Tom & Jerry's "best" <b…`);
    expect(strings).toContain('礼物🎁👨‍👩‍👧‍👦家庭装');
    expect(strings).toContain('line break end');
    expect(strings).toContain(`${'长'.repeat(11)}…`);
    expect(strings).toContain(`${'x'.repeat(23)}…`);
    // The emoji family is kept whole or dropped whole, never split into a lone surrogate.
    expect(strings.join('')).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(strings.some((s) => s.length > 120)).toBe(false);
  });

  it('renders 暂无数据 with the title for a report without rows', () => {
    const svg = renderFunnelChart({ ...REPORT, rows: [], daily: [] });
    const strings = svgTexts(svg).map((t) => t.text);
    expect(strings).toEqual(expect.arrayContaining([REPORT.title, '归因：末次触达', NO_DATA]));
  });

  it('draws a blank label as the row key, and zero counts without failing', () => {
    const rows = [row('a-blank', '   ', 0, { visitors: 0, members: 0, payers: 0, paidFen: 0 }), row('b', '同名', 10), row('c', '同名', 5)];
    const strings = svgTexts(renderFunnelChart({ ...REPORT, rows, daily: [] })).map((t) => t.text);
    expect(strings).toEqual(expect.arrayContaining(['（a-blank）', '同名', '同名 (2)', '¥0.00']));
    expect(strings.join('')).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('refuses amounts that are not whole fen', () => {
    expect(() => renderFunnelChart({ ...REPORT, rows: [row('a', 'x', 12.5)] })).toThrow(RangeError);
    expect(() => renderFunnelChart({ ...REPORT, rows: [row('a', 'x', 1, { visitors: -1 })] })).toThrow(/visitors/);
    expect(() => renderFunnelChart({ ...REPORT, daily: [{ date: 'd', netFenByKey: { a1: Number.NaN } }] })).toThrow(/whole fen/);
  });
});
