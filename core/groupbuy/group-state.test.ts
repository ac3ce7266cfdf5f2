import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideExpiry,
  decideSeatOnPayment,
  GROUP_STATES,
  type GroupCounts,
  INVITE_ACTION_LABELS,
  INVITE_ACTIONS,
  inviteActionOf,
  isFilled,
  LIVE_GROUP_STATES,
  type SeatOfCaller,
} from './group-state';
import { MAX_GROUP_SIZE, MIN_GROUP_SIZE } from './rules';

const T0 = Date.parse('2026-12-03T02:00:00Z');
const HOUR = 3600_000;

/** A group as the database may hold it, including counts the rules never let happen (over-full), to see they hold anyway. */
const groupArb = fc
  .record({
    state: fc.constantFrom(...GROUP_STATES),
    size: fc.integer({ min: MIN_GROUP_SIZE, max: MAX_GROUP_SIZE }),
    taken: fc.integer({ min: 0, max: MAX_GROUP_SIZE + 2 }),
    paid: fc.integer({ min: 0, max: MAX_GROUP_SIZE + 2 }),
    deadlineOffset: fc.integer({ min: -72 * HOUR, max: 72 * HOUR }),
  })
  .map(({ deadlineOffset, ...rest }): GroupCounts => ({ ...rest, deadline: new Date(T0 + deadlineOffset) }));
/** The moment the decision is taken, around the deadlines above (exactly on one of them now and then). */
const nowArb = fc.oneof(
  fc.integer({ min: -80 * HOUR, max: 80 * HOUR }).map((offset) => new Date(T0 + offset)),
  fc.constant(new Date(T0)),
);
const simulateArb = fc.option(fc.integer({ min: 0, max: MAX_GROUP_SIZE + 2 }), { nil: null });
const seatArb = fc.constantFrom<SeatOfCaller>('none', 'held', 'paid');

describe('isFilled', () => {
  it('is paid >= size: an over-full group counts as filled (never ==)', () => {
    expect(isFilled({ size: 3, paid: 3 })).toBe(true);
    expect(isFilled({ size: 3, paid: 4 })).toBe(true);
    expect(isFilled({ size: 3, paid: 2 })).toBe(false);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 40 }), (size, paid) => {
        expect(isFilled({ size, paid })).toBe(paid >= size);
      }),
    );
  });
});

describe('decideExpiry', () => {
  it('never fails a filled group (over-full included): an open one succeeds, whatever the time', () => {
    fc.assert(
      fc.property(groupArb, simulateArb, nowArb, (group, simulateMinPaid, now) => {
        fc.pre(group.paid >= group.size);
        const decision = decideExpiry(group, simulateMinPaid, now);
        expect(decision).not.toBe('fail');
        expect(decision).toBe(group.state === 'open' ? 'succeed' : 'wait');
      }),
    );
  });

  it('never lets a group below 模拟成团 K (or below its size without K) succeed, simulated or not', () => {
    fc.assert(
      fc.property(groupArb, simulateArb, nowArb, (group, simulateMinPaid, now) => {
        fc.pre(group.paid < group.size && (simulateMinPaid === null || group.paid < simulateMinPaid));
        expect(['wait', 'fail']).toContain(decideExpiry(group, simulateMinPaid, now));
      }),
    );
  });

  it('simulates only at or after the deadline, with at least one and at least K paid seats', () => {
    fc.assert(
      fc.property(groupArb, simulateArb, nowArb, (group, simulateMinPaid, now) => {
        if (decideExpiry(group, simulateMinPaid, now) !== 'simulate') return;
        expect(simulateMinPaid).not.toBeNull();
        expect(group.paid).toBeGreaterThanOrEqual(simulateMinPaid as number);
        expect(group.paid).toBeGreaterThan(0);
        expect(now.getTime()).toBeGreaterThanOrEqual(group.deadline.getTime());
      }),
    );
  });

  it('decides nothing for a group that is not open, nor for an unfilled one before its deadline', () => {
    fc.assert(
      fc.property(groupArb, simulateArb, nowArb, (group, simulateMinPaid, now) => {
        const decision = decideExpiry(group, simulateMinPaid, now);
        if (group.state !== 'open') expect(decision).toBe('wait');
        if (!isFilled(group) && now.getTime() < group.deadline.getTime()) expect(decision).toBe('wait');
        // At the deadline an open group always gets an outcome.
        if (group.state === 'open' && now.getTime() >= group.deadline.getTime()) expect(decision).not.toBe('wait');
      }),
    );
  });

  it('answers the outcomes the deadline job knows', () => {
    const open = { state: 'open' as const, size: 5, taken: 5, paid: 3, deadline: new Date(T0) };
    expect(decideExpiry(open, 3, new Date(T0))).toBe('simulate');
    expect(decideExpiry(open, 4, new Date(T0))).toBe('fail');
    expect(decideExpiry(open, null, new Date(T0 - 1))).toBe('wait');
    expect(decideExpiry({ ...open, paid: 0 }, 0, new Date(T0))).toBe('fail');
    expect(decideExpiry({ ...open, paid: 6 }, null, new Date(T0 - HOUR))).toBe('succeed');
  });
});

