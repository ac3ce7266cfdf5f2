import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountFields,
  addLots,
  EMPTY_ACCOUNT,
  earnPoints,
  expirePoints,
  MAX_POINTS_DELTA,
  normalizeAccount,
  nextExpiry,
  type PointLot,
  type PointsAccount,
  spendPoints,
  takeBackPoints,
} from './account';

const DAY = 24 * 60 * 60 * 1000;
/** 2026-12-03 00:00 Asia/Shanghai: day 0 of the generated histories. */
const DAY0 = Date.parse('2026-12-03T00:00:00+08:00');
/** The last moment of Shanghai day `d`, as lots store it. */
const endOfDay = (d: number) => new Date(DAY0 + (d + 1) * DAY - 1);

/** A lot's expiry as a number: a lot that never expires sorts last. */
const timeOf = (lot: Pick<PointLot, 'expiresAt'>) => (lot.expiresAt === null ? Number.POSITIVE_INFINITY : lot.expiresAt.getTime());
const sum = (lots: ReadonlyArray<{ left: number }>) => lots.reduce((total, lot) => total + lot.left, 0);

/**
 * The reference the account is checked against, written without the account's code: points by
 * expiry (Infinity: never), and the ledger as the list of deltas each operation posted.
 */
class Model {
  readonly byExpiry = new Map<number, number>();
  readonly deltas: number[] = [];

  add(lots: ReadonlyArray<PointLot>, delta: number): void {
    for (const lot of lots) this.byExpiry.set(timeOf(lot), (this.byExpiry.get(timeOf(lot)) ?? 0) + lot.left);
    this.deltas.push(delta);
  }

  /** Takes `amount` from the soonest expiries; answers what each gave. */
  take(amount: number): Array<[number, number]> {
    const taken: Array<[number, number]> = [];
    let owed = amount;
    for (const time of [...this.byExpiry.keys()].sort((a, b) => a - b)) {
      if (owed === 0) break;
      const left = this.byExpiry.get(time) as number;
      const take = Math.min(left, owed);
      owed -= take;
      taken.push([time, take]);
      if (take === left) this.byExpiry.delete(time);
      else this.byExpiry.set(time, left - take);
    }
    this.deltas.push(-amount);
    return taken;
  }

  /** Removes everything that expired before `at`; answers what was left of it. */
  expire(at: number): Array<[number, number]> {
    const gone = [...this.byExpiry.entries()].filter(([time]) => time < at).sort(([a], [b]) => a - b);
    for (const [time] of gone) this.byExpiry.delete(time);
    this.deltas.push(-gone.reduce((total, [, left]) => total + left, 0));
    return gone;
  }

  get balance(): number {
    return [...this.byExpiry.values()].reduce((a, b) => a + b, 0);
  }

  lots(): Array<[number, number]> {
    return [...this.byExpiry.entries()].filter(([, left]) => left > 0).sort(([a], [b]) => a - b);
  }
}

const asPairs = (lots: ReadonlyArray<PointLot>) => lots.map((lot): [number, number] => [timeOf(lot), lot.left]);

type Op =
  | { kind: 'earn'; amount: number; inDays: number | null }
  | { kind: 'spend'; amount: number }
  | { kind: 'expire'; days: number; ms: number }
  | { kind: 'takeBack'; owed: number }
  | { kind: 'merge'; lots: Array<{ left: number; inDays: number | null }> }
  | { kind: 'giveBack'; which: number };

