import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudCallError } from '../services/errors';
import * as orderService from '../services/order';
import { ORDER_SERVER_TIME, orderView, paidOrder, paymentParams } from './order-fixtures';
import { payAndConfirm } from './pay-flow';
import { anyThrown, deferred, shownMessageOf } from './test-support';
import { ORDER_TABS, tabOfParam, useOrderListStore } from './useOrderListStore';

vi.mock('../services/order', () => ({ list: vi.fn(), pay: vi.fn(), confirmReceipt: vi.fn() }));
// The pay sheet and the poll are mocked; what a tap says of their outcome is the real rule.
vi.mock('./pay-flow', async (importOriginal) => ({ ...(await importOriginal<typeof import('./pay-flow')>()), payAndConfirm: vi.fn() }));

const list = vi.mocked(orderService.list);
const pay = vi.mocked(orderService.pay);
const confirm = vi.mocked(orderService.confirmReceipt);
const payFlow = vi.mocked(payAndConfirm);
type Answer = Awaited<ReturnType<typeof orderService.list>>;

const o1 = orderView();
const o2 = paidOrder({ orderId: 'o2', createdAt: '2026-12-03T03:58:00.000Z' });
const answer = (orders = [o1, o2]): Answer => ({ orders, serverTime: ORDER_SERVER_TIME });
const store = () => useOrderListStore.getState();

beforeEach(() => {
  vi.resetAllMocks();
  useOrderListStore.setState(useOrderListStore.getInitialState(), true);
});

describe('order tabs', () => {
  it('are 全部 待付款 待发货 待收货 已完成 退款', () => {
    expect(ORDER_TABS.map((t) => t.title)).toEqual(['全部', '待付款', '待发货', '待收货', '已完成', '退款']);
  });

  it('open from a tab name or an order state; anything else opens 全部', () => {
    expect(tabOfParam('paid')).toBe('paid');
    expect(tabOfParam('refund')).toBe('refund');
    expect(tabOfParam('refunding')).toBe('refund');
    expect(tabOfParam('refunded')).toBe('refund');
    expect(tabOfParam('cancelled')).toBe('all');
    expect(tabOfParam(undefined)).toBe('all');
    expect(tabOfParam('<script>')).toBe('all');
  });
});

describe('useOrderListStore.load', () => {
  it('asks for the tab’s state and shows the orders with the server’s clock offset', async () => {
    const pending = deferred<Answer>();
    list.mockReturnValueOnce(pending.promise);
    const done = store().load('created');
    expect(list).toHaveBeenCalledWith('created');
    expect(store().lists.created).toMatchObject({ status: 'loading' });
    pending.resolve(answer([o1]));
    await done;
    expect(store().lists.created).toMatchObject({ status: 'ready', orders: [o1] });
    expect(Math.abs((store().lists.created?.offsetMs ?? 0) - (Date.parse(ORDER_SERVER_TIME) - Date.now()))).toBeLessThan(1000);
  });

  it('全部 asks without a state; 退款 merges refunding and refunded, newest first', async () => {
    list.mockResolvedValueOnce(answer());
    await store().load('all');
    expect(list).toHaveBeenCalledWith();
    const refunding = orderView({ orderId: 'r1', state: 'refunding', createdAt: '2026-12-01T00:00:00.000Z' });
    const refunded = orderView({ orderId: 'r2', state: 'refunded', createdAt: '2026-12-02T00:00:00.000Z' });
    list.mockResolvedValueOnce(answer([refunding])).mockResolvedValueOnce(answer([refunded]));
    await store().load('refund');
    expect(list).toHaveBeenCalledWith('refunding');
    expect(list).toHaveBeenCalledWith('refunded');
    expect(store().lists.refund?.orders.map((o) => o.orderId)).toEqual(['r2', 'r1']);
  });

  it('a refresh keeps the orders on screen', async () => {
    list.mockResolvedValueOnce(answer());
    await store().load('all');
    const pending = deferred<Answer>();
    list.mockReturnValueOnce(pending.promise);
    const refresh = store().load('all');
    expect(store().lists.all).toMatchObject({ status: 'ready', orders: [o1, o2] });
    pending.resolve(answer([o2]));
    await refresh;
    expect(store().lists.all?.orders).toEqual([o2]);
  });

  it('shows the message of any refusal, and the network message for anything else thrown', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await fc.assert(
        fc.asyncProperty(anyThrown, async (thrown) => {
          useOrderListStore.setState(useOrderListStore.getInitialState(), true);
          list.mockRejectedValueOnce(thrown);
          await store().load('paid');
          expect(store().lists.paid).toMatchObject({ status: 'error', error: shownMessageOf(thrown), orders: [] });
        }),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('drops the late answer of an older load of the same tab', async () => {
    const first = deferred<Answer>();
    list.mockReturnValueOnce(first.promise).mockResolvedValueOnce(answer([o2]));
    const older = store().load('all');
    await store().load('all');
    first.resolve(answer([o1]));
    await older;
    expect(store().lists.all?.orders).toEqual([o2]);
  });
});

describe('useOrderListStore actions', () => {
  it('去支付 asks for the payment again, pays, and reads the tab again before letting go', async () => {
    list.mockResolvedValueOnce(answer([o1]));
    await store().load('created');
    pay.mockResolvedValueOnce({ order: o1, payment: paymentParams() });
    const paying = deferred<Awaited<ReturnType<typeof payAndConfirm>>>();
    payFlow.mockImplementationOnce(async (_order, _payment, onPhase) => {
      onPhase('paying');
      return paying.promise;
    });
    list.mockResolvedValueOnce(answer([]));
    const done = store().pay('o1', 'created');
    await vi.waitFor(() => expect(store().acting.o1).toBe('paying'));
    expect(await store().pay('o1', 'created')).toEqual({ kind: 'busy' });
    paying.resolve({ kind: 'confirmed', order: paidOrder(), serverTime: ORDER_SERVER_TIME });
    expect(await done).toEqual({ kind: 'done', message: '支付成功' });
    expect(pay).toHaveBeenCalledTimes(1);
    expect(store().acting.o1).toBeUndefined();
    expect(store().lists.created?.orders).toEqual([]);
  });

  it('a closed pay sheet, or an order past its time, says so', async () => {
    pay.mockResolvedValueOnce({ order: o1, payment: paymentParams() });
    payFlow.mockResolvedValueOnce({ kind: 'cancelled' });
    list.mockResolvedValue(answer([o1]));
    expect(await store().pay('o1', 'created')).toEqual({ kind: 'failed', message: '支付已取消' });
    pay.mockRejectedValueOnce(new CloudCallError('FAILED_PRECONDITION', '订单已超时，请重新下单', 'r', 'pay_window_elapsed'));
    expect(await store().pay('o1', 'created')).toEqual({ kind: 'failed', message: '订单已超时，请重新下单' });
  });

  it('确认收货 confirms and reads the tab again; a refusal passes on the server’s message', async () => {
    confirm.mockResolvedValueOnce({ order: orderView({ state: 'completed' }) });
    list.mockResolvedValue(answer([]));
    expect(await store().confirmReceipt('o3', 'shipped')).toEqual({ kind: 'done', message: '已确认收货' });
    expect(list).toHaveBeenCalledWith('shipped');
    confirm.mockRejectedValueOnce(new CloudCallError('FAILED_PRECONDITION', '订单当前状态不能确认收货'));
    expect(await store().confirmReceipt('o3', 'shipped')).toEqual({ kind: 'failed', message: '订单当前状态不能确认收货' });
  });
});