describe('decideSeatOnPayment', () => {
  const factsArb = fc.record({
    holderOrderId: fc.constantFrom<string | null>(null, 'order-a', 'order-b'),
    orderId: fc.constantFrom('order-a', 'order-b'),
    seatPaid: fc.boolean(),
    groupState: fc.constantFrom(...GROUP_STATES),
    paidAt: fc.integer({ min: -HOUR, max: HOUR }).map((offset) => new Date(T0 + offset)),
    holdUntil: fc.integer({ min: -HOUR, max: HOUR }).map((offset) => new Date(T0 + offset)),
  });

  it("confirms only the holder's own order; a fresh seat only while the group takes payments and the money moved within the hold", () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const decision = decideSeatOnPayment(facts);
        if (facts.holderOrderId !== facts.orderId) expect(decision).toBe('late');
        if (decision === 'confirm' && !facts.seatPaid) {
          expect(LIVE_GROUP_STATES).toContain(facts.groupState);
          expect(facts.paidAt.getTime()).toBeLessThanOrEqual(facts.holdUntil.getTime());
        }
      }),
    );
  });

  it('answers a repeated delivery of a counted payment the same way (confirm), whatever happened to the group since', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        fc.pre(facts.holderOrderId === facts.orderId && facts.seatPaid);
        expect(decideSeatOnPayment(facts)).toBe('confirm');
      }),
    );
  });

  it('calls late a payment exactly one millisecond after the hold, and confirms one exactly at it', () => {
    const facts = { holderOrderId: 'o', orderId: 'o', seatPaid: false, groupState: 'open' as const, holdUntil: new Date(T0) };
    expect(decideSeatOnPayment({ ...facts, paidAt: new Date(T0) })).toBe('confirm');
    expect(decideSeatOnPayment({ ...facts, paidAt: new Date(T0 + 1) })).toBe('late');
  });
});

describe('inviteActionOf', () => {
  it('is joined whenever the seat is paid, unless the group failed (then it is over for everyone)', () => {
    fc.assert(
      fc.property(groupArb, nowArb, (group, now) => {
        const ended = group.state === 'failed' || group.state === 'abandoned';
        expect(inviteActionOf(group, 'paid', now)).toBe(ended ? 'ended' : 'joined');
      }),
    );
  });

  it('offers 参团 only in an open group before its deadline with a free seat, and 去支付 only before the deadline', () => {
    fc.assert(
      fc.property(groupArb, seatArb, nowArb, (group, seat, now) => {
        const action = inviteActionOf(group, seat, now);
        expect(INVITE_ACTIONS).toContain(action);
        expect(INVITE_ACTION_LABELS[action]).toBeTruthy();
        const beforeDeadline = now.getTime() < group.deadline.getTime();
        if (action === 'join') {
          expect(seat).toBe('none');
          expect(group.state).toBe('open');
          expect(beforeDeadline).toBe(true);
          expect(group.taken).toBeLessThan(group.size);
        }
        if (action === 'pay') {
          // A hold never outlasts the group's deadline: after it, paying would only be refunded.
          expect(seat).toBe('held');
          expect(LIVE_GROUP_STATES).toContain(group.state);
          expect(beforeDeadline).toBe(true);
        }
        if (group.state === 'failed' || group.state === 'abandoned') expect(['joined', 'ended']).toContain(action);
      }),
    );
  });

  it('shows the buttons of a group as it goes', () => {
    const group: GroupCounts = { state: 'open', size: 3, taken: 2, paid: 1, deadline: new Date(T0 + HOUR) };
    expect(inviteActionOf(group, 'none', new Date(T0))).toBe('join');
    expect(inviteActionOf({ ...group, taken: 3 }, 'none', new Date(T0))).toBe('full');
    expect(inviteActionOf(group, 'held', new Date(T0))).toBe('pay');
    expect(inviteActionOf(group, 'held', new Date(T0 + HOUR))).toBe('ended');
    expect(inviteActionOf({ ...group, state: 'pending' }, 'none', new Date(T0))).toBe('waiting');
    expect(inviteActionOf({ ...group, state: 'succeeded' }, 'none', new Date(T0))).toBe('full');
  });
});
