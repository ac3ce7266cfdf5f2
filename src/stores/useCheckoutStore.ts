import { create } from 'zustand';
import type { ActivityView, GroupView } from '../../core/contracts/groupbuy';
import type { QuoteView } from '../../core/contracts/order';
import type { GroupSeat } from '../../core/groupbuy/seat-param';
import type { AddressErrors, AddressFields } from '../../core/order/address';
import type { LineParam } from '../../core/order/lines-param';
import { saveLastAddress } from '../services/address';
import { type Failure, toFailure } from '../services/errors';
import * as groupbuyService from '../services/groupbuy';
import * as orderService from '../services/order';
import type { LoadStatus } from './useMemberStore';
import { type AddressFormActions, type AddressFormState, addressFormActions, EMPTY_ADDRESS_FORM, lastAddressForm } from './address-form';
import { type PayPhase, payAndConfirm } from './pay-flow';

/** What the member picked in the coupon sheet: the server's best (the default), none, or one coupon. */
export type CheckoutCoupon = 'best' | 'none' | { couponId: string };

export type SubmitPhase = 'idle' | 'creating' | PayPhase;

export type SubmitOutcome =
  /**
   * The order exists: the page goes to it (a group seat's page is its group's invite page). `payment`
   * says how far paying got: confirmed by the server, paid in WeChat but not yet confirmed, or not
   * paid (closed sheet, no prepay) with a message.
   */
  | { kind: 'ordered'; orderId: string; groupId?: string; payment: 'confirmed' | 'pending' | 'unpaid'; message?: string }
  /** The address has a problem (shown beside its field); `message` is the first one. */
  | { kind: 'invalid'; message: string }
  /** The quote says the lines cannot be bought as they are, or is not loaded: nothing was sent. */
  | { kind: 'blocked'; message: string }
  /** The server said no (stock ran out, the coupon was used meanwhile): the quote was read again. */
  | { kind: 'refused'; message: string }
  /** No answer after the retries: the next tap sends the same requestId. */
  | { kind: 'failed'; message: string }
  | { kind: 'busy' };

export interface CheckoutState extends AddressFormState, AddressFormActions {
  lines: LineParam[];
  /** Group mode: one seat of a group-buy (bought at the group price) instead of `lines`. */
  seat: GroupSeat | null;
  /** Group mode: the activity (price, rule, whether coupons apply) and, when joining, the group. */
  activity: ActivityView | null;
  group: GroupView | null;
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
  /** Group mode: reads the activity (and the group joined), then quotes the seat. */
  startSeat(seat: GroupSeat): Promise<void>;
  /** Quotes again; in group mode, reads the activity first when that is what failed. */
  requote(): Promise<void>;
  chooseCoupon(coupon: CheckoutCoupon): Promise<void>;
  submit(): Promise<SubmitOutcome>;
}

/** Waits before resending a create that got no answer: short, the member is watching a spinner. */
export const CREATE_RETRY_DELAYS_MS: readonly number[] = [600, 1500];

/** What a checkout starts from: nothing quoted yet, the last address used (editing it when incomplete). */
function freshCheckout(lines: CheckoutState['lines'], seat: GroupSeat | null): Partial<CheckoutState> {
  return {
    lines,
    seat,
    activity: null,
    group: null,
    coupon: 'best',
    status: 'idle',
    quote: null,
    quoting: false,
    error: null,
    failure: null,
    ...lastAddressForm(),
    phase: 'idle',
  };
}

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

/**
 * Why a group cannot take the member as it stands, in the server's own words (the server still
 * decides: this only spares a tap that would be refused); null when the seat can be bought.
 */
export function seatBlocker(activity: ActivityView | null, group: GroupView | null): string | null {
  if (!activity) return '订单信息加载中，请稍候';
  if (group) {
    const blocked: Record<GroupView['me']['action'], string | null> = {
      join: null,
      pay: '你已在这个团里占了座，请回到拼团页完成支付',
      joined: '你已在这个团里了',
      full: '这个团已满员，去参加别的团吧',
      waiting: '团长支付后才能参团',
      ended: '这个团已结束，去参加别的团吧',
    };
    const message = blocked[group.me.action];
    if (message) return message;
  } else if (activity.phase === 'upcoming') {
    return '活动尚未开始';
  } else if (activity.phase === 'ended') {
    return '活动已结束';
  }
  return activity.stockLeft <= 0 ? '活动商品已抢光' : null;
}

let latestQuote = 0;
let latestStart = 0;

