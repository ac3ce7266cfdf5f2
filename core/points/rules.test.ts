import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mergePointsDay,
  addDays,
  cappedAward,
  DEFAULT_POINTS_RULES,
  describeRules,
  expiryOf,
  INVITE_WINDOW_MS,
  inviterOf,
  pointsOwedForRefund,
  purchasePoints,
  shanghaiDay,
} from './rules';

const at = (iso: string) => new Date(iso);

describe('shanghaiDay and addDays', () => {
  it('reads the day in Asia/Shanghai, whatever the UTC date', () => {
    expect(shanghaiDay(at('2026-12-31T15:59:59.999Z'))).toBe('2026-12-31');
    expect(shanghaiDay(at('2026-12-31T16:00:00.000Z'))).toBe('2027-01-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
  });
});

describe('expiryOf', () => {
  it('never: null', () => {
    expect(expiryOf({ mode: 'never' }, at('2026-12-03T02:00:00Z'))).toBeNull();
  });

  it('days: the last millisecond of the Nth Shanghai day after the day earned', () => {
    // 2026-12-04 01:00 in Shanghai, though still the 3rd in UTC.
    expect(expiryOf({ mode: 'days', days: 1 }, at('2026-12-03T17:00:00Z'))).toEqual(at('2026-12-05T23:59:59.999+08:00'));
    expect(expiryOf({ mode: 'days', days: 30 }, at('2026-12-03T02:00:00Z'))).toEqual(at('2027-01-02T23:59:59.999+08:00'));
  });

  it('next_year_end: 31 December of the year after the Shanghai year earned, also across a year boundary', () => {
    expect(expiryOf({ mode: 'next_year_end' }, at('2026-01-01T00:00:00+08:00'))).toEqual(at('2027-12-31T23:59:59.999+08:00'));
    expect(expiryOf({ mode: 'next_year_end' }, at('2026-12-31T23:59:59.999+08:00'))).toEqual(at('2027-12-31T23:59:59.999+08:00'));
    // 2026-12-31 16:30 UTC is already 2027-01-01 in Shanghai: the points last through 2028.
    expect(expiryOf({ mode: 'next_year_end' }, at('2026-12-31T16:30:00Z'))).toEqual(at('2028-12-31T23:59:59.999+08:00'));
  });

  it('never expires before the day earned is over, and days mode lasts exactly N more days', () => {
    const moment = fc.date({ min: at('2025-01-01T00:00:00Z'), max: at('2035-01-01T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(moment, fc.integer({ min: 1, max: 3660 }), (earned, days) => {
        const byDays = expiryOf({ mode: 'days', days }, earned) as Date;
        expect(shanghaiDay(byDays)).toBe(addDays(shanghaiDay(earned), days));
        expect(shanghaiDay(new Date(byDays.getTime() + 1))).toBe(addDays(shanghaiDay(earned), days + 1));
        const byYear = expiryOf({ mode: 'next_year_end' }, earned) as Date;
        expect(shanghaiDay(byYear)).toBe(`${Number(shanghaiDay(earned).slice(0, 4)) + 1}-12-31`);
        expect(shanghaiDay(new Date(byYear.getTime() + 1))).toBe(`${Number(shanghaiDay(earned).slice(0, 4)) + 2}-01-01`);
      }),
    );
  });
});

describe('purchasePoints', () => {
  it('whole yuan times the rate; nothing for under a yuan or a negative amount', () => {
    const rules = { ...DEFAULT_POINTS_RULES, purchase: { pointsPerYuan: 2, dailyCap: 5000 } };
    expect(purchasePoints(rules, 12_345)).toBe(246);
    expect(purchasePoints(rules, 99)).toBe(0);
    expect(purchasePoints(rules, -500)).toBe(0);
  });
});

describe('pointsOwedForRefund', () => {
  it('a whole refund takes back all that was earned; a partial one its share, floored', () => {
    expect(pointsOwedForRefund(123, 12_345, 12_345, 0)).toBe(123);
    expect(pointsOwedForRefund(123, 12_345, 99_999, 0)).toBe(123);
    expect(pointsOwedForRefund(100, 10_000, 2_550, 0)).toBe(25);
  });

  it('nothing when nothing was earned or paid, and never more than what is still owed', () => {
    expect(pointsOwedForRefund(0, 10_000, 10_000, 0)).toBe(0);
    expect(pointsOwedForRefund(100, 0, 10_000, 0)).toBe(0);
    expect(pointsOwedForRefund(100, 10_000, 10_000, 80)).toBe(20);
    expect(pointsOwedForRefund(100, 10_000, 10_000, 120)).toBe(0);
  });

  it('refunds of an order in any amounts never take back more than it earned, each at least 0', () => {
    const order = fc
      .record({
        paid: fc.integer({ min: 1, max: 1_000_000 }),
        rate: fc.integer({ min: 0, max: 100 }),
        cuts: fc.array(fc.nat(), { maxLength: 8 }),
      })
      .map(({ paid, rate, cuts }) => {
        // Refund amounts that add up to at most what was paid.
        let left = paid;
        const refunds = cuts.map((cut) => {
          const fee = Math.min(left, (cut % paid) + 1);
          left -= fee;
          return fee;
        });
        return { paid, earned: Math.floor(paid / 100) * rate, refunds: refunds.filter((fee) => fee > 0) };
      });
    fc.assert(
      fc.property(order, ({ paid, earned, refunds }) => {
        let owed = 0;
        for (const fee of refunds) {
          const now = pointsOwedForRefund(earned, paid, fee, owed);
          expect(now).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(now)).toBe(true);
          owed += now;
        }
        expect(owed).toBeLessThanOrEqual(earned);
      }),
    );
  });
});

