import { create } from 'zustand';
import type { ExchangeView } from '../../core/contracts/points';
import { type Failure, toFailure } from '../services/errors';
import * as orderService from '../services/order';
import * as pointsService from '../services/points';
import { latestLoad } from './latest-load';
import type { LoadStatus } from './useMemberStore';
import { type PayPhase, payAndConfirm, payOutcomeAnswer } from './pay-flow';

export type PayExchangeOutcome = { kind: 'done' | 'failed'; message: string } | { kind: 'busy' };

export interface MyExchangesState {
  status: LoadStatus;
  /** Newest first. */
  exchanges: ExchangeView[];
  error: string | null;
  failure: Failure | null;
  /** The exchange whose cash part is being paid, and how far: its button shows loading, the others take no tap. */
  paying: { exchangeId: string; phase: PayPhase | 'preparing' } | null;
  load(): Promise<void>;
  /** 去支付 on an exchange awaiting its cash part: the order's pay sheet, then the list read again. */
  pay(exchange: ExchangeView): Promise<PayExchangeOutcome>;
}

export const useMyExchangesStore = create<MyExchangesState>((set, get) => {
  const load = latestLoad<MyExchangesState>(set, 'points.exchanges');
  return {
    status: 'idle',
    exchanges: [],
    error: null,
    failure: null,
    paying: null,
    load: () =>
      load(
        get().status === 'ready',
        {},
        () => pointsService.exchanges(),
        ({ exchanges }) => ({ exchanges }),
      ),
    async pay(exchange) {
      const orderId = exchange.orderId;
      if (get().paying || !orderId) return { kind: 'busy' };
      set({ paying: { exchangeId: exchange.exchangeId, phase: 'preparing' } });
      try {
        const { order, payment } = await orderService.pay(orderId);
        const outcome = await payAndConfirm(order, payment, (phase) => set({ paying: { exchangeId: exchange.exchangeId, phase } }));
        return payOutcomeAnswer(outcome);
      } catch (error) {
        // 订单已超时 and the like: the server's words; the list read again shows where the exchange is now.
        return { kind: 'failed', message: toFailure(error, 'order.pay').message };
      } finally {
        set({ paying: null });
        void get().load();
      }
    },
  };
});