export const useCheckoutStore = create<CheckoutState>((set, get) => {
  const quoteNow = async () => {
    const ticket = ++latestQuote;
    const { lines, coupon, seat, activity } = get();
    const shown = get().status === 'ready';
    set(shown ? { quoting: true, error: null, failure: null } : { status: 'loading', quoting: true, error: null, failure: null });
    try {
      const quote = seat
        ? // Coupons only where the activity allows them: otherwise the member is never offered one.
          await groupbuyService.quote(activity?.activityId ?? '', seat.skuId, activity?.couponsAllowed ? choiceParam(coupon) : 'none')
        : await orderService.quote(lines, choiceParam(coupon));
      if (ticket !== latestQuote) return;
      set({ status: 'ready', quote, quoting: false });
    } catch (error) {
      const failure = toFailure(error, seat ? 'groupbuy.quote' : 'order.quote');
      if (ticket !== latestQuote) return;
      set(
        shown ? { quoting: false, error: failure.message, failure } : { status: 'error', quoting: false, error: failure.message, failure },
      );
    }
  };

  /** Reads what a group seat is bought in: the activity, and the group when joining one. */
  const readSeatContext = async (seat: GroupSeat) => {
    const ticket = ++latestStart;
    // Read again after a refusal (the group filled meanwhile): the page stays while it loads.
    if (get().status !== 'ready') set({ status: 'loading', error: null, failure: null });
    try {
      const context =
        seat.kind === 'open'
          ? { activity: (await groupbuyService.activity(seat.activityId)).activity, group: null }
          : await groupbuyService.group(seat.groupId);
      if (ticket !== latestStart || get().seat !== seat) return false;
      set({ activity: context.activity, group: context.group });
      return true;
    } catch (error) {
      const failure = toFailure(error, seat.kind === 'open' ? 'groupbuy.activity' : 'groupbuy.group');
      if (ticket === latestStart && get().seat === seat) set({ status: 'error', error: failure.message, failure });
      return false;
    }
  };

  /** One create: an order of the lines, or a group seat (open or join) with its order. */
  const createRequest = async (
    seat: GroupSeat | null,
    input: Parameters<typeof orderService.create>[0],
  ): Promise<Awaited<ReturnType<typeof orderService.create>> & { groupId?: string }> => {
    if (!seat) return orderService.create(input);
    const seatInput = { skuId: seat.skuId, requestId: input.requestId, address: input.address, coupon: input.coupon ?? 'none' };
    const placed =
      seat.kind === 'open' ? await groupbuyService.open(seat.activityId, seatInput) : await groupbuyService.join(seat.groupId, seatInput);
    // The group the seat is in now (a retried 开团 answers the group it opened the first time).
    return { order: placed.order, payment: placed.payment, repeated: placed.repeated, groupId: placed.group.groupId };
  };

  const createOnce = async (seat: GroupSeat | null, input: Parameters<typeof orderService.create>[0]) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return { ok: true as const, data: await createRequest(seat, input) };
      } catch (error) {
        const failure = toFailure(error, seat ? `groupbuy.${seat.kind}` : 'order.create');
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
    seat: null,
    activity: null,
    group: null,
    coupon: 'best',
    status: 'idle',
    quote: null,
    quoting: false,
    error: null,
    failure: null,
    ...EMPTY_ADDRESS_FORM,
    phase: 'idle',
    unanswered: null,
    async start(lines) {
      set(freshCheckout(lines, null));
      await quoteNow();
    },
    async startSeat(seat) {
      set(freshCheckout([], seat));
      if (await readSeatContext(seat)) await quoteNow();
    },
    async requote() {
      const { seat, activity } = get();
      if (seat && !activity) {
        if (!(await readSeatContext(seat))) return;
      }
      await quoteNow();
    },
    async chooseCoupon(coupon) {
      set({ coupon });
      await quoteNow();
    },
    ...addressFormActions(get, set),
    async submit() {
      const state = get();
      if (state.phase !== 'idle') return { kind: 'busy' };
      const taken = state.takeAddress();
      if (!taken.ok) return { kind: 'invalid', message: taken.message };
      const blocker = state.quoting
        ? '订单信息更新中，请稍候'
        : (quoteBlocker(state.quote) ?? (state.seat ? seatBlocker(state.activity, state.group) : null));
      if (blocker || !state.quote) return { kind: 'blocked', message: blocker ?? '订单信息加载中，请稍候' };

      const { address } = taken;
      // The coupon the page shows, not "best" again: the member pays what they saw, or is told why not.
      const coupon = state.quote.coupon?.couponId ?? 'none';
      const { seat } = state;
      const input = { lines: state.lines, coupon, address };
      // A seat is part of what was asked: the same address for another group is another request.
      const key = JSON.stringify(seat ? { ...input, seat } : input);
      const requestId = state.unanswered?.key === key ? state.unanswered.requestId : orderService.newRequestId();
      set({ phase: 'creating', unanswered: { requestId, key }, address, editingAddress: false });
      try {
        const created = await createOnce(seat, { ...input, requestId });
        if (!created.ok) {
          if (!created.unanswered) {
            set({ unanswered: null });
            // The server's reason (stock, coupon, a group that filled or ended) shows once read again.
            if (seat) void readSeatContext(seat).then((read) => (read ? quoteNow() : undefined));
            else void quoteNow();
            return { kind: 'refused', message: created.failure.message };
          }
          return { kind: 'failed', message: created.failure.message };
        }
        set({ unanswered: null });
        saveLastAddress(address);
        const { order, payment, groupId } = created.data;
        const ordered = { kind: 'ordered' as const, orderId: order.orderId, ...(groupId ? { groupId } : {}) };
        // A held seat is paid on the group's page (去支付 with the hold's countdown), an order on its own.
        const payLater = groupId ? '请在拼团页完成支付' : '请在订单中完成支付';
        if (order.state !== 'created') return { ...ordered, payment: 'confirmed' };
        if (!payment) return { ...ordered, payment: 'unpaid', message: `订单已提交，${payLater}` };
        const paid = await payAndConfirm(order, payment, (phase) => set({ phase }));
        switch (paid.kind) {
          case 'confirmed':
            return { ...ordered, payment: 'confirmed' };
          case 'pending':
            return { ...ordered, payment: 'pending' };
          case 'cancelled':
            return {
              ...ordered,
              payment: 'unpaid',
              message: groupId ? '支付已取消，座位为你保留到倒计时结束' : '支付已取消，可在订单中继续支付',
            };
          default:
            return { ...ordered, payment: 'unpaid', message: paid.message };
        }
      } finally {
        set({ phase: 'idle' });
      }
    },
  };
});
