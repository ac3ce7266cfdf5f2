/**
 * Refunds: their states, and how much of an order a refund may give back. A refund is a document of
 * its own whose number (`out_refund_no`) never changes, so a retry after a failure or a timeout asks
 * WeChat Pay about the same refund and can never pay twice.
 */
export const REFUND_STATES = ['requested', 'submitted', 'succeeded', 'failed'] as const;
export type RefundState = (typeof REFUND_STATES)[number];

export const REFUND_EVENTS = ['submit', 'succeed', 'fail', 'resubmit'] as const;
export type RefundEvent = (typeof REFUND_EVENTS)[number];

/**
 * requested → submitted (WeChat Pay accepted it) → succeeded | failed; failed → submitted again with
 * the same number. A request WeChat Pay refused outright goes to failed and is resubmitted after its
 * wait; one that got no answer stays as it was and is tried again; succeeded is final.
 */
export const REFUND_TRANSITIONS: Record<RefundState, Partial<Record<RefundEvent, RefundState>>> = {
  requested: { submit: 'submitted', succeed: 'succeeded', fail: 'failed' },
  submitted: { succeed: 'succeeded', fail: 'failed' },
  failed: { resubmit: 'submitted', succeed: 'succeeded' },
  succeeded: {},
};

export function nextRefundState(state: RefundState, event: RefundEvent): RefundState | null {
  return REFUND_TRANSITIONS[state][event] ?? null;
}

/** The states `event` may move a refund from (the condition of its conditional update). */
export function refundStatesAllowing(event: RefundEvent): RefundState[] {
  return REFUND_STATES.filter((state) => nextRefundState(state, event) !== null);
}

/** WeChat Pay allows at most 50 refunds of one payment. */
export const MAX_REFUNDS_PER_ORDER = 50;

/** Waits between attempts: 1, 2, 4 … minutes, at most an hour. */
export function refundRetryDelayMs(attempts: number): number {
  const minutes = Math.min(60, 2 ** Math.max(0, Math.min(attempts - 1, 6)));
  return minutes * 60_000;
}

export interface RefundableLine {
  skuId: string;
  quantity: number;
  /** What the line's buyer paid for all its units (fen, after its share of the coupon). */
  payable: number;
}

export interface RefundAsk {
  skuId: string;
  quantity: number;
}

export type RefundPlan =
  | { ok: true; amount: number; lines: Array<{ skuId: string; quantity: number; amount: number }>; whole: boolean }
  | { ok: false; reason: 'nothing_left' | 'below_one_fen' | 'unknown_line' | 'too_many' | 'too_many_refunds'; skuId?: string };

/**
 * What a refund of some units (or of everything left) gives back. Units of a line are priced so that
 * refunding them one at a time adds up exactly to the line's payable: the first r units of a line
 * are worth floor(payable × r / quantity). The whole order's refunds never exceed what was paid.
 */
export function planRefund(input: {
  lines: readonly RefundableLine[];
  /** Units of each line already promised to earlier refunds (any state but failed-for-good). */
  refundedUnits: Readonly<Record<string, number>>;
  refundCount: number;
  ask: 'all' | readonly RefundAsk[];
}): RefundPlan {
  if (input.refundCount >= MAX_REFUNDS_PER_ORDER) return { ok: false, reason: 'too_many_refunds' };
  const bySku = new Map(input.lines.map((line) => [line.skuId, line]));
  const wanted = new Map<string, number>();
  if (input.ask === 'all') {
    for (const line of input.lines) wanted.set(line.skuId, line.quantity - (input.refundedUnits[line.skuId] ?? 0));
  } else {
    for (const ask of input.ask) {
      if (!bySku.has(ask.skuId)) return { ok: false, reason: 'unknown_line', skuId: ask.skuId };
      wanted.set(ask.skuId, (wanted.get(ask.skuId) ?? 0) + ask.quantity);
    }
  }
  const lines: Array<{ skuId: string; quantity: number; amount: number }> = [];
  for (const [skuId, quantity] of wanted) {
    const line = bySku.get(skuId) as RefundableLine;
    const done = input.refundedUnits[skuId] ?? 0;
    if (quantity <= 0) continue;
    if (done + quantity > line.quantity) return { ok: false, reason: 'too_many', skuId };
    const amount = unitsWorth(line, done + quantity) - unitsWorth(line, done);
    lines.push({ skuId, quantity, amount });
  }
  const amount = lines.reduce((sum, line) => sum + line.amount, 0);
  if (lines.length === 0) return { ok: false, reason: 'nothing_left' };
  // Units a coupon made worth less than a fen each: WeChat Pay refunds whole fen, so they go back with the next units.
  if (amount <= 0) return { ok: false, reason: 'below_one_fen' };
  const whole = input.lines.every((line) => (input.refundedUnits[line.skuId] ?? 0) + (wanted.get(line.skuId) ?? 0) >= line.quantity);
  return { ok: true, amount, lines, whole };
}

function unitsWorth(line: RefundableLine, units: number): number {
  return Math.floor((line.payable * units) / line.quantity);
}

/** Chinese for each refusal of a refund plan. */
export const REFUND_PLAN_MESSAGES: Record<Exclude<RefundPlan, { ok: true }>['reason'], string> = {
  nothing_left: '该订单已全部退款',
  below_one_fen: '所选商品可退金额不足0.01元，请与其他商品一起退款',
  unknown_line: '订单中没有该商品',
  too_many: '退款数量超过可退数量',
  too_many_refunds: '该订单退款次数已达上限',
};
