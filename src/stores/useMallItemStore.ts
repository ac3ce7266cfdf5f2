import { create } from 'zustand';
import type { ExchangeView, MallItemView } from '../../core/contracts/points';
import type { AddressFields } from '../../core/order/address';
import { MALL_STATE_MESSAGES } from '../../core/points/mall';
import { saveLastAddress } from '../services/address';
import { type Failure, toFailure } from '../services/errors';
import * as orderService from '../services/order';
import * as pointsService from '../services/points';
import { latestLoad } from './latest-load';
import type { LoadStatus } from './useMemberStore';
import { type AddressFormActions, type AddressFormState, addressFormActions, EMPTY_ADDRESS_FORM, lastAddressForm } from './address-form';
import { type PayPhase, payAndConfirm } from './pay-flow';

export type ExchangePhase = 'idle' | 'exchanging' | PayPhase;

/** Where a finished exchange leaves the member. */
export interface ExchangeDone {
  exchange: ExchangeView;
  /** The balance after it. */
  balance: number;
}

export type ExchangeOutcome =
  /** A coupon or a shipped product: the page shows its success state. */
  | { kind: 'exchanged'; done: ExchangeDone }
  /**
   * Points and cash: the order exists and the page goes to it. `payment` says how far paying got:
   * confirmed by the server, paid in WeChat but not confirmed yet, or not paid (with a message).
   */
  | { kind: 'ordered'; orderId: string; payment: 'confirmed' | 'pending' | 'unpaid'; message?: string }
  /** The address has a problem (shown beside its field); `message` is the first one. */
  | { kind: 'invalid'; message: string }
  /** The item cannot be exchanged as it stands (its state says why): nothing was sent. */
  | { kind: 'blocked'; message: string }
  /** The server said no (sold out, not enough points meanwhile): the item was read again. */
  | { kind: 'refused'; message: string }
  /** No answer after the retries: the next tap sends the same requestId. */
  | { kind: 'failed'; message: string }
  | { kind: 'busy' };

export interface MallItemState extends AddressFormState, AddressFormActions {
  /** The item asked for last; the page shows `item` only when it is that one. */
  itemId: string | null;
  status: LoadStatus;
  item: MallItemView | null;
  balance: number;
  error: string | null;
  failure: Failure | null;
  phase: ExchangePhase;
  /** The exchange this visit made: the page shows its success state instead of the item. */
  done: ExchangeDone | null;
  /**
   * An exchange that got no answer, with what it asked for: the server may have made it anyway, so
   * the next tap for the same exchange sends the same requestId and gets that exchange back.
   */
  unanswered: { requestId: string; key: string } | null;
  /** A new visit of the item page: nothing exchanged yet, the last address used. */
  start(itemId: string): void;
  load(itemId: string): Promise<void>;
  exchange(): Promise<ExchangeOutcome>;
}

/** Waits before resending an exchange that got no answer: short, the member is watching a spinner. */
export const EXCHANGE_RETRY_DELAYS_MS: readonly number[] = [600, 1500];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What the main button says and whether it can be tapped, from the item's state as the server sent it. */
export function exchangeAction(item: MallItemView): { label: string; enabled: boolean } {
  if (item.state === 'available') return { label: '立即兑换', enabled: true };
  return { label: MALL_STATE_MESSAGES[item.state], enabled: false };
}

