import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TemplateState } from './coupon';
import {
  COUPON_STATE_LABELS,
  describeScope,
  describeTerms,
  describeValidity,
  shanghaiDate,
  shanghaiDateTime,
  TEMPLATE_STATE_LABELS,
  yuan,
} from './labels';

const t = (iso: string) => new Date(iso);

describe('yuan', () => {
  it('shows yuan without trailing zeros, as WeChat coupons do', () => {
    expect(yuan(0)).toBe('0');
    expect(yuan(1)).toBe('0.01');
    expect(yuan(5)).toBe('0.05');
    expect(yuan(10)).toBe('0.1');
    expect(yuan(50)).toBe('0.5');
    expect(yuan(99)).toBe('0.99');
    expect(yuan(100)).toBe('1');
    expect(yuan(500)).toBe('5');
    expect(yuan(505)).toBe('5.05');
    expect(yuan(550)).toBe('5.5');
    expect(yuan(9900)).toBe('99');
    expect(yuan(1_000_000)).toBe('10000');
  });

  it('reads back to the same fen, with no trailing zero and no bare "."', () => {
    // Up to ¥10 billion: far above any amount a template accepts, and well within what a double
    // parses back to the fen (the round trip itself, not yuan(), would lose precision near 2^53).
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000_000 }), (fen) => {
        const text = yuan(fen);
        expect(text).toMatch(/^(0|[1-9]\d*)(\.\d?[1-9])?$/);
        expect(Math.round(Number.parseFloat(text) * 100)).toBe(fen);
      }),
    );
  });
});

describe('describeTerms', () => {
  it('shows 满减 as 满99减20元', () => {
    expect(describeTerms({ kind: 'threshold_off', threshold: 9900, amountOff: 2000 })).toEqual({
      value: '¥20',
      condition: '满99可用',
      summary: '满99减20元',
    });
    expect(describeTerms({ kind: 'threshold_off', threshold: 9950, amountOff: 1005 }).summary).toBe('满99.5减10.05元');
  });

  it('shows 15% off as 8.5折 with its cap', () => {
    expect(describeTerms({ kind: 'percent_off', percentOff: 15, cap: 3000 })).toEqual({
      value: '8.5折',
      condition: '最高减30元',
      summary: '8.5折，最高减30元',
    });
    expect(describeTerms({ kind: 'percent_off', percentOff: 50, cap: 550 }).value).toBe('5折');
    expect(describeTerms({ kind: 'percent_off', percentOff: 1, cap: 100 }).value).toBe('9.9折');
    expect(describeTerms({ kind: 'percent_off', percentOff: 99, cap: 100 }).value).toBe('0.1折');
    expect(describeTerms({ kind: 'percent_off', percentOff: 20, cap: 2050 }).condition).toBe('最高减20.5元');
  });

  it('shows every percent 1–99 as ten minus a tenth of it, with at most one decimal', () => {
    for (let percentOff = 1; percentOff <= 99; percentOff++) {
      const { value } = describeTerms({ kind: 'percent_off', percentOff, cap: 100 });
      expect(value).toMatch(/^\d(\.\d)?折$/);
      expect(Math.round(Number.parseFloat(value) * 10)).toBe(100 - percentOff);
    }
  });

  it('shows 无门槛 as 无门槛减5元', () => {
    expect(describeTerms({ kind: 'no_threshold', amountOff: 500 })).toEqual({ value: '¥5', condition: '无门槛', summary: '无门槛减5元' });
  });

  it('shows 立减 as 立减N元', () => {
    expect(describeTerms({ kind: 'amount_off', amountOff: 1050 })).toEqual({ value: '¥10.5', condition: '立减', summary: '立减10.5元' });
  });
});

describe('describeScope', () => {
  it('tells all products from listed ones', () => {
    expect(describeScope('all')).toBe('全场通用');
    expect(describeScope({ all: true })).toBe('全场通用');
    expect(describeScope({ all: false })).toBe('指定商品可用');
    expect(describeScope({ productIds: ['p1'] })).toBe('指定商品可用');
  });
});

