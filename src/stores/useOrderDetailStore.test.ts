import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudCallError } from '../services/errors';
import * as orderService from '../services/order';
import { ORDER_SERVER_TIME, orderView, paidOrder, paymentParams, refundView } from './order-fixtures';
import { confirmPayment, payAndConfirm } from './pay-flow';
import { anyThrown, deferred, shownMessageOf } from './test-support';
import { useOrderDetailStore } from './useOrderDetailStore';

vi.mock('../services/order', () => ({ detail: vi.fn(), pay: vi.fn(), cancel: vi.fn(), requestRefund: vi.fn(), confirmReceipt: vi.fn() }));
// The pay sheet and the poll are mocked; what a tap says of their outcome is the real rule.
vi.mock('./pay-flow', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./pay-flow')>()),
  payAndConfirm: vi.fn(),
  confirmPayment: vi.fn(),
}));

const detail = vi.mocked(orderService.detail);
const pay = vi.mocked(orderService.pay);
const cancel = vi.mocked(orderService.cancel);
const refund = vi.mocked(orderService.requestRefund);
const confirm = vi.mocked(orderService.confirmReceipt);
const payFlow = vi.mocked(payAndConfirm);
const confirmFlow = vi.mocked(confirmPayment);
type Answer = Awaited<ReturnType<typeof orderService.detail>>;

const o1 = orderView();
const answer = (order = o1, serverTime = ORDER_SERVER_TIME): Answer => ({ order, serverTime });
const store = () => useOrderDetailStore.getState();

async function loaded(order = o1, serverTime = ORDER_SERVER_TIME) {
  detail.mockResolvedValueOnce(answer(order, serverTime));
  await store().load(order.orderId);
}

