import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudCallError } from '../services/errors';
import * as orderService from '../services/order';
import * as pointsService from '../services/points';
import { ORDER_SERVER_TIME, orderView, paidOrder, paymentParams } from './order-fixtures';
import { payAndConfirm } from './pay-flow';
import { exchangeView } from './points-fixtures';
import { deferred } from './test-support';
import { useMyExchangesStore } from './useMyExchangesStore';

vi.mock('../services/points', () => ({ exchanges: vi.fn() }));
vi.mock('../services/order', () => ({ pay: vi.fn() }));
vi.mock('./pay-flow', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./pay-flow')>()),
  payAndConfirm: vi.fn(),
}));

const list = vi.mocked(pointsService.exchanges);
const pay = vi.mocked(orderService.pay);
const payFlow = vi.mocked(payAndConfirm);
const store = () => useMyExchangesStore.getState();
const awaiting = exchangeView({
  exchangeId: 'ex-2',
  kind: 'points_cash',
  state: 'awaiting_payment',
  stateText: '待支付',
  couponId: null,
  orderId: 'o1',
});

beforeEach(() => {
  vi.resetAllMocks();
  useMyExchangesStore.setState(useMyExchangesStore.getInitialState(), true);
});

describe('useMyExchangesStore', () => {
  it('goes loading, then shows the exchanges; a first load that fails says why', async () => {
    const pending = deferred<Awaited<ReturnType<typeof pointsService.exchanges>>>();
    list.mockReturnValueOnce(pending.promise);
    const done = store().load();
    expect(store().status).toBe('loading');
    pending.resolve({ exchanges: [exchangeView()] });
    await done;
    expect(store()).toMatchObject({ status: 'ready', exchanges: [exchangeView()] });
    useMyExchangesStore.setState(useMyExchangesStore.getInitialState(), true);
    list.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await store().load();
    expect(store()).toMatchObject({ status: 'error', error: '服务繁忙，请稍后重试' });
  });

  it('去支付: the order’s pay sheet with its phases on the card, then the list read again', async () => {
    list.mockResolvedValue({ exchanges: [awaiting] });
    await store().load();
    pay.mockResolvedValueOnce({ order: orderView(), payment: paymentParams() });
    payFlow.mockImplementationOnce(async (_order, _payment, onPhase) => {
      onPhase('paying');
      expect(store().paying).toEqual({ exchangeId: 'ex-2', phase: 'paying' });
      return { kind: 'confirmed', order: paidOrder(), serverTime: ORDER_SERVER_TIME };
    });
    expect(await store().pay(awaiting)).toEqual({ kind: 'done', message: '支付成功' });
    expect(pay).toHaveBeenCalledWith('o1');
    expect(store().paying).toBeNull();
    expect(list).toHaveBeenCalledTimes(2);
  });

  it('one payment at a time; a refusal is said in the server’s words', async () => {
    list.mockResolvedValue({ exchanges: [awaiting] });
    await store().load();
    const pending = deferred<Awaited<ReturnType<typeof orderService.pay>>>();
    pay.mockReturnValueOnce(pending.promise);
    const first = store().pay(awaiting);
    expect(await store().pay(awaiting)).toEqual({ kind: 'busy' });
    pending.reject(new CloudCallError('FAILED_PRECONDITION', '订单已超时'));
    expect(await first).toEqual({ kind: 'failed', message: '订单已超时' });
    expect(pay).toHaveBeenCalledTimes(1);
    expect(payFlow).not.toHaveBeenCalled();
  });

  it('a closed pay sheet is said so', async () => {
    list.mockResolvedValue({ exchanges: [awaiting] });
    pay.mockResolvedValueOnce({ order: orderView(), payment: paymentParams() });
    payFlow.mockResolvedValueOnce({ kind: 'cancelled' });
    expect(await store().pay(awaiting)).toEqual({ kind: 'failed', message: '支付已取消' });
  });
});
