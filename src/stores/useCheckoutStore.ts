import { create } from 'zustand';
import type { QuoteView } from '../../core/contracts/order';
import {
  type AddressErrors,
  type AddressField,
  type AddressFields,
  addressErrors,
  isCompleteAddress,
  normalizeAddress,
} from '../../core/order/address';
import type { LineParam } from '../../core/order/lines-param';
import { loadLastAddress, saveLastAddress } from '../services/address';
import { type Failure, toFailure } from '../services/errors';
import * as orderService from '../services/order';
import type { LoadStatus } from './useMemberStore';
import { type PayPhase, payAndConfirm } from './pay-flow';

/** What the member picked in the coupon sheet: the server's best (the default), none, or one coupon. */
export type CheckoutCoupon = 'best' | 'none' | { couponId: string };

export type SubmitPhase = 'idle' | 'creating' | PayPhase;

export type SubmitOutcome =
  /**
   * The order exists: the page goes to it. `payment` says how far paying got: confirmed by the
   * server, paid in WeChat but not yet confirmed, or not paid (closed sheet, no prepay) with a message.
   */
  | { kind: 'ordered'; orderId: string; payment: 'confirmed' | 'pending' | 'unpaid'; message?: string }
  /** The address has a problem (shown beside its field); `message` is the first one. */
  | { kind: 'invalid'; message: string }
  /** The quote says the lines cannot be bought as they are, or is not loaded: nothing was sent. */
  | { kind: 'blocked'; message: string }
  /** The server said no (stock ran out, the coupon was used meanwhile): the quote was read again. */
  | { kind: 'refused'; message: string }
  /** No answer after the retries: the next tap sends the same requestId. */
  | { kind: 'failed'; message: string }
  | { kind: 'busy' };

export interface CheckoutState {
  lines: LineParam[];
  coupon: CheckoutCoupon;
  status: LoadStatus;
  quote: QuoteView | null;
  /** A new quote (another coupon) is in flight while the last one stays on screen. */
  quoting: boolean;
  error: string | null;
  failure: Failure | null;
  address: AddressFields;
  /** Shown beside the fields once the member tried to save or submit. */
  addressErrors: AddressErrors;
  /** The form is open; otherwise the saved address shows as a card with 修改. */
  editingAddress: boolean;
  phase: SubmitPhase;
  /**
   * A create that got no answer, with what it asked for: the server may have made the order anyway,
   * so the next tap for the same order sends the same requestId and gets that order back.
   */
  unanswered: { requestId: string; key: string } | null;
  start(lines: LineParam[]): Promise<void>;
  requote(): Promise<void>;
  chooseCoupon(coupon: CheckoutCoupon): Promise<void>;
  setAddressField(field: AddressField, value: string): void;
  editAddress(): void;
  /** Closes the form when the address is complete; answers whether it was. */
  confirmAddress(): boolean;
  submit(): Promise<SubmitOutcome>;
}

/** Waits before resending a create that got no answer: short, the member is watching a spinner. */
export const CREATE_RETRY_DELAYS_MS: readonly number[] = [600, 1500];

const EMPTY_ADDRESS: AddressFields = { name: '', phone: '', region: '', detail: '' };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function choiceParam(coupon: CheckoutCoupon): orderService.CouponChoice {
  return typeof coupon === 'string' ? coupon : coupon.couponId;
}

/** The first reason the lines cannot be ordered as quoted, in Chinese; null when they can. */
export function quoteBlocker(quote: QuoteView | null): string | null {
  if (!quote) return '订单信息加载中，请稍候';
  const problem = quote.problems[0];
  if (problem) {
    const line = quote.lines.find((l) => l.skuId === problem.skuId);
    return line ? `${line.name}：${problem.message}` : problem.message;
  }
  if (quote.couponProblem) return quote.couponProblem.message;
  return null;
}

let latestQuote = 0;