beforeEach(() => {
  vi.resetAllMocks();
  useOrderDetailStore.setState(useOrderDetailStore.getInitialState(), true);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('useOrderDetailStore.load', () => {
  it('goes loading, then ready with the order', async () => {
    const pending = deferred<Answer>();
    detail.mockReturnValueOnce(pending.promise);
    const done = store().load('o1');
    expect(detail).toHaveBeenCalledWith('o1');
    expect(store()).toMatchObject({ orderId: 'o1', status: 'loading', order: null });
    pending.resolve(answer());
    await done;
    expect(store()).toMatchObject({ status: 'ready', order: o1, serverTime: ORDER_SERVER_TIME, timedOut: false });
  });

  it('counts down to the pay-by time on the server’s clock, whatever the phone’s says', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    // The phone runs a day behind the server; the order has 10 minutes left on the server's clock.
    vi.setSystemTime(Date.parse(ORDER_SERVER_TIME) - 86_400_000);
    await loaded();
    expect(store().payRemainingMs()).toBe(10 * 60_000);
    vi.advanceTimersByTime(4 * 60_000);
    expect(store().payRemainingMs()).toBe(6 * 60_000);
    vi.advanceTimersByTime(7 * 60_000);
    expect(store().payRemainingMs()).toBe(0);
  });

  it('an order read after its pay-by time is timed out at once; the countdown’s end times it out too', async () => {
    await loaded(o1, '2026-12-03T04:10:01.000Z');
    expect(store().timedOut).toBe(true);
    await loaded(o1);
    expect(store().timedOut).toBe(false);
    store().markTimedOut();
    expect(store().timedOut).toBe(true);
    await loaded(paidOrder());
    store().markTimedOut();
    expect(store().timedOut).toBe(false);
  });

  it('opening another order never shows the previous one while it loads', async () => {
    await loaded();
    const pending = deferred<Answer>();
    detail.mockReturnValueOnce(pending.promise);
    const next = store().load('o2');
    expect(store()).toMatchObject({ orderId: 'o2', status: 'loading', order: null });
    pending.resolve(answer(paidOrder({ orderId: 'o2' })));
    await next;
    expect(store().order?.orderId).toBe('o2');
  });

  it('shows the message of any refusal, and the network message for anything else thrown', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await fc.assert(
        fc.asyncProperty(anyThrown, async (thrown) => {
          useOrderDetailStore.setState(useOrderDetailStore.getInitialState(), true);
          detail.mockRejectedValueOnce(thrown);
          await store().load('o1');
          expect(store()).toMatchObject({ status: 'error', error: shownMessageOf(thrown), order: null });
        }),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('drops the late answer of an older load', async () => {
    const first = deferred<Answer>();
    detail.mockReturnValueOnce(first.promise).mockResolvedValueOnce(answer(paidOrder({ orderId: 'o2' })));
    const older = store().load('o1');
    await store().load('o2');
    first.resolve(answer());
    await older;
    expect(store().order?.orderId).toBe('o2');
  });

  it('after a late callback, watches a few seconds more and shows the order once paid', async () => {
    await loaded();
    const watching = deferred<Awaited<ReturnType<typeof confirmPayment>>>();
    confirmFlow.mockReturnValueOnce(watching.promise);
    const done = store().watchPayment();
    expect(store().confirming).toBe(true);
    watching.resolve({ kind: 'confirmed', order: paidOrder(), serverTime: ORDER_SERVER_TIME });
    await done;
    expect(store()).toMatchObject({ confirming: false, order: { state: 'paid' } });
  });
});

describe('useOrderDetailStore actions', () => {
  it('去支付: the pay phases show, a second tap is ignored, and the paid order shows', async () => {
    await loaded();
    pay.mockResolvedValueOnce({ order: o1, payment: paymentParams() });
    const paying = deferred<Awaited<ReturnType<typeof payAndConfirm>>>();
    payFlow.mockImplementationOnce(async (_order, _payment, onPhase) => {
      onPhase('confirming');
      return paying.promise;
    });
    const done = store().pay();
    await vi.waitFor(() => expect(store().payPhase).toBe('confirming'));
    expect(store().acting).toBe('pay');
    expect(await store().cancel()).toEqual({ kind: 'busy' });
    paying.resolve({ kind: 'confirmed', order: paidOrder(), serverTime: ORDER_SERVER_TIME });
    expect(await done).toEqual({ kind: 'done', message: '支付成功' });
    expect(store()).toMatchObject({ acting: null, payPhase: null, order: { state: 'paid' } });
  });

  it('去支付 on an order past its time: the server’s message, and the order read again', async () => {
    await loaded();
    pay.mockRejectedValueOnce(new CloudCallError('FAILED_PRECONDITION', '订单已超时，请重新下单', 'r', 'pay_window_elapsed'));
    detail.mockResolvedValueOnce(
      answer(orderView({ state: 'cancelled', can: { pay: false, cancel: false, confirmReceipt: false, requestRefund: false } })),
    );
    expect(await store().pay()).toEqual({ kind: 'failed', message: '订单已超时，请重新下单' });
    await vi.waitFor(() => expect(store().order?.state).toBe('cancelled'));
  });

  it('a callback later than the few seconds leaves the order 支付确认中', async () => {
    await loaded();
    pay.mockResolvedValueOnce({ order: o1, payment: paymentParams() });
    payFlow.mockResolvedValueOnce({ kind: 'pending', order: o1, serverTime: ORDER_SERVER_TIME });
    expect(await store().pay()).toEqual({ kind: 'done', message: '支付确认中，请稍候' });
    expect(store().confirming).toBe(true);
  });

  it('取消订单, 申请退款 and 确认收货 show the order the server answered', async () => {
    await loaded();
    const cancelled = orderView({ state: 'cancelled', can: { pay: false, cancel: false, confirmReceipt: false, requestRefund: false } });
    cancel.mockResolvedValueOnce({ order: cancelled });
    expect(await store().cancel()).toEqual({ kind: 'done', message: '订单已取消' });
    expect(store().order?.state).toBe('cancelled');

    await loaded(paidOrder());
    const refunding = paidOrder({ state: 'refunding', refunds: [refundView()] });
    const pending = deferred<Awaited<ReturnType<typeof orderService.requestRefund>>>();
    refund.mockReturnValueOnce(pending.promise);
    const asking = store().requestRefund('不想要了');
    expect(refund).toHaveBeenCalledWith('o1', '不想要了');
    expect(store().acting).toBe('refund');
    pending.resolve({ order: refunding, refund: refundView() });
    expect(await asking).toEqual({ kind: 'done', message: '退款申请已提交' });
    expect(store()).toMatchObject({ acting: null, order: { state: 'refunding' } });

    await loaded(paidOrder({ state: 'shipped' }));
    confirm.mockResolvedValueOnce({ order: paidOrder({ state: 'completed' }) });
    expect(await store().confirmReceipt()).toEqual({ kind: 'done', message: '已确认收货' });
    expect(store().order?.state).toBe('completed');
  });

  it('a refused action passes on the server’s message and reads the order again; no answer keeps it as shown', async () => {
    await loaded(paidOrder());
    refund.mockRejectedValueOnce(new CloudCallError('FAILED_PRECONDITION', '订单已发货，请联系客服退款'));
    detail.mockResolvedValueOnce(answer(paidOrder({ state: 'shipped' })));
    expect(await store().requestRefund('不想要了')).toEqual({ kind: 'failed', message: '订单已发货，请联系客服退款' });
    await vi.waitFor(() => expect(store().order?.state).toBe('shipped'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    confirm.mockRejectedValueOnce(new Error('offline'));
    expect(await store().confirmReceipt()).toEqual({ kind: 'failed', message: '网络异常，请稍后重试' });
    warn.mockRestore();
    expect(detail).toHaveBeenCalledTimes(2);
  });
});
