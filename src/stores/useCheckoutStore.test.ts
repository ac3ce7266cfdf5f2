import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadLastAddress, saveLastAddress } from '../services/address';
import { CloudCallError } from '../services/errors';
import * as orderService from '../services/order';
import { ORDER_SERVER_TIME, orderView, paidOrder, paymentParams, quoteView } from './order-fixtures';
import { payAndConfirm } from './pay-flow';
import { anyThrown, deferred, shownMessageOf } from './test-support';
import { CREATE_RETRY_DELAYS_MS, useCheckoutStore } from './useCheckoutStore';

vi.mock('../services/order', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../services/order')>()),
  quote: vi.fn(),
  create: vi.fn(),
}));
vi.mock('../services/address', () => ({ loadLastAddress: vi.fn(), saveLastAddress: vi.fn() }));
vi.mock('./pay-flow', () => ({ payAndConfirm: vi.fn() }));

const quote = vi.mocked(orderService.quote);
const createOrder = vi.mocked(orderService.create);
const lastAddress = vi.mocked(loadLastAddress);
const saveAddress = vi.mocked(saveLastAddress);
const payFlow = vi.mocked(payAndConfirm);
type QuoteAnswer = Awaited<ReturnType<typeof orderService.quote>>;
type CreateAnswer = Awaited<ReturnType<typeof orderService.create>>;

const LINES = [{ skuId: 'sku-tea-250', quantity: 1 }];
const ADDRESS = { name: '张三', phone: '13800138000', region: '浙江省 杭州市 西湖区', detail: '文三路 100 号' };
const created = (overrides: Partial<CreateAnswer> = {}): CreateAnswer => ({
  order: orderView(),
  payment: paymentParams(),
  repeated: false,
  ...overrides,
});
const store = () => useCheckoutStore.getState();
const unavailable = () => new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试');

async function started(answer = quoteView(), saved: typeof ADDRESS | null = ADDRESS) {
  lastAddress.mockReturnValueOnce(saved);
  quote.mockResolvedValueOnce(answer);
  await store().start(LINES);
}