export const useCheckoutStore = create<CheckoutState>((set, get) => {
  const quoteNow = async () => {
    const ticket = ++latestQuote;
    const { lines, coupon } = get();
    const shown = get().status === 'ready';
    set(shown ? { quoting: true, error: null, failure: null } : { status: 'loading', quoting: true, error: null, failure: null });
    try {
      const quote = await orderService.quote(lines, choiceParam(coupon));
      if (ticket !== latestQuote) return;
      set({ status: 'ready', quote, quoting: false });
    } catch (error) {
      const failure = toFailure(error, 'order.quote');
      if (ticket !== latestQuote) return;
      set(
        shown ? { quoting: false, error: failure.message, failure } : { status: 'error', quoting: false, error: failure.message, failure },
      );
    }
  };

  const createOnce = async (input: Parameters<typeof orderService.create>[0]) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return { ok: true as const, data: await orderService.create(input) };
      } catch (error) {
        const failure = toFailure(error, 'order.create');
        // CONFLICT: the first attempt is still reserving stock; asking again shortly finds its order.
        const unanswered = failure.code === 'UNAVAILABLE' || failure.code === 'CONFLICT';
        if (unanswered && attempt < CREATE_RETRY_DELAYS_MS.length) {
          await sleep(CREATE_RETRY_DELAYS_MS[attempt]);
          continue;
        }
        return { ok: false as const, failure, unanswered };
      }
    }
  };

  return {
    lines: [],
    coupon: 'best',
    status: 'idle',
    quote: null,
    quoting: false,
    error: null,
    failure: null,
    address: EMPTY_ADDRESS,
    addressErrors: {},
    editingAddress: true,
    phase: 'idle',
    unanswered: null,
    async start(lines) {
      const saved = loadLastAddress();
      set({
        lines,
        coupon: 'best',
        status: 'idle',
        quote: null,
        quoting: false,
        error: null,
        failure: null,
        address: saved ?? EMPTY_ADDRESS,
        addressErrors: {},
        editingAddress: !isCompleteAddress(saved),
        phase: 'idle',
      });
      await quoteNow();
    },
    requote: quoteNow,
    async chooseCoupon(coupon) {
      set({ coupon });
      await quoteNow();
    },
    setAddressField(field, value) {
      const { address, addressErrors: errors } = get();
      const { [field]: _fixed, ...others } = errors;
      set({ address: { ...address, [field]: value }, addressErrors: others });
    },
    editAddress() {
      set({ editingAddress: true });
    },
    confirmAddress() {
      const errors = addressErrors(get().address);
      const ok = Object.keys(errors).length === 0;
      set({ addressErrors: errors, editingAddress: !ok, ...(ok ? { address: normalizeAddress(get().address) } : {}) });
      return ok;
    },
    async submit() {
      const state = get();
      if (state.phase !== 'idle') return { kind: 'busy' };
      const errors = addressErrors(state.address);
      const firstError = Object.values(errors)[0];
      if (firstError) {
        set({ addressErrors: errors, editingAddress: true });
        return { kind: 'invalid', message: firstError };
      }
      const blocker = state.quoting ? '订单信息更新中，请稍候' : quoteBlocker(state.quote);
      if (blocker || !state.quote) return { kind: 'blocked', message: blocker ?? '订单信息加载中，请稍候' };

      const address = normalizeAddress(state.address);
      // The coupon the page shows, not "best" again: the member pays what they saw, or is told why not.
      const coupon = state.quote.coupon?.couponId ?? 'none';
      const input = { lines: state.lines, coupon, address };
      const key = JSON.stringify(input);
      const requestId = state.unanswered?.key === key ? state.unanswered.requestId : orderService.newRequestId();
      set({ phase: 'creating', unanswered: { requestId, key }, address, editingAddress: false });
      try {
        const created = await createOnce({ ...input, requestId });
        if (!created.ok) {
          if (!created.unanswered) {
            set({ unanswered: null });
            // The server's reason (stock, coupon) shows in the quote once it is read again.
            void quoteNow();
            return { kind: 'refused', message: created.failure.message };
          }
          return { kind: 'failed', message: created.failure.message };
        }
        set({ unanswered: null });
        saveLastAddress(address);
        const { order, payment } = created.data;
        if (order.state !== 'created') return { kind: 'ordered', orderId: order.orderId, payment: 'confirmed' };
        if (!payment) return { kind: 'ordered', orderId: order.orderId, payment: 'unpaid', message: '订单已提交，请在订单中完成支付' };
        const paid = await payAndConfirm(order, payment, (phase) => set({ phase }));
        switch (paid.kind) {
          case 'confirmed':
            return { kind: 'ordered', orderId: order.orderId, payment: 'confirmed' };
          case 'pending':
            return { kind: 'ordered', orderId: order.orderId, payment: 'pending' };
          case 'cancelled':
            return { kind: 'ordered', orderId: order.orderId, payment: 'unpaid', message: '支付已取消，可在订单中继续支付' };
          default:
            return { kind: 'ordered', orderId: order.orderId, payment: 'unpaid', message: paid.message };
        }
      } finally {
        set({ phase: 'idle' });
      }
    },
  };
});
