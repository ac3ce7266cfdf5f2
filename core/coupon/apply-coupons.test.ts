import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DuetError } from '../errors';
import { applyCoupons, type CartLine, INAPPLICABLE_MESSAGES, type MemberCoupon } from './apply-coupons';
import type { CouponTerms, ProductScope } from './template';

const t = (iso: string) => new Date(iso);
const now = t('2030-01-15T12:00:00+08:00');
const validity = { startsAt: t('2030-01-01T00:00:00+08:00'), endsAt: t('2030-01-31T23:59:59.999+08:00') };

function coupon(id: string, terms: CouponTerms, extra: Partial<MemberCoupon> = {}): MemberCoupon {
  return { id, terms, scope: 'all', validity, state: 'usable', ...extra };
}

const cart: CartLine[] = [
  { productId: 'tea', unitPrice: 3_000, quantity: 2 },
  { productId: 'cup', unitPrice: 4_000, quantity: 1 },
];

describe('applyCoupons', () => {
  it('prices each kind of coupon on the eligible subtotal', () => {
    const options = applyCoupons(
      cart,
      [
        coupon('amount', { kind: 'amount_off', amountOff: 500 }),
        coupon('free', { kind: 'no_threshold', amountOff: 800 }),
        coupon('full', { kind: 'threshold_off', threshold: 10_000, amountOff: 1_500 }),
        coupon('pct', { kind: 'percent_off', percentOff: 15, cap: 5_000 }),
        coupon('pct-capped', { kind: 'percent_off', percentOff: 50, cap: 1_200 }),
      ],
      now,
    );
    expect(options.applicable.map((c) => [c.couponId, c.discount])).toEqual([
      ['full', 1_500],
      ['pct', 1_500],
      ['pct-capped', 1_200],
      ['free', 800],
      ['amount', 500],
    ]);
    expect(options.best?.couponId).toBe('full');
    expect(options.inapplicable).toEqual([]);
  });

  it('honours the 满减 threshold and says how much is missing', () => {
    const options = applyCoupons(cart, [coupon('full', { kind: 'threshold_off', threshold: 10_001, amountOff: 1_500 })], now);
    expect(options.best).toBeNull();
    expect(options.inapplicable).toEqual([{ couponId: 'full', reason: 'below_threshold', shortBy: 1 }]);
  });

  it('counts only in-scope lines and gives out-of-scope lines nothing', () => {
    const scope: ProductScope = { productIds: ['cup'] };
    const options = applyCoupons(
      cart,
      [
        coupon('cup-only', { kind: 'threshold_off', threshold: 5_000, amountOff: 1_000 }, { scope }),
        coupon('cup-pct', { kind: 'percent_off', percentOff: 10, cap: 9_999 }, { scope }),
        coupon('mug-only', { kind: 'amount_off', amountOff: 100 }, { scope: { productIds: ['mug'] } }),
      ],
      now,
    );
    expect(options.applicable.map((c) => [c.couponId, c.discount, c.eligibleSubtotal])).toEqual([['cup-pct', 400, 4_000]]);
    expect(options.best?.allocations.map((a) => a.discount)).toEqual([0, 400]);
    expect(options.inapplicable).toEqual([
      { couponId: 'cup-only', reason: 'below_threshold', shortBy: 1_000 },
      { couponId: 'mug-only', reason: 'out_of_scope' },
    ]);
  });

  it('never discounts more than the eligible subtotal', () => {
    const options = applyCoupons(
      [{ productId: 'tea', unitPrice: 300, quantity: 1 }],
      [coupon('big', { kind: 'no_threshold', amountOff: 5_000 })],
      now,
    );
    expect(options.best).toMatchObject({ discount: 300, allocations: [{ discount: 300, payable: 0 }] });
  });

  it('rounds percent discounts down to the fen and skips coupons worth nothing', () => {
    const one = [{ productId: 'sweet', unitPrice: 199, quantity: 1 }];
    expect(applyCoupons(one, [coupon('pct', { kind: 'percent_off', percentOff: 15, cap: 100 })], now).best?.discount).toBe(29);
    const free = [{ productId: 'gift', unitPrice: 0, quantity: 1 }];
    expect(applyCoupons(free, [coupon('pct', { kind: 'percent_off', percentOff: 15, cap: 100 })], now).inapplicable).toEqual([
      { couponId: 'pct', reason: 'no_discount' },
    ]);
    const tiny = [{ productId: 'sweet', unitPrice: 5, quantity: 1 }];
    expect(applyCoupons(tiny, [coupon('pct', { kind: 'percent_off', percentOff: 15, cap: 100 })], now).inapplicable[0].reason).toBe(
      'no_discount',
    );
  });

  it('leaves out used, locked, expired, not yet valid and malformed coupons', () => {
    const terms: CouponTerms = { kind: 'amount_off', amountOff: 100 };
    const options = applyCoupons(
      cart,
      [
        coupon('used', terms, { state: 'used' }),
        coupon('locked', terms, { state: 'locked' }),
        coupon('marked', terms, { state: 'expired' }),
        coupon('late', terms, { validity: { startsAt: validity.startsAt, endsAt: t('2030-01-15T11:59:59.999+08:00') } }),
        coupon('early', terms, { validity: { startsAt: t('2030-01-15T12:00:00.001+08:00'), endsAt: validity.endsAt } }),
        coupon('broken', { kind: 'amount_off', amountOff: -100 }),
        coupon('broken-scope', terms, { scope: { productIds: 'tea' } as unknown as ProductScope }),
        coupon('edge', terms, { validity: { startsAt: now, endsAt: now } }),
      ],
      now,
    );
    expect(options.applicable.map((c) => c.couponId)).toEqual(['edge']);
    expect(options.inapplicable.map((c) => [c.couponId, c.reason])).toEqual([
      ['broken', 'invalid'],
      ['broken-scope', 'invalid'],
      ['early', 'not_yet_valid'],
      ['late', 'expired'],
      ['locked', 'locked'],
      ['marked', 'expired'],
      ['used', 'used'],
    ]);
  });

  it('breaks ties by the coupon expiring first, then by id', () => {
    const terms: CouponTerms = { kind: 'amount_off', amountOff: 500 };
    const soon = { startsAt: validity.startsAt, endsAt: t('2030-01-20T23:59:59.999+08:00') };
    const options = applyCoupons(cart, [coupon('b', terms), coupon('c', terms, { validity: soon }), coupon('a', terms)], now);
    expect(options.applicable.map((c) => c.couponId)).toEqual(['c', 'a', 'b']);
  });

  it('spreads the discount in proportion, the leftover fen to the largest remainders', () => {
    const lines = [
      { productId: 'a', unitPrice: 1, quantity: 1 },
      { productId: 'b', unitPrice: 1, quantity: 1 },
      { productId: 'c', unitPrice: 1, quantity: 1 },
    ];
    // 2 fen over three 1-fen lines: one fen each to two lines, never 2 fen on one (it would go negative).
    const best = applyCoupons(lines, [coupon('x', { kind: 'no_threshold', amountOff: 2 })], now).best!;
    expect(best.allocations.map((a) => a.discount)).toEqual([0, 1, 1]);
    const uneven = applyCoupons(cart, [coupon('y', { kind: 'no_threshold', amountOff: 1_001 })], now).best!;
    // 1001 × 6000/10000 = 600.6, 1001 × 4000/10000 = 400.4: the leftover fen goes to the tea.
    expect(uneven.allocations.map((a) => [a.discount, a.payable])).toEqual([
      [601, 5_399],
      [400, 3_600],
    ]);
  });

  it('stays exact at the largest cart and coupon it accepts', () => {
    const lines = [
      { productId: 'a', unitPrice: 4_499_999_999, quantity: 1 },
      { productId: 'b', unitPrice: 4_500_000_001, quantity: 1 },
    ];
    const best = applyCoupons(lines, [coupon('max', { kind: 'no_threshold', amountOff: 1_000_000 })], now).best!;
    expect(best.allocations.map((a) => a.discount)).toEqual([500_000, 500_000]);
    const odd = applyCoupons(lines, [coupon('odd', { kind: 'no_threshold', amountOff: 999_999 })], now).best!;
    expect(odd.allocations.reduce((sum, a) => sum + a.discount, 0)).toBe(999_999);
    expect(odd.allocations.map((a) => a.discount)).toEqual([499_999, 500_000]);
  });

  it('refuses a malformed cart and duplicate coupon ids', () => {
    const terms: CouponTerms = { kind: 'amount_off', amountOff: 1 };
    for (const line of [
      { productId: '', unitPrice: 1, quantity: 1 },
      { productId: 'a', unitPrice: 1.5, quantity: 1 },
      { productId: 'a', unitPrice: -1, quantity: 1 },
      { productId: 'a', unitPrice: 1, quantity: 0 },
      { productId: 'a', unitPrice: Number.NaN, quantity: 1 },
      { productId: 'a', unitPrice: 9_000_000_000, quantity: 2 },
    ]) {
      expect(() => applyCoupons([line], [], now)).toThrow(DuetError);
    }
    expect(() => applyCoupons(cart, [coupon('a', terms), coupon('a', terms)], now)).toThrow(/twice/);
  });

  it('has a Chinese message for every reason', () => {
    for (const message of Object.values(INAPPLICABLE_MESSAGES)) expect(message).toMatch(/[\u4e00-\u9fa5]/);
  });
});