describe('pointsOwedForRefund over an order’s refunds in the order they were made', () => {
  /** The order's refunds taken back in `settled` order, each starting where the refunds made before it end. */
  function takeBack(earned: number, paid: number, fees: number[], settled: number[]): number[] {
    const before = fees.map((_, i) => fees.slice(0, i).reduce((a, b) => a + b, 0));
    const takes = new Array<number>(fees.length).fill(0);
    let owed = 0;
    for (const i of settled) {
      takes[i] = pointsOwedForRefund(earned, paid, fees[i], owed, before[i]);
      owed += takes[i];
    }
    return takes;
  }

  it('two unit refunds then the rest of 3 × ¥12.34 (37 points) take 12, 12 and 13, whichever settles first', () => {
    for (const settled of [
      [0, 1, 2],
      [2, 0, 1],
      [1, 2, 0],
    ]) {
      expect(takeBack(37, 3702, [1234, 1234, 1234], settled)).toEqual([12, 12, 13]);
    }
  });

  it('refunds of everything paid take back exactly what was earned; refunds of part, that part floored', () => {
    const order = fc
      .record({
        paid: fc.integer({ min: 1, max: 1_000_000 }),
        rate: fc.integer({ min: 0, max: 100 }),
        cuts: fc.uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        whole: fc.boolean(),
        seed: fc.nat(),
      })
      .map(({ paid, rate, cuts, whole, seed }) => {
        // Cut points in (0, paid) split what is refunded into refunds of at least a fen.
        const marks = [...new Set(cuts.map((c) => Math.floor(c * paid)).filter((m) => m > 0 && m < paid))].sort((a, b) => a - b);
        const end = whole ? paid : (marks.pop() ?? 0);
        const bounds = [0, ...marks.filter((m) => m < end), end];
        const fees = bounds
          .slice(1)
          .map((b, i) => b - bounds[i])
          .filter((fee) => fee > 0);
        // Settled in an order of their own.
        const settled = fees.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13));
        return { paid, earned: Math.floor(paid / 100) * rate, fees, settled };
      });
    fc.assert(
      fc.property(order, ({ paid, earned, fees, settled }) => {
        const takes = takeBack(earned, paid, fees, settled);
        for (const take of takes) expect(take).toBeGreaterThanOrEqual(0);
        const refunded = fees.reduce((a, b) => a + b, 0);
        const total = takes.reduce((a, b) => a + b, 0);
        expect(total).toBe(refunded >= paid ? earned : Math.floor((earned * refunded) / paid));
      }),
    );
  });
});

