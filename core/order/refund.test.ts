import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_REFUNDS_PER_ORDER,
  nextRefundState,
  planRefund,
  REFUND_EVENTS,
  REFUND_STATES,
  REFUND_TRANSITIONS,
  type RefundableLine,
  type RefundState,
  refundRetryDelayMs,
  refundStatesAllowing,
} from './refund';

/** 1-5 order lines with distinct SKUs, 1-20 units each, paying 0-¥5,000 (0: a line the coupon took whole). */
const linesArb = fc
  .array(fc.record({ quantity: fc.integer({ min: 1, max: 20 }), payable: fc.integer({ min: 0, max: 500_000 }) }), {
    minLength: 1,
    maxLength: 5,
  })
  .map((lines): RefundableLine[] => lines.map((line, i) => ({ skuId: `sku-${i}`, ...line })))
  // Payable ≥ 1 fen for the order as a whole (WeChat Pay refuses 0).
  .filter((lines) => lines.some((line) => line.payable > 0));

/** Lines whose every unit is worth at least a fen (payable ≥ quantity): each unit can be refunded on its own. */
const unitLinesArb = fc
  .array(
    fc
      .integer({ min: 1, max: 20 })
      .chain((quantity) => fc.record({ quantity: fc.constant(quantity), payable: fc.integer({ min: quantity, max: 500_000 }) })),
    { minLength: 1, maxLength: 5 },
  )
  .map((lines): RefundableLine[] => lines.map((line, i) => ({ skuId: `sku-${i}`, ...line })));

const total = (lines: readonly RefundableLine[]) => lines.reduce((sum, line) => sum + line.payable, 0);

/** Every unit of every line, one entry per unit, in an order chosen by fast-check. */
const unitsInAnyOrder = (lines: readonly RefundableLine[]) =>
  fc.shuffledSubarray(
    lines.flatMap((line) => Array.from({ length: line.quantity }, () => line.skuId)),
    { minLength: lines.reduce((sum, line) => sum + line.quantity, 0) },
  );