const lineArb = fc.record({
  productId: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5'),
  unitPrice: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 1_000_000 })),
  quantity: fc.integer({ min: 1, max: 20 }),
});
const termsArb: fc.Arbitrary<CouponTerms> = fc.oneof(
  fc.record({ kind: fc.constant('amount_off' as const), amountOff: fc.integer({ min: 1, max: 1_000_000 }) }),
  fc.record({ kind: fc.constant('no_threshold' as const), amountOff: fc.integer({ min: 1, max: 1_000_000 }) }),
  fc.record({
    kind: fc.constant('percent_off' as const),
    percentOff: fc.integer({ min: 1, max: 99 }),
    cap: fc.integer({ min: 1, max: 1_000_000 }),
  }),
  fc
    .tuple(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 5_000_000 }))
    .map(([amountOff, extra]) => ({ kind: 'threshold_off' as const, amountOff, threshold: amountOff + extra })),
);
const scopeArb: fc.Arbitrary<ProductScope> = fc.oneof(
  fc.constant('all' as const),
  fc.uniqueArray(fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p9'), { minLength: 1 }).map((productIds) => ({ productIds })),
);
const day = 86_400_000;
const couponsArb = fc
  .uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      terms: termsArb,
      scope: scopeArb,
      state: fc.constantFrom('usable', 'usable', 'usable', 'locked', 'used', 'expired' as const),
      from: fc.integer({ min: -3, max: 1 }),
      to: fc.integer({ min: -1, max: 3 }),
    }),
    { selector: (c) => c.id, maxLength: 8 },
  )
  .map((raw) =>
    raw.map(
      ({ id, terms, scope, state, from, to }): MemberCoupon => ({
        id,
        terms,
        scope,
        state: state as MemberCoupon['state'],
        validity: { startsAt: new Date(now.getTime() + from * day), endsAt: new Date(now.getTime() + to * day) },
      }),
    ),
  );