describe('cappedAward', () => {
  it('the whole award, the part the daily cap still allows, or nothing', () => {
    expect(cappedAward(100, 0, 500)).toBe(100);
    expect(cappedAward(100, 450, 500)).toBe(50);
    expect(cappedAward(100, 500, 500)).toBe(0);
    expect(cappedAward(100, 600, 500)).toBe(0);
    expect(cappedAward(100, 0, 0)).toBe(0);
  });

  it('awards over a day never add up past the cap', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 })), fc.integer({ min: 0, max: 5000 }), (awards, cap) => {
        let today = 0;
        for (const award of awards) {
          const given = cappedAward(award, today, cap);
          expect(given).toBeGreaterThanOrEqual(0);
          expect(given).toBeLessThanOrEqual(award);
          today += given;
        }
        expect(today).toBe(
          Math.min(
            cap,
            awards.reduce((a, b) => a + b, 0),
          ),
        );
      }),
    );
  });
});

describe('inviterOf', () => {
  const now = at('2026-12-03T02:00:00Z');
  const fresh = { _id: 'm-bob', createdAt: new Date(now.getTime() - 60_000) };

  it('is the sharer of a new member’s first arrival', () => {
    expect(inviterOf(fresh, { sharer: 'm-alice' }, now)).toBe('m-alice');
    expect(inviterOf({ ...fresh, createdAt: new Date(now.getTime() - INVITE_WINDOW_MS) }, { sharer: 'm-alice' }, now)).toBe('m-alice');
  });

  it('is nobody for a member older than a day, a second arrival, a self-share or an arrival without a sharer', () => {
    expect(inviterOf({ ...fresh, createdAt: new Date(now.getTime() - INVITE_WINDOW_MS - 1) }, { sharer: 'm-alice' }, now)).toBeNull();
    expect(inviterOf({ ...fresh, firstTouch: { channel: 'article' } }, { sharer: 'm-alice' }, now)).toBeNull();
    expect(inviterOf(fresh, { sharer: 'm-bob' }, now)).toBeNull();
    expect(inviterOf(fresh, {}, now)).toBeNull();
    expect(inviterOf(fresh, null, now)).toBeNull();
  });
});

describe('describeRules', () => {
  it('says each rule that is on, and how points expire', () => {
    const lines = describeRules({ ...DEFAULT_POINTS_RULES, follow: { points: 0 }, expiry: { mode: 'days', days: 365 } });
    expect(lines.some((line) => line.includes('关注公众号'))).toBe(false);
    expect(lines).toContain('积分自获得之日起 365 天内有效');
    expect(lines[0]).toContain('公众号发送“签到”同样有效');
  });
});

describe("mergePointsDay: one person's capped earnings today", () => {
  it('adds the same day rule by rule, keeps the later day otherwise, and leaves a side without counters alone', () => {
    const into = { day: '2026-12-03', order: 300, invite: 100 };
    expect(mergePointsDay(into, { day: '2026-12-03', order: 50 })).toEqual({ day: '2026-12-03', order: 350, invite: 100 });
    expect(mergePointsDay(into, { day: '2026-12-02', order: 50 })).toBe(into);
    expect(mergePointsDay(into, { day: '2026-12-04', invite: 5 })).toEqual({ day: '2026-12-04', invite: 5 });
    expect(mergePointsDay(into, null)).toBe(into);
    expect(mergePointsDay(undefined, { day: '2026-12-03', order: 1 })).toEqual({ day: '2026-12-03', order: 1 });
  });

  it('adds any two counters of one day exactly, so the cap counts both members (property)', () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.nat(5000), (a, b) => {
        const merged = mergePointsDay({ day: '2026-12-03', order: a }, { day: '2026-12-03', order: b });
        expect(merged?.order).toBe(a + b);
      }),
    );
  });
});
