import { create } from 'zustand';
import type { OrderView } from '../../core/contracts/order';
import { type Failure, toFailure } from '../services/errors';
import * as orderService from '../services/order';
import { clockOffsetMs, remainingMs } from './order-clock';
import type { LoadStatus } from './useMemberStore';
import { confirmPayment, type PayPhase, payAndConfirm, payOutcomeAnswer } from './pay-flow';

export type OrderAction = 'pay' | 'cancel' | 'refund' | 'confirm';

export type ActionOutcome =
  /** Done; `message` is what to tell the member (已取消订单). */
  | { kind: 'done'; message: string }
  /** Not done; `message` is the server's Chinese reason or the network message. */
  | { kind: 'failed'; message: string }
  /** Another action of this order is in flight: the tap is ignored. */
  | { kind: 'busy' };

export interface OrderDetailState {
  /** The order asked for last; the page shows `order` only when it is that one. */
  orderId: string | null;
  status: LoadStatus;
  order: OrderView | null;
  serverTime: string | null;
  /** Server clock minus phone clock when the order was read: the countdown runs on the server's time. */
  offsetMs: number;
  error: string | null;
  failure: Failure | null;
  /** The action in flight: its button shows loading, the others take no tap. */
  acting: OrderAction | null;
  /** Where 去支付 is: the sheet is open, or WeChat said paid and the server is being asked. */
  payPhase: PayPhase | null;
  /** WeChat said paid but the server has not confirmed yet: the page says 支付确认中, not 待付款. */
  confirming: boolean;
  /** The pay-by time passed while the page was open: 订单已超时, no 去支付. */
  timedOut: boolean;
  load(orderId: string): Promise<void>;
  /** After checkout when the callback was late: keeps asking a few seconds more. */
  watchPayment(): Promise<void>;
  /** Milliseconds left to pay, on the server's clock. */
  payRemainingMs(now?: number): number;
  markTimedOut(): void;
  pay(): Promise<ActionOutcome>;
  cancel(): Promise<ActionOutcome>;
  requestRefund(reason: string): Promise<ActionOutcome>;
  confirmReceipt(): Promise<ActionOutcome>;
}

let latestLoad = 0;

export const useOrderDetailStore = create<OrderDetailState>((set, get) => {
  const show = (order: OrderView, serverTime: string) => {
    const offsetMs = clockOffsetMs(serverTime);
    set({
      status: 'ready',
      order,
      serverTime,
      offsetMs,
      timedOut: order.state === 'created' && remainingMs(order.payBy, offsetMs) === 0,
      ...(order.state !== 'created' ? { confirming: false } : {}),
    });
  };

  /** Runs one action of the shown order: loading on its button, the answer shown, failures in Chinese. */
  const act = async (
    action: OrderAction,
    run: (orderId: string) => Promise<{ order: OrderView } | null>,
    done: string,
  ): Promise<ActionOutcome> => {
    const { order, acting } = get();
    if (!order || acting) return { kind: 'busy' };
    set({ acting: action });
    try {
      const answer = await run(order.orderId);
      // Actions answer the order without the server's time: the clock offset stays as it was read.
      if (answer && get().orderId === order.orderId) set({ order: answer.order });
      return { kind: 'done', message: done };
    } catch (error) {
      const failure = toFailure(error, `order.${action}`);
      // A refusal usually means the order moved on elsewhere (paid, shipped, swept): show it as it is now.
      if (failure.code !== 'UNAVAILABLE') void get().load(order.orderId);
      return { kind: 'failed', message: failure.message };
    } finally {
      set({ acting: null });
    }
  };

  return {
    orderId: null,
    status: 'idle',
    order: null,
    serverTime: null,
    offsetMs: 0,
    error: null,
    failure: null,
    acting: null,
    payPhase: null,
    confirming: false,
    timedOut: false,
    async load(orderId) {
      const ticket = ++latestLoad;
      const same = get().orderId === orderId && get().status === 'ready';
      set(
        same
          ? { error: null, failure: null }
          : { orderId, status: 'loading', order: null, error: null, failure: null, confirming: false, timedOut: false },
      );
      try {
        const { order, serverTime } = await orderService.detail(orderId);
        if (ticket !== latestLoad) return;
        show(order, serverTime);
      } catch (error) {
        const failure = toFailure(error, 'order.detail');
        if (ticket !== latestLoad) return;
        set(same ? { error: failure.message, failure } : { status: 'error', error: failure.message, failure });
      }
    },
    async watchPayment() {
      const orderId = get().orderId;
      if (!orderId) return;
      set({ confirming: true });
      const outcome = await confirmPayment(orderId);
      if (get().orderId !== orderId) return;
      if (outcome.kind === 'confirmed') show(outcome.order, outcome.serverTime);
      // Still unconfirmed: the banner stays; the scheduler asks WeChat Pay and the next visit shows it.
    },
    payRemainingMs(now) {
      const { order, offsetMs } = get();
      return order ? remainingMs(order.payBy, offsetMs, now) : 0;
    },
    markTimedOut() {
      if (get().order?.state === 'created') set({ timedOut: true });
    },
    async pay() {
      const { order, acting } = get();
      if (!order || acting) return { kind: 'busy' };
      set({ acting: 'pay' });
      try {
        const { order: current, payment } = await orderService.pay(order.orderId);
        const outcome = await payAndConfirm(current, payment, (payPhase) => set({ payPhase }));
        if (get().orderId !== order.orderId) return { kind: 'done', message: '' };
        if (outcome.kind === 'confirmed') show(outcome.order, outcome.serverTime);
        if (outcome.kind === 'pending') set({ confirming: true });
        return payOutcomeAnswer(outcome);
      } catch (error) {
        const failure = toFailure(error, 'order.pay');
        // 订单已超时 and the like: the order as it is now explains itself.
        if (failure.code !== 'UNAVAILABLE') void get().load(order.orderId);
        return { kind: 'failed', message: failure.message };
      } finally {
        set({ acting: null, payPhase: null });
      }
    },
    cancel: () => act('cancel', (orderId) => orderService.cancel(orderId), '订单已取消'),
    requestRefund: (reason) => act('refund', (orderId) => orderService.requestRefund(orderId, reason), '退款申请已提交'),
    confirmReceipt: () => act('confirm', (orderId) => orderService.confirmReceipt(orderId), '已确认收货'),
  };
});