const eligible = (scope: ProductScope, productId: string) => scope === 'all' || scope.productIds.includes(productId);

describe('applyCoupons properties', () => {
  it('never discounts past the eligible subtotal; allocations sum to the discount and leave every line ≥ 0', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 6 }), couponsArb, (lines, coupons) => {
        const options = applyCoupons(lines, coupons, now);
        for (const option of options.applicable) {
          const source = coupons.find((c) => c.id === option.couponId)!;
          const eligibleSubtotal = lines.reduce(
            (sum, l) => (eligible(source.scope, l.productId) ? sum + l.unitPrice * l.quantity : sum),
            0,
          );
          expect(option.eligibleSubtotal).toBe(eligibleSubtotal);
          expect(option.discount).toBeGreaterThan(0);
          expect(option.discount).toBeLessThanOrEqual(eligibleSubtotal);
          expect(option.allocations).toHaveLength(lines.length);
          expect(option.allocations.reduce((sum, a) => sum + a.discount, 0)).toBe(option.discount);
          option.allocations.forEach((a, i) => {
            expect(a.line).toBe(i);
            expect(a.lineTotal).toBe(lines[i].unitPrice * lines[i].quantity);
            expect(a.discount).toBeGreaterThanOrEqual(0);
            expect(a.payable).toBe(a.lineTotal - a.discount);
            expect(a.payable).toBeGreaterThanOrEqual(0);
            // Scope: a line the coupon does not cover gets nothing.
            if (!eligible(source.scope, lines[i].productId)) expect(a.discount).toBe(0);
          });
        }
      }),
    );
  });

  it('splits each line within one fen of its exact proportional share', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 6 }), termsArb, (lines, terms) => {
        const best = applyCoupons(lines, [coupon('x', terms)], now).best;
        if (!best) return;
        for (const a of best.allocations) {
          const exact = (best.discount * a.lineTotal) / best.eligibleSubtotal;
          expect(Math.abs(a.discount - exact)).toBeLessThan(1);
        }
      }),
    );
  });

  it('prices percent coupons as floor(subtotal × percent / 100), capped', () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (lines, percentOff, cap) => {
          const subtotal = lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
          const expected = Math.min(Math.floor((subtotal * percentOff) / 100), cap);
          const options = applyCoupons(lines, [coupon('p', { kind: 'percent_off', percentOff, cap })], now);
          expect(options.best?.discount ?? 0).toBe(expected);
        },
      ),
    );
  });

  it('lists exactly the usable coupons, and only coupons that are usable and within validity', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 6 }), couponsArb, (lines, coupons) => {
        const options = applyCoupons(lines, coupons, now);
        expect(options.applicable.length + options.inapplicable.length).toBe(coupons.length);
        for (const option of options.applicable) {
          const source = coupons.find((c) => c.id === option.couponId)!;
          expect(source.state).toBe('usable');
          expect(source.validity.startsAt.getTime()).toBeLessThanOrEqual(now.getTime());
          expect(source.validity.endsAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
        }
      }),
    );
  });

  it('picks a best at least as large as every other applicable coupon', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 6 }), couponsArb, (lines, coupons) => {
        const { best, applicable } = applyCoupons(lines, coupons, now);
        expect(best).toBe(applicable[0] ?? null);
        for (const option of applicable) expect(best!.discount).toBeGreaterThanOrEqual(option.discount);
      }),
    );
  });

  it('gives the same answer whatever order the coupons come in', () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { maxLength: 6 }),
        couponsArb.chain((coupons) => fc.tuple(fc.constant(coupons), fc.shuffledSubarray(coupons, { minLength: coupons.length }))),
        (lines, [coupons, shuffled]) => {
          expect(applyCoupons(lines, shuffled, now)).toEqual(applyCoupons(lines, coupons, now));
        },
      ),
    );
  });
});