const amount = fc.integer({ min: 1, max: 1000 });
// Mostly soon (so that expiries meet the clock often), sometimes far, already past, or never.
const inDays = fc.option(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: -3, max: 40 })), { nil: null, freq: 5 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('earn' as const), amount, inDays }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('spend' as const), amount: fc.integer({ min: 1, max: 2500 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('expire' as const),
      days: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 12 })),
      // Often exactly a lot's last millisecond (a day's end) or the first after it.
      ms: fc.oneof(fc.constantFrom(0, DAY - 1), fc.integer({ min: 0, max: DAY - 1 })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('takeBack' as const), owed: fc.integer({ min: 1, max: 2500 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('merge' as const),
      lots: fc.array(fc.record({ left: amount, inDays }), { minLength: 0, maxLength: 4 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('giveBack' as const), which: fc.nat() }) },
);

/** What must hold after every operation: one balance three ways, never negative, lots sorted, joined and not empty. */
function expectWhole(account: PointsAccount, model: Model): void {
  const deltas = model.deltas.reduce((a, b) => a + b, 0);
  expect({ balance: account.balance, lots: sum(account.lots), deltas }).toEqual({ balance: deltas, lots: deltas, deltas });
  expect(account.balance).toBeGreaterThanOrEqual(0);
  expect(asPairs(account.lots)).toEqual(model.lots());
  for (const lot of account.lots) expect(lot.left).toBeGreaterThan(0);
  for (let i = 1; i < account.lots.length; i += 1) expect(timeOf(account.lots[i - 1])).toBeLessThan(timeOf(account.lots[i]));
}

/** A spend's lots: soonest expiry first, and every lot that expires before the last one it touched is gone. */
function expectSoonestFirst(before: PointsAccount, consumed: PointLot[], after: PointsAccount): void {
  const times = consumed.map(timeOf);
  expect([...times].sort((a, b) => a - b)).toEqual(times);
  const last = times[times.length - 1];
  for (const lot of after.lots) expect(timeOf(lot)).toBeGreaterThanOrEqual(last);
  // Each lot it took from was whole before it, except possibly the last (taken only in part).
  consumed.forEach((lot, i) => {
    const was = before.lots.find((l) => timeOf(l) === timeOf(lot));
    expect(was).toBeDefined();
    if (i < consumed.length - 1) expect(lot.left).toBe(was?.left);
    else expect(lot.left).toBeLessThanOrEqual(was?.left ?? 0);
  });
}

describe('points account: any history of earning, spending, expiry, take-backs, merges and returns', () => {
  it('keeps balance = sum of lots = sum of the ledger deltas, never negative, spending the soonest-expiring first', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        let account: PointsAccount = EMPTY_ACCOUNT;
        const model = new Model();
        /** Each spend's lots, as an exchange keeps them to give back. */
        const spent: PointLot[][] = [];
        let today = 0;
        for (const step of ops) {
          if (step.kind === 'earn') {
            const expiresAt = step.inDays === null ? null : endOfDay(today + step.inDays);
            account = earnPoints(account, step.amount, expiresAt);
            model.add([{ expiresAt, left: step.amount }], step.amount);
          } else if (step.kind === 'spend') {
            const before = account;
            const result = spendPoints(account, step.amount);
            if (step.amount > before.balance) {
              // Short: nothing is spent and nothing posted.
              expect(result).toBeNull();
            } else {
              expect(result).not.toBeNull();
              const { account: after, consumed } = result as NonNullable<typeof result>;
              expect(sum(consumed)).toBe(step.amount);
              expect(asPairs(consumed)).toEqual(model.take(step.amount));
              expectSoonestFirst(before, consumed, after);
              spent.push(consumed);
              account = after;
            }
          } else if (step.kind === 'expire') {
            today += step.days;
            const at = new Date(DAY0 + today * DAY + step.ms);
            const result = expirePoints(account, at);
            const gone = model.expire(at.getTime());
            // What expired is exactly what was left of the lots that ran out, nothing early, nothing late.
            expect(asPairs(result.expired)).toEqual(gone);
            expect(result.total).toBe(gone.reduce((total, [, left]) => total + left, 0));
            for (const lot of result.account.lots) expect(timeOf(lot)).toBeGreaterThanOrEqual(at.getTime());
            account = result.account;
          } else if (step.kind === 'takeBack') {
            const before = account.balance;
            const result = takeBackPoints(account, step.owed);
            expect(result.taken).toBe(Math.min(step.owed, before));
            expect(result.taken + result.unrecovered).toBe(step.owed);
            if (result.taken > 0) {
              expect(asPairs(result.consumed)).toEqual(model.take(result.taken));
              expectSoonestFirst(account, result.consumed, result.account);
            } else {
              expect(result.consumed).toEqual([]);
              model.deltas.push(0);
            }
            account = result.account;
          } else if (step.kind === 'merge') {
            // Another member's account, as it was stored, comes over with its lots.
            const other = normalizeAccount({
              points: sum(step.lots),
              pointLots: step.lots.map((lot) => ({ left: lot.left, expiresAt: lot.inDays === null ? null : endOfDay(today + lot.inDays) })),
            });
            account = addLots(account, other.lots);
            model.add(other.lots, other.balance);
          } else if (spent.length > 0) {
            // An exchange given back: the lots it spent, with the expiries they had (maybe past by now).
            const [lots] = spent.splice(step.which % spent.length, 1);
            account = addLots(account, lots);
            model.add(lots, sum(lots));
          }
          expectWhole(account, model);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives back exactly what was spent: spending then returning the lots restores the account', () => {
    const lots = fc.array(fc.record({ left: amount, inDays }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(lots, fc.integer({ min: 1, max: 6000 }), (stored, want) => {
        const account = normalizeAccount({
          points: sum(stored),
          pointLots: stored.map((lot) => ({ left: lot.left, expiresAt: lot.inDays === null ? null : endOfDay(lot.inDays) })),
        });
        const result = spendPoints(account, Math.min(want, account.balance));
        if (!result) throw new Error('a spend within the balance was refused');
        expect(addLots(result.account, result.consumed)).toEqual(account);
      }),
    );
  });
});

describe('points account: single rules', () => {
  const soon = endOfDay(1);
  const later = endOfDay(9);

  it('spends the lot that expires first, then the next; one that never expires last', () => {
    let account = earnPoints(EMPTY_ACCOUNT, 50, null);
    account = earnPoints(account, 30, later);
    account = earnPoints(account, 20, soon);
    const spent = spendPoints(account, 40);
    expect(spent?.consumed).toEqual([
      { expiresAt: soon, left: 20 },
      { expiresAt: later, left: 20 },
    ]);
    expect(spent?.account).toEqual({
      balance: 60,
      lots: [
        { expiresAt: later, left: 10 },
        { expiresAt: null, left: 50 },
      ],
    });
  });

  it('refuses a spend over the balance and changes nothing', () => {
    const account = earnPoints(EMPTY_ACCOUNT, 10, soon);
    expect(spendPoints(account, 11)).toBeNull();
    expect(account).toEqual({ balance: 10, lots: [{ expiresAt: soon, left: 10 }] });
  });

  it('takes back what is there and forgives the rest', () => {
    const account = earnPoints(EMPTY_ACCOUNT, 30, soon);
    expect(takeBackPoints(account, 50)).toMatchObject({ taken: 30, unrecovered: 20, account: { balance: 0, lots: [] } });
    expect(takeBackPoints(EMPTY_ACCOUNT, 5)).toEqual({ account: EMPTY_ACCOUNT, consumed: [], taken: 0, unrecovered: 5 });
  });

  it('expires a lot only after its last millisecond', () => {
    const account = earnPoints(EMPTY_ACCOUNT, 30, soon);
    expect(expirePoints(account, soon).total).toBe(0);
    expect(expirePoints(account, new Date(soon.getTime() + 1))).toEqual({
      account: { balance: 0, lots: [] },
      expired: [{ expiresAt: soon, left: 30 }],
      total: 30,
    });
  });

  it('refuses amounts that are not whole, not positive or too large', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, MAX_POINTS_DELTA + 1]) {
      expect(() => earnPoints(EMPTY_ACCOUNT, bad, null)).toThrow(RangeError);
      expect(() => spendPoints(EMPTY_ACCOUNT, bad)).toThrow(RangeError);
      expect(() => takeBackPoints(EMPTY_ACCOUNT, bad)).toThrow(RangeError);
    }
  });

  it('reads a stored account whole: a balance from before lots is one lot that never expires; equal expiries join', () => {
    expect(normalizeAccount({ points: 40 })).toEqual({ balance: 40, lots: [{ expiresAt: null, left: 40 }] });
    expect(normalizeAccount({})).toEqual(EMPTY_ACCOUNT);
    expect(
      normalizeAccount({
        points: 35,
        pointLots: [
          { expiresAt: later, left: 10 },
          { expiresAt: soon, left: 0 },
          { expiresAt: new Date(later.getTime()), left: 15 },
          { expiresAt: soon, left: 10 },
        ],
      }),
    ).toEqual({
      balance: 35,
      lots: [
        { expiresAt: soon, left: 10 },
        { expiresAt: later, left: 25 },
      ],
    });
  });

  it('stores the soonest expiry and resets its notice only when that expiry moves', () => {
    const account = earnPoints(earnPoints(EMPTY_ACCOUNT, 10, later), 5, null);
    expect(nextExpiry(account)).toEqual({ expiresAt: later, left: 10 });
    expect(accountFields({ pointsNextExpiry: later, pointsNextNoticed: true }, account)).toMatchObject({
      points: 15,
      pointsNextExpiry: later,
      pointsNextNoticed: true,
    });
    const sooner = earnPoints(account, 1, soon);
    expect(accountFields({ pointsNextExpiry: later, pointsNextNoticed: true }, sooner)).toMatchObject({
      pointsNextExpiry: soon,
      pointsNextNoticed: false,
    });
    expect(accountFields({}, earnPoints(EMPTY_ACCOUNT, 3, null))).toMatchObject({ pointsNextExpiry: null, pointsNextNoticed: false });
  });
});
