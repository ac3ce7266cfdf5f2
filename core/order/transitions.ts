/**
 * An order's states and the only ways between them. Every change of an order's state is a
 * conditional update from the state this table says it may come from, so a second delivery of the
 * same event (a duplicate pay callback, a double tap on 取消) finds the order already moved and
 * changes nothing.
 */
export const ORDER_STATES = ['reserving', 'created', 'paid', 'shipped', 'completed', 'cancelled', 'refunding', 'refunded'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const ORDER_EVENTS = ['reserve', 'fail', 'pay', 'cancel', 'expire', 'ship', 'complete', 'refund', 'refunded'] as const;
export type OrderEvent = (typeof ORDER_EVENTS)[number];

/** Who may cause an event: the member in the app, an operator (console job), or the system (callbacks, the scheduler). */
export type Actor = 'member' | 'admin' | 'system';

interface Transition {
  to: OrderState;
  by: readonly Actor[];
}

/**
 * reserving → created (stock and coupon held) → paid → shipped → completed; created → cancelled (the member, or the 15-minute payment
 * window elapsing); a whole-order refund from paid (the member may ask before shipment), or from
 * shipped and completed (an operator's decision) → refunding → refunded once WeChat says so.
 * Partial refunds of lines are refund documents of their own and leave the state as it is.
 */
export const ORDER_TRANSITIONS: Record<OrderState, Partial<Record<OrderEvent, Transition>>> = {
  // Written first (its _id dedupes the request), before any stock is taken: stock and coupon held → created;
  // not enough stock, or a crash swept later → cancelled.
  reserving: {
    reserve: { to: 'created', by: ['system'] },
    fail: { to: 'cancelled', by: ['system'] },
  },
  created: {
    pay: { to: 'paid', by: ['system'] },
    cancel: { to: 'cancelled', by: ['member', 'admin'] },
    expire: { to: 'cancelled', by: ['system'] },
  },
  paid: {
    ship: { to: 'shipped', by: ['admin'] },
    // system: a failed group's seats, and a payment that lost its seat (group-buy).
    refund: { to: 'refunding', by: ['member', 'admin', 'system'] },
  },
  shipped: {
    complete: { to: 'completed', by: ['member', 'system'] },
    refund: { to: 'refunding', by: ['admin'] },
  },
  completed: {
    refund: { to: 'refunding', by: ['admin'] },
  },
  refunding: {
    refunded: { to: 'refunded', by: ['system'] },
  },
  cancelled: {},
  refunded: {},
};

export type TransitionDecision = { ok: true; from: OrderState; to: OrderState } | { ok: false; reason: 'not_allowed' | 'not_yours' };

/** Whether `actor` may apply `event` to an order in `state`, and where it leads. */
export function decideTransition(state: OrderState, event: OrderEvent, actor: Actor): TransitionDecision {
  const transition = ORDER_TRANSITIONS[state]?.[event];
  if (!transition) return { ok: false, reason: 'not_allowed' };
  if (!transition.by.includes(actor)) return { ok: false, reason: 'not_yours' };
  return { ok: true, from: state, to: transition.to };
}

/** The states an event may move an order from (the condition of its conditional update). */
export function statesAllowing(event: OrderEvent, actor: Actor): OrderState[] {
  return ORDER_STATES.filter((state) => decideTransition(state, event, actor).ok);
}

export function isTerminal(state: OrderState): boolean {
  return Object.keys(ORDER_TRANSITIONS[state]).length === 0;
}
