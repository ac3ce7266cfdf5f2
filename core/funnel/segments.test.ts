import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, shanghaiDay } from '../points/rules';
import {
  activityOf,
  daysFrom,
  isNewMember,
  lastActiveDayOf,
  lifecycleBounds,
  lifecycleSegmentsOf,
  netPaidFen,
  type Payer,
  RFM_CELLS,
  recencyDaysOf,
  rfmAverages,
  rfmCellOf,
  rfmTotals,
  rfmWindowFrom,
  SEGMENT_LABELS,
  SEGMENTS,
  startOfShanghaiDay,
} from './segments';

const TODAY = '2026-12-03';
const today = fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2024-01-01', n));
const ago = fc.integer({ min: -3, max: 800 });
const payer: fc.Arbitrary<Payer> = fc.record({
  recencyDays: fc.integer({ min: 0, max: 364 }),
  orders: fc.integer({ min: 1, max: 60 }),
  fen: fc.integer({ min: 1, max: 50_000_000 }),
});

describe('lifecycle segments', () => {
  it('new: joined 7 days ago is new, 8 days ago is not', () => {
    expect(isNewMember(TODAY, TODAY)).toBe(true);
    expect(isNewMember(addDays(TODAY, -7), TODAY)).toBe(true);
    expect(isNewMember(addDays(TODAY, -8), TODAY)).toBe(false);
  });

  it('active up to 30 days, dormant 31–90, lapsed from 91', () => {
    const at = (days: number) => activityOf(addDays(TODAY, -days), TODAY);
    expect([0, 30, 31, 90, 91, 400].map(at)).toEqual(['active', 'active', 'dormant', 'dormant', 'lapsed', 'lapsed']);
  });

  it('active, dormant and lapsed partition every member; new comes on top of one of them', () => {
    fc.assert(
      fc.property(today, ago, ago, (day, joinedAgo, activeAgo) => {
        const joined = addDays(day, -joinedAgo);
        const segments = lifecycleSegmentsOf(joined, addDays(day, -activeAgo), day);
        expect(segments.filter((s) => s === 'active' || s === 'dormant' || s === 'lapsed')).toHaveLength(1);
        expect(segments.includes('new')).toBe(joinedAgo <= 7);
        expect(segments[segments.length - 1]).toBe(activeAgo <= 30 ? 'active' : activeAgo <= 90 ? 'dormant' : 'lapsed');
      }),
    );
  });

  it('a new member who has not logged in since joining is active', () => {
    fc.assert(
      fc.property(today, fc.integer({ min: 0, max: 7 }), (day, joinedAgo) => {
        const joined = addDays(day, -joinedAgo);
        expect(lifecycleSegmentsOf(joined, joined, day)).toEqual(['new', 'active']);
      }),
    );
  });

  it('the bounds the queries use say the same as the rule', () => {
    fc.assert(
      fc.property(today, ago, (day, activeAgo) => {
        const last = addDays(day, -activeAgo);
        const bounds = lifecycleBounds(day);
        const byBounds = last >= bounds.activeFrom ? 'active' : last >= bounds.dormantFrom ? 'dormant' : 'lapsed';
        expect(activityOf(last, day)).toBe(byBounds);
        expect(isNewMember(last, day)).toBe(last >= bounds.newFrom);
      }),
    );
  });

  it('last active: the latest login day, else the Shanghai day the member joined', () => {
    expect(lastActiveDayOf({ createdAt: new Date('2026-11-30T16:30:00Z'), loginDay: '2026-12-02' })).toBe('2026-12-02');
    // 00:30 on 12-01 in Shanghai.
    expect(lastActiveDayOf({ createdAt: new Date('2026-11-30T16:30:00Z') })).toBe('2026-12-01');
    expect(lastActiveDayOf({ createdAt: new Date('2026-11-30T16:30:00Z'), loginDay: null })).toBe('2026-12-01');
    expect(startOfShanghaiDay('2026-12-01').toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(shanghaiDay(startOfShanghaiDay('2026-12-01'))).toBe('2026-12-01');
    expect(daysFrom('2026-11-03', TODAY)).toBe(30);
  });
});

describe('paid orders and recency', () => {
  it('counts paid, shipped and completed orders for what is left after refunds; nothing else', () => {
    expect(netPaidFen({ state: 'paid', payable: 9900 })).toBe(9900);
    expect(netPaidFen({ state: 'shipped', payable: 9900, refunded: 4000 })).toBe(5900);
    expect(netPaidFen({ state: 'completed', payable: 9900, refunded: null })).toBe(9900);
    expect(netPaidFen({ state: 'paid', payable: 9900, refunded: 9900 })).toBe(0);
    for (const state of ['reserving', 'created', 'cancelled', 'refunding', 'refunded']) {
      expect(netPaidFen({ state, payable: 9900 }), state).toBe(0);
    }
  });

  it('the window is the 365 days ending today; recency is whole Shanghai days since the last payment', () => {
    expect(rfmWindowFrom(TODAY)).toBe('2025-12-04');
    expect(daysFrom(rfmWindowFrom(TODAY), TODAY)).toBe(364);
    // 23:59 on 12-02 in Shanghai is yesterday; 00:00 on 12-03 is today.
    expect(recencyDaysOf(new Date('2026-12-02T15:59:00Z'), TODAY)).toBe(1);
    expect(recencyDaysOf(new Date('2026-12-02T16:00:00Z'), TODAY)).toBe(0);
    expect(recencyDaysOf(new Date('2026-12-05T00:00:00Z'), TODAY)).toBe(0);
  });
});

describe('RFM cells', () => {
  it('names the eight classic cells', () => {
    expect(RFM_CELLS.map((cell) => SEGMENT_LABELS[cell])).toEqual([
      '重要价值客户',
      '重要发展客户',
      '重要保持客户',
      '重要挽留客户',
      '一般价值客户',
      '一般发展客户',
      '一般保持客户',
      '一般挽留客户',
    ]);
    expect(new Set(SEGMENTS).size).toBe(12);
  });

  it('cuts at the averages, a tie counting as high', () => {
    // Averages: 10 days, 2 orders, 10000 fen.
    const payers: Payer[] = [
      { recencyDays: 5, orders: 3, fen: 15000 },
      { recencyDays: 15, orders: 1, fen: 5000 },
    ];
    const totals = rfmTotals(payers);
    expect(rfmAverages(totals)).toEqual({ payers: 2, recencyDays: 10, orders: 2, fen: 10000 });
    const cell = (recencyDays: number, orders: number, fen: number) => rfmCellOf({ recencyDays, orders, fen }, totals);
    expect(cell(10, 2, 10000)).toBe('important_value');
    expect(cell(10, 1, 10000)).toBe('important_develop');
    expect(cell(11, 2, 10000)).toBe('important_keep');
    expect(cell(11, 1, 10000)).toBe('important_retain');
    expect(cell(0, 2, 9999)).toBe('general_value');
    expect(cell(0, 1, 9999)).toBe('general_develop');
    expect(cell(11, 9, 9999)).toBe('general_keep');
    expect(cell(11, 1, 1)).toBe('general_retain');
    // One payer is at every average: the best cell.
    expect(rfmCellOf(payers[0], rfmTotals([payers[0]]))).toBe('important_value');
  });

  it('every payer is in exactly one cell, and the cells’ members add up to the payers', () => {
    fc.assert(
      fc.property(fc.array(payer, { minLength: 1, maxLength: 40 }), (payers) => {
        const totals = rfmTotals(payers);
        const counts = new Map<string, number>();
        for (const p of payers) {
          const cell = rfmCellOf(p, totals);
          expect(RFM_CELLS).toContain(cell);
          counts.set(cell, (counts.get(cell) ?? 0) + 1);
        }
        expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(payers.length);
      }),
    );
  });

  it('the cell agrees with the averages an operator reads, whatever the rounding', () => {
    fc.assert(
      fc.property(fc.array(payer, { minLength: 1, maxLength: 40 }), (payers) => {
        const totals = rfmTotals(payers);
        for (const p of payers) {
          const cell = rfmCellOf(p, totals);
          expect(cell.startsWith('important')).toBe(p.fen * payers.length >= totals.fen);
          expect(['important_value', 'important_develop', 'general_value', 'general_develop'].includes(cell)).toBe(
            p.recencyDays * payers.length <= totals.recencyDays,
          );
        }
      }),
    );
  });

  it('monotone: paying more never moves a member from M high to M low, nor more orders from F high to F low, nor a later payment from R high to R low (fixed averages)', () => {
    fc.assert(
      fc.property(
        fc.array(payer, { minLength: 1, maxLength: 30 }),
        payer,
        fc.nat(1_000_000),
        fc.nat(20),
        fc.nat(364),
        (others, p, more, extra, sooner) => {
          const totals = rfmTotals(others);
          const before = rfmCellOf(p, totals);
          const richer = rfmCellOf({ ...p, fen: p.fen + more }, totals);
          if (before.startsWith('important')) expect(richer.startsWith('important')).toBe(true);
          const fHigh = (cell: string) => ['important_value', 'important_keep', 'general_value', 'general_keep'].includes(cell);
          if (fHigh(before)) expect(fHigh(rfmCellOf({ ...p, orders: p.orders + extra }, totals))).toBe(true);
          const rHigh = (cell: string) => ['important_value', 'important_develop', 'general_value', 'general_develop'].includes(cell);
          if (rHigh(before)) expect(rHigh(rfmCellOf({ ...p, recencyDays: Math.max(0, p.recencyDays - sooner) }, totals))).toBe(true);
        },
      ),
    );
  });

  it('no payers: averages of zero', () => {
    expect(rfmAverages(rfmTotals([]))).toEqual({ payers: 0, recencyDays: 0, orders: 0, fen: 0 });
  });
});