beforeEach(() => {
  vi.resetAllMocks();
  useCheckoutStore.setState(useCheckoutStore.getInitialState(), true);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('useCheckoutStore: quote and coupon', () => {
  it('quotes with the best coupon first, the saved address filled in and closed', async () => {
    const pending = deferred<QuoteAnswer>();
    lastAddress.mockReturnValueOnce(ADDRESS);
    quote.mockReturnValueOnce(pending.promise);
    const done = store().start(LINES);
    expect(quote).toHaveBeenCalledWith(LINES, 'best');
    expect(store()).toMatchObject({ status: 'loading', address: ADDRESS, editingAddress: false });
    pending.resolve(quoteView());
    await done;
    expect(store()).toMatchObject({ status: 'ready', quoting: false, quote: { coupon: { couponId: 'c-new' }, payable: 14800 } });
  });

  it('without a saved address, the form starts open and empty', async () => {
    await started(quoteView(), null);
    expect(store()).toMatchObject({ editingAddress: true, address: { name: '', phone: '', region: '', detail: '' } });
  });

  it('another coupon, or none, is quoted again while the last quote stays on screen', async () => {
    await started();
    const pending = deferred<QuoteAnswer>();
    quote.mockReturnValueOnce(pending.promise);
    const choosing = store().chooseCoupon({ couponId: 'c-welcome' });
    expect(quote).toHaveBeenLastCalledWith(LINES, 'c-welcome');
    expect(store()).toMatchObject({ status: 'ready', quoting: true, quote: { payable: 14800 } });
    pending.resolve(quoteView({ coupon: { couponId: 'c-welcome', name: '新人礼包券', discount: 800 }, payable: 15000 }));
    await choosing;
    expect(store()).toMatchObject({ quoting: false, quote: { payable: 15000 } });
    quote.mockResolvedValueOnce(quoteView({ coupon: null, discount: 0, payable: 15800 }));
    await store().chooseCoupon('none');
    expect(quote).toHaveBeenLastCalledWith(LINES, 'none');
    expect(store().quote?.coupon).toBeNull();
  });

  it('a first quote that fails shows the message of any refusal, or the network message', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await fc.assert(
        fc.asyncProperty(anyThrown, async (thrown) => {
          useCheckoutStore.setState(useCheckoutStore.getInitialState(), true);
          quote.mockRejectedValueOnce(thrown);
          await store().start(LINES);
          expect(store()).toMatchObject({ status: 'error', error: shownMessageOf(thrown), quote: null });
        }),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('drops the late answer of an older quote', async () => {
    await started();
    const first = deferred<QuoteAnswer>();
    quote.mockReturnValueOnce(first.promise).mockResolvedValueOnce(quoteView({ coupon: null, payable: 15800 }));
    const older = store().chooseCoupon({ couponId: 'c-welcome' });
    await store().chooseCoupon('none');
    first.resolve(quoteView({ payable: 15000 }));
    await older;
    expect(store().quote?.payable).toBe(15800);
  });
});

describe('useCheckoutStore: address', () => {
  it('names each wrong field, and a fixed field loses its message', async () => {
    await started(quoteView(), null);
    store().setAddressField('name', '李四');
    expect(store().confirmAddress()).toBe(false);
    expect(store().addressErrors).toMatchObject({ phone: '请填写手机号码', region: '请填写所在地区' });
    store().setAddressField('phone', '138 0013 8000');
    expect(store().addressErrors.phone).toBeUndefined();
    store().setAddressField('region', '上海市 徐汇区');
    store().setAddressField('detail', '漕溪北路 1 号');
    expect(store().confirmAddress()).toBe(true);
    expect(store()).toMatchObject({ editingAddress: false, address: { phone: '13800138000' } });
  });
});

describe('useCheckoutStore: submit', () => {
  it('creates with the coupon shown and a fresh requestId, pays, and reports the order confirmed', async () => {
    await started();
    createOrder.mockResolvedValueOnce(created());
    payFlow.mockImplementationOnce(async (_order, _payment, onPhase) => {
      onPhase('paying');
      expect(store().phase).toBe('paying');
      onPhase('confirming');
      expect(store().phase).toBe('confirming');
      return { kind: 'confirmed', order: paidOrder(), serverTime: ORDER_SERVER_TIME };
    });
    const outcome = await store().submit();
    expect(createOrder).toHaveBeenCalledWith({
      lines: LINES,
      coupon: 'c-new',
      address: ADDRESS,
      requestId: expect.stringMatching(/^[a-z0-9]{24}$/),
    });
    expect(payFlow).toHaveBeenCalledWith(orderView(), paymentParams(), expect.any(Function));
    expect(outcome).toEqual({ kind: 'ordered', orderId: 'o1', payment: 'confirmed' });
    expect(saveAddress).toHaveBeenCalledWith(ADDRESS);
    expect(store()).toMatchObject({ phase: 'idle', unanswered: null });
  });

  it('shows creating while in flight and ignores a second tap', async () => {
    await started();
    const pending = deferred<CreateAnswer>();
    createOrder.mockReturnValueOnce(pending.promise);
    payFlow.mockResolvedValueOnce({ kind: 'cancelled' });
    const first = store().submit();
    expect(store().phase).toBe('creating');
    expect(await store().submit()).toEqual({ kind: 'busy' });
    pending.resolve(created());
    expect(await first).toMatchObject({ kind: 'ordered', payment: 'unpaid', message: '支付已取消，可在订单中继续支付' });
    expect(createOrder).toHaveBeenCalledTimes(1);
  });

  it('sends "none" when the member chose no coupon', async () => {
    await started(quoteView({ coupon: null, discount: 0, payable: 15800 }));
    createOrder.mockResolvedValueOnce(created());
    payFlow.mockResolvedValueOnce({ kind: 'pending', order: null, serverTime: null });
    expect(await store().submit()).toMatchObject({ kind: 'ordered', payment: 'pending' });
    expect(createOrder.mock.calls[0][0].coupon).toBe('none');
  });

  it('retries a create that got no answer with the same requestId', async () => {
    vi.useFakeTimers();
    await started();
    createOrder.mockRejectedValueOnce(unavailable()).mockResolvedValueOnce(created());
    payFlow.mockResolvedValueOnce({ kind: 'confirmed', order: paidOrder(), serverTime: ORDER_SERVER_TIME });
    const outcome = store().submit();
    await vi.advanceTimersByTimeAsync(CREATE_RETRY_DELAYS_MS[0]);
    expect(await outcome).toMatchObject({ kind: 'ordered' });
    const [first, second] = createOrder.mock.calls.map(([input]) => input.requestId);
    expect(second).toBe(first);
  });

  it('when no attempt is answered, says so, and the next tap for the same order resends the same requestId', async () => {
    vi.useFakeTimers();
    await started();
    createOrder.mockRejectedValue(unavailable());
    const outcome = store().submit();
    await vi.advanceTimersByTimeAsync(CREATE_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0));
    expect(await outcome).toEqual({ kind: 'failed', message: '服务繁忙，请稍后重试' });
    expect(createOrder).toHaveBeenCalledTimes(CREATE_RETRY_DELAYS_MS.length + 1);
    const requestId = createOrder.mock.calls[0][0].requestId;
    createOrder.mockReset();
    createOrder.mockResolvedValueOnce(created({ repeated: true }));
    payFlow.mockResolvedValueOnce({ kind: 'confirmed', order: paidOrder(), serverTime: ORDER_SERVER_TIME });
    await store().submit();
    expect(createOrder.mock.calls[0][0].requestId).toBe(requestId);
  });

  it('a changed order (another address) is a new request, not the unanswered one', async () => {
    vi.useFakeTimers();
    await started();
    createOrder.mockRejectedValue(unavailable());
    const outcome = store().submit();
    await vi.advanceTimersByTimeAsync(CREATE_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0));
    await outcome;
    const requestId = createOrder.mock.calls[0][0].requestId;
    store().setAddressField('detail', '文三路 200 号');
    createOrder.mockReset();
    createOrder.mockResolvedValueOnce(created());
    payFlow.mockResolvedValueOnce({ kind: 'cancelled' });
    await store().submit();
    expect(createOrder.mock.calls[0][0].requestId).not.toBe(requestId);
  });

  it('a refusal passes on the server’s message and reads the quote again, so the problem shows', async () => {
    await started();
    createOrder.mockRejectedValueOnce(new CloudCallError('FAILED_PRECONDITION', '明前龙井春茶礼盒库存不足', 'r1', 'insufficient_stock'));
    const problems = [{ skuId: 'sku-tea-250', problem: 'insufficient_stock', message: '库存不足，仅剩0件', available: 0 }];
    quote.mockResolvedValueOnce(quoteView({ problems }));
    expect(await store().submit()).toEqual({ kind: 'refused', message: '明前龙井春茶礼盒库存不足' });
    await vi.waitFor(() => expect(store().quote?.problems).toEqual(problems));
    expect(store().unanswered).toBeNull();
    expect(await store().submit()).toEqual({ kind: 'blocked', message: '明前龙井春茶礼盒：库存不足，仅剩0件' });
    expect(createOrder).toHaveBeenCalledTimes(1);
  });

  it('sends nothing while the address is incomplete, and opens the form', async () => {
    await started(quoteView(), { ...ADDRESS, phone: '1380013' });
    expect(await store().submit()).toEqual({ kind: 'invalid', message: '请输入11位手机号码' });
    expect(store()).toMatchObject({ editingAddress: true, addressErrors: { phone: '请输入11位手机号码' } });
    expect(createOrder).not.toHaveBeenCalled();
  });

  it('an order WeChat Pay could not prepare yet goes to the order page to pay there', async () => {
    await started();
    createOrder.mockResolvedValueOnce(created({ payment: null }));
    expect(await store().submit()).toMatchObject({ kind: 'ordered', orderId: 'o1', payment: 'unpaid' });
    expect(payFlow).not.toHaveBeenCalled();
  });

  it('a repeated create of an order already paid goes straight to it', async () => {
    await started();
    createOrder.mockResolvedValueOnce(created({ order: paidOrder(), payment: null, repeated: true }));
    expect(await store().submit()).toEqual({ kind: 'ordered', orderId: 'o1', payment: 'confirmed' });
    expect(payFlow).not.toHaveBeenCalled();
  });
});