describe('planRefund', () => {
  it('refunding units one at a time in any order adds up exactly to each line’s payable and to the order’s; never above on the way', () => {
    fc.assert(
      fc.property(
        unitLinesArb.chain((lines) => fc.tuple(fc.constant(lines), unitsInAnyOrder(lines))),
        ([lines, units]) => {
          const refundedUnits: Record<string, number> = {};
          const byLine: Record<string, number> = {};
          let refunded = 0;
          for (const [i, skuId] of units.entries()) {
            // refundCount 0: the 50-refunds cap (tested below) would stop an order of more than 50 units first.
            const plan = planRefund({ lines, refundedUnits, refundCount: 0, ask: [{ skuId, quantity: 1 }] });
            if (!plan.ok) throw new Error(`unit ${i} of ${skuId} refused: ${plan.reason}`);
            expect(plan.lines).toEqual([{ skuId, quantity: 1, amount: plan.amount }]);
            expect(plan.amount).toBeGreaterThan(0);
            refundedUnits[skuId] = (refundedUnits[skuId] ?? 0) + 1;
            byLine[skuId] = (byLine[skuId] ?? 0) + plan.amount;
            refunded += plan.amount;
            const line = lines.find((l) => l.skuId === skuId) as RefundableLine;
            // The first r units of a line are worth floor(payable × r / quantity): never above the line.
            expect(byLine[skuId]).toBe(Math.floor((line.payable * refundedUnits[skuId]) / line.quantity));
            expect(byLine[skuId]).toBeLessThanOrEqual(line.payable);
            expect(refunded).toBeLessThanOrEqual(total(lines));
            expect(plan.whole).toBe(i === units.length - 1);
          }
          for (const line of lines) expect(byLine[line.skuId], line.skuId).toBe(line.payable);
          expect(refunded).toBe(total(lines));
          // Everything is back: nothing more to refund, and not one unit more of any line.
          expect(planRefund({ lines, refundedUnits, refundCount: 0, ask: 'all' })).toEqual({ ok: false, reason: 'nothing_left' });
          for (const line of lines) {
            expect(planRefund({ lines, refundedUnits, refundCount: 0, ask: [{ skuId: line.skuId, quantity: 1 }] })).toEqual({
              ok: false,
              reason: 'too_many',
              skuId: line.skuId,
            });
          }
        },
      ),
    );
  });

  /**
   * A line paying less than a fen per unit (a coupon took nearly all of it) cannot give back every
   * unit on its own: WeChat Pay refunds whole fen, at least one. Such a unit is refused as
   * below_one_fen; asked together with the next units, or as "all", the line still adds up exactly.
   */
  it('units of a line cheaper than a fen each are refused alone, yet the line still adds up when the rest is refunded', () => {
    const lines = [{ skuId: 'cheap', quantity: 3, payable: 1 }];
    expect(planRefund({ lines, refundedUnits: {}, refundCount: 0, ask: [{ skuId: 'cheap', quantity: 1 }] })).toEqual({
      ok: false,
      reason: 'below_one_fen',
    });
    expect(planRefund({ lines, refundedUnits: {}, refundCount: 0, ask: [{ skuId: 'cheap', quantity: 2 }] })).toEqual({
      ok: false,
      reason: 'below_one_fen',
    });
    expect(planRefund({ lines, refundedUnits: {}, refundCount: 0, ask: 'all' })).toEqual({
      ok: true,
      amount: 1,
      lines: [{ skuId: 'cheap', quantity: 3, amount: 1 }],
      whole: true,
    });
  });

  it('"all" after any partial refunds gives exactly the rest of the order, as one whole refund', () => {
    fc.assert(
      fc.property(
        linesArb.chain((lines) =>
          fc.tuple(
            fc.constant(lines),
            // Partial refunds: for each, some units of some lines, within what is left.
            fc.array(fc.array(fc.tuple(fc.nat({ max: lines.length - 1 }), fc.integer({ min: 1, max: 20 })), { maxLength: 3 }), {
              maxLength: 6,
            }),
          ),
        ),
        ([lines, partials]) => {
          const refundedUnits: Record<string, number> = {};
          let refunded = 0;
          let count = 0;
          for (const partial of partials) {
            const ask = partial.map(([index, quantity]) => ({ skuId: lines[index].skuId, quantity }));
            const plan = planRefund({ lines, refundedUnits, refundCount: count, ask });
            if (!plan.ok) {
              expect(['too_many', 'below_one_fen', 'nothing_left']).toContain(plan.reason);
              continue;
            }
            for (const line of plan.lines) refundedUnits[line.skuId] = (refundedUnits[line.skuId] ?? 0) + line.quantity;
            refunded += plan.amount;
            count += 1;
            expect(refunded).toBeLessThanOrEqual(total(lines));
          }
          const rest = planRefund({ lines, refundedUnits, refundCount: count, ask: 'all' });
          if (refunded === total(lines)) {
            // Only units worth 0 fen may be left: nothing to give back.
            if (rest.ok) throw new Error(`refunded everything, yet "all" plans ${rest.amount}`);
            return;
          }
          expect(rest).toMatchObject({ ok: true, whole: true, amount: total(lines) - refunded });
          if (!rest.ok) return;
          for (const line of rest.lines) {
            expect(line.quantity).toBe(lines.find((l) => l.skuId === line.skuId)!.quantity - (refundedUnits[line.skuId] ?? 0));
          }
        },
      ),
    );
  });

  it('a partial refund is whole only when it takes the last units; asking beyond the units left is refused and plans nothing', () => {
    fc.assert(
      fc.property(linesArb, fc.integer({ min: 1, max: 5 }), (lines, extra) => {
        const [first] = lines;
        const tooMany = planRefund({
          lines,
          refundedUnits: {},
          refundCount: 0,
          ask: [{ skuId: first.skuId, quantity: first.quantity + extra }],
        });
        expect(tooMany).toEqual({ ok: false, reason: 'too_many', skuId: first.skuId });
        const all = planRefund({
          lines,
          refundedUnits: {},
          refundCount: 0,
          ask: lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity })),
        });
        expect(all).toMatchObject({ ok: true, whole: true, amount: total(lines) });
        if (lines.length > 1 && first.payable > 0) {
          const one = planRefund({ lines, refundedUnits: {}, refundCount: 0, ask: [{ skuId: first.skuId, quantity: first.quantity }] });
          expect(one).toMatchObject({ ok: true, whole: false, amount: first.payable });
        }
      }),
    );
  });

  it('refuses unknown lines and a 51st refund (WeChat Pay allows 50 per payment)', () => {
    const lines = [{ skuId: 'a', quantity: 2, payable: 1000 }];
    expect(planRefund({ lines, refundedUnits: {}, refundCount: 0, ask: [{ skuId: 'zz', quantity: 1 }] })).toEqual({
      ok: false,
      reason: 'unknown_line',
      skuId: 'zz',
    });
    expect(planRefund({ lines, refundedUnits: {}, refundCount: MAX_REFUNDS_PER_ORDER, ask: 'all' })).toEqual({
      ok: false,
      reason: 'too_many_refunds',
    });
    expect(planRefund({ lines, refundedUnits: {}, refundCount: MAX_REFUNDS_PER_ORDER - 1, ask: 'all' })).toMatchObject({
      ok: true,
      amount: 1000,
    });
  });
});