describe('applyCoupons with minPayable', () => {
  const now = new Date('2026-12-03T02:00:00Z');
  const validity = { startsAt: new Date('2026-12-01T00:00:00Z'), endsAt: new Date('2026-12-31T00:00:00Z') };
  const coupon = (id: string, terms: MemberCoupon['terms']): MemberCoupon => ({ id, terms, scope: 'all', validity, state: 'usable' });

  it('leaves at least minPayable to pay, spreading the smaller discount over the lines', () => {
    const cart = [
      { productId: 'a', unitPrice: 300, quantity: 1 },
      { productId: 'b', unitPrice: 200, quantity: 1 },
    ];
    const options = applyCoupons(cart, [coupon('c1', { kind: 'no_threshold', amountOff: 1000 })], now, { minPayable: 1 });
    expect(options.best?.discount).toBe(499);
    expect(options.best?.allocations.reduce((sum, a) => sum + a.payable, 0)).toBe(1);
  });

  it('a cart of 1 fen takes no coupon', () => {
    const options = applyCoupons(
      [{ productId: 'a', unitPrice: 1, quantity: 1 }],
      [coupon('c1', { kind: 'no_threshold', amountOff: 100 })],
      now,
      {
        minPayable: 1,
      },
    );
    expect(options.best).toBeNull();
    expect(options.inapplicable).toEqual([{ couponId: 'c1', reason: 'no_discount' }]);
  });

  it('never leaves less than minPayable, whatever the cart and coupon', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ unitPrice: fc.integer({ min: 0, max: 100_000 }), quantity: fc.integer({ min: 1, max: 20 }) }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 500 }),
        (lines, amountOff, minPayable) => {
          const cart = lines.map((line, i) => ({ productId: `p${i}`, ...line }));
          const total = cart.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
          const options = applyCoupons(cart, [coupon('c', { kind: 'no_threshold', amountOff })], now, { minPayable });
          if (options.best) {
            expect(total - options.best.discount).toBeGreaterThanOrEqual(minPayable);
            expect(options.best.allocations.every((a) => a.payable >= 0)).toBe(true);
          } else {
            expect(total <= minPayable).toBe(true);
          }
        },
      ),
    );
  });
});
