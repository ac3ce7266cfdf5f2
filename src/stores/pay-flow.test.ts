import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as orderService from '../services/order';
import { PaymentCancelled, requestPayment } from '../services/wechat-sheets';
import { ORDER_SERVER_TIME, orderLine, orderView, paidOrder, paymentParams } from './order-fixtures';
import { CONFIRM_POLL_DELAYS_MS, payAndConfirm, payDescription } from './pay-flow';

vi.mock('../services/order', () => ({ detail: vi.fn() }));
vi.mock('../services/wechat-sheets', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../services/wechat-sheets')>()),
  requestPayment: vi.fn(),
}));

const detail = vi.mocked(orderService.detail);
const pay = vi.mocked(requestPayment);
const order = orderView();

beforeEach(() => {
  detail.mockReset();
  pay.mockReset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('payAndConfirm', () => {
  it('opens the sheet with the order’s number, amount and first line, then confirms with the server', async () => {
    pay.mockResolvedValueOnce(undefined);
    detail.mockResolvedValueOnce({ order: paidOrder(), serverTime: ORDER_SERVER_TIME });
    const phases: string[] = [];
    const outcome = await payAndConfirm(order, paymentParams(), (phase) => phases.push(phase));
    expect(pay).toHaveBeenCalledWith(paymentParams(), { outTradeNo: 'o1', totalFee: 14800, description: '明前龙井春茶礼盒' });
    expect(phases).toEqual(['paying', 'confirming']);
    expect(outcome).toMatchObject({ kind: 'confirmed', order: { state: 'paid' } });
  });

  it('asks again about a second apart until the callback has arrived', async () => {
    vi.useFakeTimers();
    pay.mockResolvedValueOnce(undefined);
    detail
      .mockResolvedValueOnce({ order, serverTime: ORDER_SERVER_TIME })
      .mockRejectedValueOnce(new Error('offline'))
      .mockResolvedValueOnce({ order: paidOrder(), serverTime: ORDER_SERVER_TIME });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const outcome = payAndConfirm(order, paymentParams(), () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(detail).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(detail).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2001);
    expect(await outcome).toMatchObject({ kind: 'confirmed' });
    expect(detail).toHaveBeenCalledTimes(3);
    warn.mockRestore();
  });

  it('gives up after a few seconds and says the payment is still being confirmed', async () => {
    vi.useFakeTimers();
    pay.mockResolvedValueOnce(undefined);
    detail.mockResolvedValue({ order, serverTime: ORDER_SERVER_TIME });
    const outcome = payAndConfirm(order, paymentParams(), () => undefined);
    await vi.advanceTimersByTimeAsync(CONFIRM_POLL_DELAYS_MS.reduce((a, b) => a + b, 0));
    expect(await outcome).toMatchObject({ kind: 'pending', order: { state: 'created' } });
    expect(detail).toHaveBeenCalledTimes(CONFIRM_POLL_DELAYS_MS.length);
    expect(CONFIRM_POLL_DELAYS_MS.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(5000);
  });

  it('a closed sheet is cancelled, a failed one failed; neither asks the server', async () => {
    pay.mockRejectedValueOnce(new PaymentCancelled());
    expect(await payAndConfirm(order, paymentParams(), () => undefined)).toEqual({ kind: 'cancelled' });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    pay.mockRejectedValueOnce(new Error('requestPayment:fail'));
    expect(await payAndConfirm(order, paymentParams(), () => undefined)).toMatchObject({ kind: 'failed', message: expect.any(String) });
    warn.mockRestore();
    expect(detail).not.toHaveBeenCalled();
  });

  it('names more lines as 等N件', () => {
    expect(payDescription({ lines: [orderLine(), orderLine({ skuId: 'x' })] })).toBe('明前龙井春茶礼盒等2件');
  });
});
