import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Actor,
  decideTransition,
  isTerminal,
  ORDER_EVENTS,
  ORDER_STATES,
  ORDER_TRANSITIONS,
  type OrderState,
  statesAllowing,
} from './transitions';

const ACTORS: Actor[] = ['member', 'admin', 'system'];

/** Every state reachable from `from` by any sequence of allowed events. */
function reachable(from: OrderState): Set<OrderState> {
  const seen = new Set<OrderState>([from]);
  const queue = [from];
  while (queue.length > 0) {
    const state = queue.shift() as OrderState;
    for (const transition of Object.values(ORDER_TRANSITIONS[state])) {
      if (transition && !seen.has(transition.to)) {
        seen.add(transition.to);
        queue.push(transition.to);
      }
    }
  }
  return seen;
}

describe('order transitions', () => {
  it('reach every state from reserving, the state an order is written in', () => {
    expect([...reachable('reserving')].sort()).toEqual([...ORDER_STATES].sort());
  });

  it('never lead from refunded or cancelled anywhere, nor from a refund back to paid', () => {
    expect(isTerminal('refunded')).toBe(true);
    expect(isTerminal('cancelled')).toBe(true);
    expect(reachable('refunding').has('paid')).toBe(false);
    expect(reachable('refunded')).toEqual(new Set(['refunded']));
    for (const state of ['paid', 'shipped', 'completed', 'refunding', 'refunded', 'cancelled'] as const) {
      expect(reachable(state).has('created'), state).toBe(false);
      expect(reachable(state).has('reserving'), state).toBe(false);
    }
  });

  it('reach each state only by its own events', () => {
    const into: Record<string, Set<string>> = {};
    for (const state of ORDER_STATES) {
      for (const [event, transition] of Object.entries(ORDER_TRANSITIONS[state])) {
        if (!transition) continue;
        into[transition.to] ??= new Set();
        into[transition.to].add(event);
      }
    }
    expect(Object.fromEntries(Object.entries(into).map(([state, events]) => [state, [...events].sort()]))).toEqual({
      created: ['reserve'],
      paid: ['pay'],
      cancelled: ['cancel', 'expire', 'fail'],
      shipped: ['ship'],
      completed: ['complete'],
      refunding: ['refund'],
      refunded: ['refunded'],
    });
  });

  it('applying a sequence of events twice in a row never moves an order twice: the second finds it gone', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...ORDER_EVENTS), fc.constantFrom(...ACTORS)), { maxLength: 12 }), (events) => {
        let state: OrderState = 'reserving';
        for (const [event, actor] of events) {
          const first = decideTransition(state, event, actor);
          if (!first.ok) continue;
          state = first.to;
          // A duplicate of the same event (a second callback) is refused from the new state, unless
          // the state allows that event again, which no state does for the event that entered it.
          expect(decideTransition(state, event, actor).ok).toBe(false);
        }
      }),
    );
  });

  it('random walks by any actors: each move lands where its event leads; once cancelled, refunding or refunded, never paid again', () => {
    // Each event leads to one state, from wherever it is allowed.
    const LEADS_TO: Record<(typeof ORDER_EVENTS)[number], OrderState> = {
      reserve: 'created',
      fail: 'cancelled',
      pay: 'paid',
      cancel: 'cancelled',
      expire: 'cancelled',
      ship: 'shipped',
      complete: 'completed',
      refund: 'refunding',
      refunded: 'refunded',
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...ORDER_EVENTS), fc.constantFrom(...ACTORS)), { maxLength: 30 }), (events) => {
        let state: OrderState = 'reserving';
        let past: OrderState[] = [state];
        for (const [event, actor] of events) {
          const decision = decideTransition(state, event, actor);
          if (!decision.ok) continue;
          expect(decision.to).toBe(LEADS_TO[event]);
          expect(statesAllowing(event, actor)).toContain(state);
          // Paid only by the system (the callback, the sweep's queryOrder), and never after the money went back or the order died.
          if (decision.to === 'paid') {
            expect(actor).toBe('system');
            expect(past.some((s) => s === 'cancelled' || s === 'refunding' || s === 'refunded')).toBe(false);
          }
          state = decision.to;
          past = [...past, state];
        }
        // No state is ever entered twice: the walk never goes round in a circle.
        expect(new Set(past).size).toBe(past.length);
      }),
    );
  });

  it('lets the member refund only before shipment; an operator after it; only the system marks paid', () => {
    expect(decideTransition('paid', 'refund', 'member')).toEqual({ ok: true, from: 'paid', to: 'refunding' });
    expect(decideTransition('shipped', 'refund', 'member')).toEqual({ ok: false, reason: 'not_yours' });
    expect(decideTransition('shipped', 'refund', 'admin').ok).toBe(true);
    expect(decideTransition('created', 'pay', 'member')).toEqual({ ok: false, reason: 'not_yours' });
    expect(decideTransition('cancelled', 'pay', 'system')).toEqual({ ok: false, reason: 'not_allowed' });
    expect(statesAllowing('refund', 'admin')).toEqual(['paid', 'shipped', 'completed']);
    expect(statesAllowing('cancel', 'member')).toEqual(['created']);
  });
});
