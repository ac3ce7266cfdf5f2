import { create } from 'zustand';
import type { OrderView } from '../../core/contracts/order';
import type { OrderState } from '../../core/order/transitions';
import { type Failure, toFailure } from '../services/errors';
import * as orderService from '../services/order';
import { clockOffsetMs } from './order-clock';
import type { LoadStatus } from './useMemberStore';
import { type PayPhase, payAndConfirm, payOutcomeAnswer } from './pay-flow';
import type { ActionOutcome } from './useOrderDetailStore';

export type OrderTab = 'all' | 'created' | 'paid' | 'shipped' | 'completed' | 'refund';

/** The tabs in order, each with the states it lists (all: every state) and what an empty tab says. */
export const ORDER_TABS: ReadonlyArray<{ tab: OrderTab; title: string; states: readonly OrderState[] | null; empty: string }> = [
  { tab: 'all', title: '全部', states: null, empty: '还没有订单，去逛逛吧' },
  { tab: 'created', title: '待付款', states: ['created'], empty: '没有待付款的订单' },
  { tab: 'paid', title: '待发货', states: ['paid'], empty: '没有待发货的订单' },
  { tab: 'shipped', title: '待收货', states: ['shipped'], empty: '没有待收货的订单' },
  { tab: 'completed', title: '已完成', states: ['completed'], empty: '没有已完成的订单' },
  // One tab for the whole refund story: in progress and done.
  { tab: 'refund', title: '退款', states: ['refunding', 'refunded'], empty: '没有退款的订单' },
];

/** The tab a `state` query opens: a tab name, or an order state (a notice's link, the member center). */
export function tabOfParam(param: string | undefined | null): OrderTab {
  if (!param) return 'all';
  const byName = ORDER_TABS.find((t) => t.tab === param);
  if (byName) return byName.tab;
  return ORDER_TABS.find((t) => t.states?.includes(param as OrderState))?.tab ?? 'all';
}

export interface OrderList {
  status: LoadStatus;
  orders: OrderView[];
  /** Server clock minus phone clock when the list was read: the 去支付 countdowns run on it. */
  offsetMs: number;
  error: string | null;
  failure: Failure | null;
}

export const EMPTY_ORDER_LIST: OrderList = { status: 'idle', orders: [], offsetMs: 0, error: null, failure: null };

export interface OrderListState {
  lists: Partial<Record<OrderTab, OrderList>>;
  /** Orders with an action in flight (去支付, 确认收货): their buttons show loading and take no tap. */
  acting: Record<string, PayPhase | 'confirm' | 'starting'>;
  load(tab: OrderTab): Promise<void>;
  pay(orderId: string, tab: OrderTab): Promise<ActionOutcome>;
  confirmReceipt(orderId: string, tab: OrderTab): Promise<ActionOutcome>;
}

const latestLoad = new Map<OrderTab, number>();

/** Newest first, as the server sorts one state's list. */
const newestFirst = (a: OrderView, b: OrderView) => b.createdAt.localeCompare(a.createdAt);

async function fetchTab(tab: OrderTab): Promise<{ orders: OrderView[]; serverTime: string }> {
  const states = ORDER_TABS.find((t) => t.tab === tab)?.states ?? null;
  if (!states || states.length === 0) return orderService.list();
  if (states.length === 1) return orderService.list(states[0]);
  const answers = await Promise.all(states.map((state) => orderService.list(state)));
  return { orders: answers.flatMap((answer) => answer.orders).sort(newestFirst), serverTime: answers[0].serverTime };
}

export const useOrderListStore = create<OrderListState>((set, get) => {
  const patch = (tab: OrderTab, change: Partial<OrderList>) =>
    set((state) => ({ lists: { ...state.lists, [tab]: { ...(state.lists[tab] ?? EMPTY_ORDER_LIST), ...change } } }));
  const setActing = (orderId: string, value: OrderListState['acting'][string] | null) =>
    set((state) => {
      const acting = { ...state.acting };
      if (value) acting[orderId] = value;
      else delete acting[orderId];
      return { acting };
    });
  /**
   * The list is read again before the button lets go, so the order never flashes back to its old
   * state. Other tabs refresh when opened (the page loads a tab on every switch).
   */
  const refreshAfter = (tab: OrderTab) => get().load(tab);

  return {
    lists: {},
    acting: {},
    async load(tab) {
      const ticket = (latestLoad.get(tab) ?? 0) + 1;
      latestLoad.set(tab, ticket);
      const shown = get().lists[tab]?.status === 'ready';
      patch(tab, shown ? { error: null, failure: null } : { status: 'loading', error: null, failure: null });
      try {
        const { orders, serverTime } = await fetchTab(tab);
        if (latestLoad.get(tab) !== ticket) return;
        patch(tab, { status: 'ready', orders, offsetMs: clockOffsetMs(serverTime) });
      } catch (error) {
        const failure = toFailure(error, 'order.list');
        if (latestLoad.get(tab) !== ticket) return;
        patch(tab, shown ? { error: failure.message, failure } : { status: 'error', error: failure.message, failure });
      }
    },
    async pay(orderId, tab) {
      if (get().acting[orderId]) return { kind: 'busy' };
      setActing(orderId, 'starting');
      try {
        const { order, payment } = await orderService.pay(orderId);
        const outcome = await payAndConfirm(order, payment, (phase) => setActing(orderId, phase));
        return payOutcomeAnswer(outcome);
      } catch (error) {
        return { kind: 'failed', message: toFailure(error, 'order.pay').message };
      } finally {
        setActing(orderId, null);
        await refreshAfter(tab);
      }
    },
    async confirmReceipt(orderId, tab) {
      if (get().acting[orderId]) return { kind: 'busy' };
      setActing(orderId, 'confirm');
      try {
        await orderService.confirmReceipt(orderId);
        return { kind: 'done', message: '已确认收货' };
      } catch (error) {
        return { kind: 'failed', message: toFailure(error, 'order.confirmReceipt').message };
      } finally {
        setActing(orderId, null);
        await refreshAfter(tab);
      }
    },
  };
});
