import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, formatMoney, formatRate, formatYuan, OTHER_KEY, rankRows, truncateLabel } from './funnel-report';

describe('money and rates from integers', () => {
  it('formats fen as yuan with two decimals, signs and grouping', () => {
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(-5)).toBe('-0.05');
    expect(formatYuan(123456789)).toBe('1234567.89');
    expect(formatYuan(123456789, { grouping: true })).toBe('1,234,567.89');
    expect(formatYuan(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
    expect(formatMoney(-123400)).toBe('-¥1,234.00');
    expect(formatMoney(1)).toBe('¥0.01');
  });

  it('reads back to the same fen for any integer', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), (fen) => {
        const text = formatYuan(fen);
        expect(text).toMatch(/^-?\d+\.\d{2}$/);
        expect(BigInt(text.replace('.', ''))).toBe(fen);
      }),
    );
  });

  it('gives a percentage with one decimal, and — for a zero base', () => {
    expect(formatRate(1, 3)).toBe('33.3%');
    expect(formatRate(2, 3)).toBe('66.7%');
    expect(formatRate(1, 8)).toBe('12.5%');
    expect(formatRate(0, 5)).toBe('0.0%');
    expect(formatRate(5, 5)).toBe('100.0%');
    expect(formatRate(7, 5)).toBe('140.0%');
    expect(formatRate(0, 0)).toBe('—');
    expect(formatRate(3, 0)).toBe('—');
  });
});

describe('labels', () => {
  it('counts a Chinese character or an emoji as two columns and cuts on graphemes', () => {
    expect(truncateLabel('门店探访', 8)).toBe('门店探访');
    expect(truncateLabel('门店探访之旅', 8)).toBe('门店探…');
    expect(truncateLabel('abcdefghij', 8)).toBe('abcdefg…');
    expect(truncateLabel('ab👨‍👩‍👧‍👦cd', 4)).toBe('ab…');
    expect(truncateLabel('  two\n\tlines  ', 20)).toBe('two lines');
    expect(truncateLabel('x'.repeat(60_000), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('drops what XML cannot hold', () => {
    expect(cleanText('a\u0000b\u0008c\uD800d\uFFFEe\tf')).toBe('abcde\tf');
    expect(cleanText('🎁')).toBe('🎁');
  });
});

describe('rankRows', () => {
  const row = (key: string, netFen: number) => ({
    key,
    label: key,
    visitors: 1,
    members: 1,
    payers: 1,
    paidFen: netFen,
    refundedFen: 0,
    netFen,
  });

  it('keeps the top N by net (ties in input order) and sums the rest into 其他', () => {
    const ranked = rankRows([row('a', 5), row('b', 9), row('c', 5), row('d', -3), row('e', 1)], 2);
    expect(ranked.top.map((r) => r.key)).toEqual(['b', 'a']);
    expect(ranked.other).toEqual({
      key: OTHER_KEY,
      label: '其他（3 项）',
      visitors: 3,
      members: 3,
      payers: 3,
      paidFen: 3,
      refundedFen: 0,
      netFen: 3,
    });
    expect([...ranked.otherKeys]).toEqual(['c', 'e', 'd']);
    expect(rankRows([row('a', 1)], 10).other).toBeNull();
  });
});