describe('shanghaiDate', () => {
  const now = t('2026-12-03T02:00:00Z');

  it('turns the day at Shanghai midnight, not UTC midnight', () => {
    expect(shanghaiDate(t('2026-12-31T15:59:59.999Z'), now)).toBe('12月31日');
    expect(shanghaiDate(t('2026-12-31T16:00:00.000Z'), now)).toBe('2027年1月1日');
    expect(shanghaiDate('2026-12-31T15:59:59.999Z')).toBe('12月31日');
    expect(shanghaiDate('2026-12-31T16:00:00Z')).toBe('1月1日');
    // 00:30 UTC on Mar 1 is 08:30 the same day in Shanghai; 20:00 UTC on Feb 28 is already Mar 1 there.
    expect(shanghaiDate('2027-03-01T00:30:00Z')).toBe('3月1日');
    expect(shanghaiDate('2027-02-28T20:00:00Z')).toBe('3月1日');
  });

  it("shows the year only when it is not now's year, on the Shanghai calendar", () => {
    expect(shanghaiDate('2026-01-01T00:00:00+08:00', now)).toBe('1月1日');
    expect(shanghaiDate('2025-12-31T23:59:59.999+08:00', now)).toBe('2025年12月31日');
    expect(shanghaiDate('2030-12-31T00:00:00+08:00', now)).toBe('2030年12月31日');
    // Now is 00:00 Jan 1 2027 in Shanghai (still 2026 in UTC): a date of 2027 needs no year, one of 2026 does.
    const newYear = t('2026-12-31T16:00:00Z');
    expect(shanghaiDate('2027-01-08T15:59:59.999Z', newYear)).toBe('1月8日');
    expect(shanghaiDate('2026-12-31T15:59:59.999Z', newYear)).toBe('2026年12月31日');
    // One millisecond before, it is still 2026 in Shanghai.
    const eve = t('2026-12-31T15:59:59.999Z');
    expect(shanghaiDate('2027-01-08T15:59:59.999Z', eve)).toBe('2027年1月8日');
    expect(shanghaiDate('2026-12-31T15:59:59.999Z', eve)).toBe('12月31日');
  });
});

describe('shanghaiDateTime', () => {
  it('shows the Shanghai wall clock to the minute', () => {
    expect(shanghaiDateTime('2026-12-31T15:59:59.999Z')).toBe('2026-12-31 23:59');
    expect(shanghaiDateTime(t('2026-12-31T16:00:00Z'))).toBe('2027-01-01 00:00');
    expect(shanghaiDateTime('2027-03-01T09:05:00+08:00')).toBe('2027-03-01 09:05');
    expect(shanghaiDateTime('2028-02-28T16:00:00Z')).toBe('2028-02-29 00:00');
  });
});

describe('describeValidity', () => {
  const now = t('2026-12-03T02:00:00Z');

  it('says how many days after the claim', () => {
    expect(describeValidity({ type: 'days_after_claim', days: 7 })).toBe('领取后7天内有效');
    expect(describeValidity({ type: 'days_after_claim', days: 1 }, now)).toBe('领取后1天内有效');
  });

  it('names the last day of a fixed window on the Shanghai calendar, with the year when not this one', () => {
    const validity = { type: 'fixed' as const, startsAt: '2026-12-01T00:00:00+08:00', endsAt: '2026-12-31T23:59:59.999+08:00' };
    expect(describeValidity(validity, now)).toBe('有效期至12月31日');
    expect(describeValidity({ ...validity, endsAt: '2027-01-31T15:59:59.999Z' }, now)).toBe('有效期至2027年1月31日');
    expect(describeValidity({ ...validity, endsAt: '2027-01-31T15:59:59.999Z' })).toBe('有效期至1月31日');
  });
});

describe('state labels', () => {
  it('has a distinct button for every template state and a label for every coupon state', () => {
    const states: TemplateState[] = ['available', 'claimed', 'sold_out', 'not_started', 'ended', 'not_eligible', 'paused'];
    expect(Object.keys(TEMPLATE_STATE_LABELS).sort()).toEqual([...states].sort());
    expect(new Set(Object.values(TEMPLATE_STATE_LABELS)).size).toBe(states.length);
    expect(TEMPLATE_STATE_LABELS).toMatchObject({ available: '立即领取', claimed: '已领取', sold_out: '已抢光', not_started: '未开始' });
    expect(TEMPLATE_STATE_LABELS).toMatchObject({ ended: '已结束', not_eligible: '不符合条件' });
    expect(Object.keys(COUPON_STATE_LABELS).sort()).toEqual(['expired', 'locked', 'usable', 'used']);
    expect(new Set(Object.values(COUPON_STATE_LABELS)).size).toBe(4);
  });
});