export const useMallItemStore = create<MallItemState>((set, get) => {
  const load = latestLoad<MallItemState>(set, 'points.item');

  const exchangeOnce = async (input: Parameters<typeof pointsService.exchange>[0]) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return { ok: true as const, data: await pointsService.exchange(input) };
      } catch (error) {
        const failure = toFailure(error, 'points.exchange');
        // CONFLICT: the first attempt is still under way; asking again shortly finds its exchange.
        const unanswered = failure.code === 'UNAVAILABLE' || failure.code === 'CONFLICT';
        if (unanswered && attempt < EXCHANGE_RETRY_DELAYS_MS.length) {
          await sleep(EXCHANGE_RETRY_DELAYS_MS[attempt]);
          continue;
        }
        return { ok: false as const, failure, unanswered };
      }
    }
  };

  /** Points and cash: pays the order the exchange made, as the order pages do. */
  const payCash = async (
    exchange: ExchangeView,
    payment: Awaited<ReturnType<typeof pointsService.exchange>>['payment'],
  ): Promise<ExchangeOutcome> => {
    const orderId = exchange.orderId as string;
    if (exchange.state !== 'awaiting_payment') return { kind: 'ordered', orderId, payment: 'confirmed' };
    if (!payment) return { kind: 'ordered', orderId, payment: 'unpaid', message: '兑换已提交，请在订单中完成支付' };
    let order: Awaited<ReturnType<typeof orderService.detail>>['order'];
    try {
      order = (await orderService.detail(orderId)).order;
    } catch (error) {
      // The order page has 去支付 too.
      toFailure(error, 'order.detail');
      return { kind: 'ordered', orderId, payment: 'unpaid', message: '兑换已提交，请在订单中完成支付' };
    }
    const paid = await payAndConfirm(order, payment, (phase) => set({ phase }));
    switch (paid.kind) {
      case 'confirmed':
        return { kind: 'ordered', orderId, payment: 'confirmed' };
      case 'pending':
        return { kind: 'ordered', orderId, payment: 'pending' };
      case 'cancelled':
        return { kind: 'ordered', orderId, payment: 'unpaid', message: '支付已取消，可在订单中继续支付' };
      default:
        return { kind: 'ordered', orderId, payment: 'unpaid', message: paid.message };
    }
  };

  return {
    itemId: null,
    status: 'idle',
    item: null,
    balance: 0,
    error: null,
    failure: null,
    ...EMPTY_ADDRESS_FORM,
    phase: 'idle',
    done: null,
    unanswered: null,
    start(itemId) {
      set({
        ...(get().itemId === itemId ? {} : { itemId, status: 'idle', item: null }),
        done: null,
        unanswered: null,
        ...lastAddressForm(),
      });
    },
    load(itemId) {
      const same = get().itemId === itemId && get().status === 'ready';
      // Another item's picture and points must never show, even for a moment, under this one.
      return load(
        same,
        { itemId, item: null },
        () => pointsService.item(itemId),
        ({ item, balance }) => ({ item, balance }),
      );
    },
    ...addressFormActions(get, set),
    async exchange() {
      const state = get();
      if (state.phase !== 'idle') return { kind: 'busy' };
      const { item } = state;
      if (!item || state.status !== 'ready') return { kind: 'blocked', message: '商品信息加载中，请稍候' };
      const action = exchangeAction(item);
      if (!action.enabled) return { kind: 'blocked', message: action.label };
      let address: AddressFields | undefined;
      if (item.needsAddress) {
        const taken = state.takeAddress();
        if (!taken.ok) return { kind: 'invalid', message: taken.message };
        address = taken.address;
      }
      // The address is part of what was asked: the same item to another address is another request.
      const key = JSON.stringify({ itemId: item.itemId, address: address ?? null });
      const requestId = state.unanswered?.key === key ? state.unanswered.requestId : pointsService.newRequestId();
      set({ phase: 'exchanging', unanswered: { requestId, key }, ...(address ? { address, editingAddress: false } : {}) });
      try {
        const answered = await exchangeOnce({ itemId: item.itemId, requestId, ...(address ? { address } : {}) });
        if (!answered.ok) {
          if (!answered.unanswered) {
            set({ unanswered: null });
            // The server's reason (sold out, points spent elsewhere) shows once the item is read again.
            void get().load(item.itemId);
            return { kind: 'refused', message: answered.failure.message };
          }
          return { kind: 'failed', message: answered.failure.message };
        }
        set({ unanswered: null });
        if (address) saveLastAddress(address);
        const { exchange, payment, balance } = answered.data;
        if (exchange.state === 'failed' || exchange.state === 'cancelled' || exchange.state === 'refunded') {
          void get().load(item.itemId);
          return { kind: 'refused', message: `兑换未成功：${exchange.stateText}` };
        }
        if (exchange.kind === 'points_cash' && exchange.orderId) return await payCash(exchange, payment);
        const done = { exchange, balance };
        set({ done, balance });
        return { kind: 'exchanged', done };
      } finally {
        set({ phase: 'idle' });
      }
    },
  };
});