describe('refund transitions', () => {
  /** Every state reachable from `from`. */
  function reachable(from: RefundState): Set<RefundState> {
    const seen = new Set<RefundState>([from]);
    const queue = [from];
    while (queue.length > 0) {
      const state = queue.shift() as RefundState;
      for (const to of Object.values(REFUND_TRANSITIONS[state])) {
        if (to && !seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    return seen;
  }

  it('succeeded is final; every state is reachable from requested; nothing leads back to requested', () => {
    expect(REFUND_TRANSITIONS.succeeded).toEqual({});
    for (const event of REFUND_EVENTS) expect(nextRefundState('succeeded', event), event).toBeNull();
    expect([...reachable('requested')].sort()).toEqual([...REFUND_STATES].sort());
    for (const state of REFUND_STATES) {
      if (state !== 'requested') expect(reachable(state).has('requested'), state).toBe(false);
      expect(reachable(state).has('succeeded'), state).toBe(true);
    }
  });

  it('resubmit only from failed, submit only from requested; succeed and fail from the states a callback or poll can find', () => {
    expect(refundStatesAllowing('resubmit')).toEqual(['failed']);
    expect(refundStatesAllowing('submit')).toEqual(['requested']);
    // A callback may overtake the record of the submission (requested), or follow a failure (failed).
    expect(refundStatesAllowing('succeed')).toEqual(['requested', 'submitted', 'failed']);
    expect(refundStatesAllowing('fail')).toEqual(['requested', 'submitted']);
    // Each state is entered only by its events.
    const into: Record<string, string[]> = {};
    for (const state of REFUND_STATES) {
      for (const [event, to] of Object.entries(REFUND_TRANSITIONS[state]))
        if (to) into[to] = [...new Set([...(into[to] ?? []), event])].sort();
    }
    expect(into).toEqual({ submitted: ['resubmit', 'submit'], succeeded: ['succeed'], failed: ['fail'] });
  });

  it('any sequence of events (callbacks, polls and retries in any order, repeated) ends succeeded for good once it got there', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...REFUND_EVENTS), { maxLength: 30 }), (events) => {
        let state: RefundState = 'requested';
        let succeeded = false;
        for (const event of events) {
          const to = nextRefundState(state, event);
          if (succeeded) expect(to).toBeNull();
          if (to === null) continue;
          expect(refundStatesAllowing(event)).toContain(state);
          // The event that entered a state is refused by it (a second delivery changes nothing), except
          // a failure after a failure is a no-op too: fail is not allowed from failed.
          expect(nextRefundState(to, event)).toBeNull();
          state = to;
          succeeded ||= state === 'succeeded';
        }
      }),
    );
  });

  it('waits 1, 2, 4 … minutes between attempts, never more than an hour, never less than a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => refundRetryDelayMs(n) / 60_000)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 10_000 }), (attempts) => {
        const delay = refundRetryDelayMs(attempts);
        expect(delay).toBeGreaterThanOrEqual(60_000);
        expect(delay).toBeLessThanOrEqual(3_600_000);
        expect(refundRetryDelayMs(attempts + 1)).toBeGreaterThanOrEqual(delay);
      }),
    );
  });
});
