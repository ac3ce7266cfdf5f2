import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MemberCoupon } from '../coupon/apply-coupons';
import { DuetError } from '../errors';
import { MAX_LINE_QUANTITY, MIN_PAYABLE_FEN, priceOrder, type SkuFacts } from './price-order';

const NOW = new Date('2026-12-03T02:00:00Z');
const validity = { startsAt: new Date('2026-12-01T00:00:00Z'), endsAt: new Date('2026-12-31T00:00:00Z') };

function sku(skuId: string, price: number, extra: Partial<SkuFacts> = {}): SkuFacts {
  return { skuId, productId: `p-${skuId}`, name: `商品${skuId}`, specs: { 颜色: '红' }, price, stock: 100, onShelf: true, ...extra };
}
function coupon(id: string, terms: MemberCoupon['terms'], extra: Partial<MemberCoupon> = {}): MemberCoupon {
  return { id, terms, scope: 'all', validity, state: 'usable', ...extra };
}

describe('priceOrder', () => {
  it('prices lines from the SKU facts, picks the best coupon and spreads it over the lines', () => {
    const priced = priceOrder({
      lines: [
        { skuId: 'a', quantity: 2 },
        { skuId: 'b', quantity: 1 },
      ],
      skus: [sku('a', 4950), sku('b', 2000)],
      coupons: [
        coupon('c-10', { kind: 'no_threshold', amountOff: 1000 }),
        coupon('c-99-20', { kind: 'threshold_off', threshold: 9900, amountOff: 2000 }),
      ],
      choice: 'best',
      now: NOW,
    });
    expect(priced.subtotal).toBe(11_900);
    expect(priced.coupon).toEqual({ couponId: 'c-99-20', discount: 2000 });
    expect(priced.payable).toBe(9900);
    expect(priced.lines.map((line) => [line.unitPrice, line.lineTotal, line.discount, line.payable])).toEqual([
      [4950, 9900, 1664, 8236],
      [2000, 2000, 336, 1664],
    ]);
    expect(priced.applicable.map((option) => option.couponId)).toEqual(['c-99-20', 'c-10']);
    expect(priced.problems).toEqual([]);
  });

  it('takes a coupon chosen by id, or none; says why a chosen coupon does not apply', () => {
    const base = { lines: [{ skuId: 'a', quantity: 1 }], skus: [sku('a', 5000)], now: NOW };
    const coupons = [
      coupon('c-10', { kind: 'no_threshold', amountOff: 1000 }),
      coupon('c-99-20', { kind: 'threshold_off', threshold: 9900, amountOff: 2000 }),
    ];
    expect(priceOrder({ ...base, coupons, choice: { couponId: 'c-10' } })).toMatchObject({
      discount: 1000,
      payable: 4000,
      couponProblem: null,
    });
    expect(priceOrder({ ...base, coupons, choice: 'none' })).toMatchObject({ discount: 0, payable: 5000, coupon: null });
    expect(priceOrder({ ...base, coupons, choice: { couponId: 'c-99-20' } })).toMatchObject({
      discount: 0,
      couponProblem: 'below_threshold',
    });
    expect(priceOrder({ ...base, coupons, choice: { couponId: 'c-nope' } })).toMatchObject({ discount: 0, couponProblem: 'not_found' });
  });

  it('never lets a coupon take the last fen', () => {
    const priced = priceOrder({
      lines: [{ skuId: 'a', quantity: 1 }],
      skus: [sku('a', 500)],
      coupons: [coupon('c-10', { kind: 'no_threshold', amountOff: 1000 })],
      choice: 'best',
      now: NOW,
    });
    expect(priced).toMatchObject({ subtotal: 500, discount: 499, payable: MIN_PAYABLE_FEN });
  });

  it('reports unknown, off-shelf and short SKUs, merges repeated lines and refuses absurd quantities', () => {
    const priced = priceOrder({
      lines: [
        { skuId: 'a', quantity: 3 },
        { skuId: 'a', quantity: 2 },
        { skuId: 'gone', quantity: 1 },
        { skuId: 'off', quantity: 1 },
      ],
      skus: [sku('a', 100, { stock: 4 }), sku('off', 100, { onShelf: false })],
      coupons: [],
      choice: 'best',
      now: NOW,
    });
    expect(priced.lines.find((line) => line.skuId === 'a')?.quantity).toBe(5);
    expect(priced.problems).toEqual([
      { skuId: 'a', problem: 'insufficient_stock', available: 4 },
      { skuId: 'gone', problem: 'unknown_sku' },
      { skuId: 'off', problem: 'off_shelf' },
    ]);
    const call = (quantity: number) => () =>
      priceOrder({ lines: [{ skuId: 'a', quantity }], skus: [sku('a', 1)], coupons: [], choice: 'best', now: NOW });
    for (const bad of [0, -1, 1.5, Number.NaN, MAX_LINE_QUANTITY + 1]) expect(call(bad)).toThrow(DuetError);
    expect(() => priceOrder({ lines: [], skus: [], coupons: [], choice: 'best', now: NOW })).toThrow(DuetError);
  });

  it('always: payable = subtotal − discount ≥ 1 fen, the lines add up, no line below zero, unit prices are the SKUs’', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ price: fc.integer({ min: 1, max: 500_000 }), quantity: fc.integer({ min: 1, max: 20 }) }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('no_threshold' as const), amountOff: fc.integer({ min: 1, max: 1_000_000 }) }),
            fc.record({
              kind: fc.constant('percent_off' as const),
              percentOff: fc.integer({ min: 1, max: 99 }),
              cap: fc.integer({ min: 1, max: 1_000_000 }),
            }),
          ),
          { maxLength: 4 },
        ),
        (lines, terms) => {
          const skus = lines.map((line, i) => sku(`s${i}`, line.price));
          const priced = priceOrder({
            lines: lines.map((line, i) => ({ skuId: `s${i}`, quantity: line.quantity })),
            skus,
            coupons: terms.map((t, i) => coupon(`c${i}`, t)),
            choice: 'best',
            now: NOW,
          });
          expect(priced.payable).toBe(priced.subtotal - priced.discount);
          expect(priced.payable).toBeGreaterThanOrEqual(MIN_PAYABLE_FEN);
          expect(priced.lines.reduce((sum, line) => sum + line.payable, 0)).toBe(priced.payable);
          expect(priced.lines.reduce((sum, line) => sum + line.discount, 0)).toBe(priced.discount);
          for (const [i, line] of priced.lines.entries()) {
            expect(line.payable).toBeGreaterThanOrEqual(0);
            expect(line.unitPrice).toBe(lines[i].price);
          }
          if (priced.applicable.length > 0) expect(priced.discount).toBe(Math.max(...priced.applicable.map((option) => option.discount)));
        },
      ),
    );
  });
});
