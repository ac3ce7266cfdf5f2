import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadLastAddress, saveLastAddress } from '../services/address';
import { CloudCallError } from '../services/errors';
import * as orderService from '../services/order';
import * as pointsService from '../services/points';
import { ORDER_SERVER_TIME, orderView, paidOrder, paymentParams } from './order-fixtures';
import { payAndConfirm } from './pay-flow';
import { cashExchangeView, cashItem, exchangeView, mallItem } from './points-fixtures';
import { deferred } from './test-support';
import { EXCHANGE_RETRY_DELAYS_MS, exchangeAction, useMallItemStore } from './useMallItemStore';

vi.mock('../services/points', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../services/points')>()),
  item: vi.fn(),
  exchange: vi.fn(),
}));
vi.mock('../services/order', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../services/order')>()),
  detail: vi.fn(),
}));
vi.mock('../services/address', () => ({ loadLastAddress: vi.fn(), saveLastAddress: vi.fn() }));
vi.mock('./pay-flow', () => ({ payAndConfirm: vi.fn() }));

const item = vi.mocked(pointsService.item);
const exchange = vi.mocked(pointsService.exchange);
const orderDetail = vi.mocked(orderService.detail);
const lastAddress = vi.mocked(loadLastAddress);
const saveAddress = vi.mocked(saveLastAddress);
const payFlow = vi.mocked(payAndConfirm);
type ItemAnswer = Awaited<ReturnType<typeof pointsService.item>>;
type ExchangeAnswer = Awaited<ReturnType<typeof pointsService.exchange>>;

const ADDRESS = { name: '张三', phone: '13800138000', region: '浙江省 杭州市 西湖区', detail: '文三路 100 号' };
const store = () => useMallItemStore.getState();
const exchanged = (overrides: Partial<ExchangeAnswer> = {}): ExchangeAnswer => ({
  exchange: exchangeView(),
  payment: null,
  balance: 20,
  repeated: false,
  ...overrides,
});
const cashExchange = cashExchangeView({ itemId: 'mi-mug', orderId: 'o1' });

async function opened(shown = mallItem(), saved: typeof ADDRESS | null = null) {
  lastAddress.mockReturnValueOnce(saved);
  store().start(shown.itemId);
  item.mockResolvedValueOnce({ item: shown, balance: 120 });
  await store().load(shown.itemId);
}

beforeEach(() => {
  vi.resetAllMocks();
  useMallItemStore.setState(useMallItemStore.getInitialState(), true);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('useMallItemStore: the item', () => {
  it('goes loading, then shows the item and the balance', async () => {
    const pending = deferred<ItemAnswer>();
    item.mockReturnValueOnce(pending.promise);
    const done = store().load('mi-coupon-5');
    expect(store()).toMatchObject({ status: 'loading', itemId: 'mi-coupon-5', item: null });
    pending.resolve({ item: mallItem(), balance: 120 });
    await done;
    expect(store()).toMatchObject({ status: 'ready', item: mallItem(), balance: 120 });
  });

  it('another item’s picture and points never show under this one, and its late answer is dropped', async () => {
    await opened();
    const late = deferred<ItemAnswer>();
    item.mockReturnValueOnce(late.promise);
    const other = store().load('mi-other');
    expect(store()).toMatchObject({ itemId: 'mi-other', item: null, status: 'loading' });
    item.mockResolvedValueOnce({ item: cashItem(), balance: 120 });
    await store().load('mi-mug');
    late.resolve({ item: mallItem({ itemId: 'mi-other' }), balance: 1 });
    await other;
    expect(store()).toMatchObject({ itemId: 'mi-mug', item: cashItem(), balance: 120 });
  });

  it('the main button: 立即兑换 when available, otherwise why not', () => {
    expect(exchangeAction(mallItem())).toEqual({ label: '立即兑换', enabled: true });
    expect(exchangeAction(mallItem({ state: 'insufficient_points' }))).toEqual({ label: '积分不足', enabled: false });
    expect(exchangeAction(mallItem({ state: 'sold_out' }))).toEqual({ label: '已兑完', enabled: false });
    expect(exchangeAction(mallItem({ state: 'limit_reached' }))).toEqual({ label: '已达兑换上限', enabled: false });
    expect(exchangeAction(mallItem({ state: 'not_started' }))).toEqual({ label: '兑换未开始', enabled: false });
    expect(exchangeAction(mallItem({ state: 'ended' }))).toEqual({ label: '兑换已结束', enabled: false });
  });

  it('a new visit forgets the last exchange and starts from the saved address', async () => {
    await opened();
    exchange.mockResolvedValueOnce(exchanged());
    await store().exchange();
    expect(store().done).not.toBeNull();
    lastAddress.mockReturnValueOnce(ADDRESS);
    store().start('mi-coupon-5');
    expect(store()).toMatchObject({ done: null, address: ADDRESS, editingAddress: false, item: mallItem() });
  });
});

describe('useMallItemStore: exchange', () => {
  it('a coupon: sends the item and a requestId (no address, no points), then shows the success with the balance after', async () => {
    await opened();
    exchange.mockResolvedValueOnce(exchanged());
    const outcome = await store().exchange();
    expect(exchange).toHaveBeenCalledTimes(1);
    const input = exchange.mock.calls[0][0];
    expect(Object.keys(input).sort()).toEqual(['itemId', 'requestId']);
    expect(input.itemId).toBe('mi-coupon-5');
    expect(input.requestId).toMatch(/^[a-z0-9]{24}$/);
    expect(outcome).toEqual({ kind: 'exchanged', done: { exchange: exchangeView(), balance: 20 } });
    expect(store()).toMatchObject({ phase: 'idle', balance: 20, done: { balance: 20 } });
  });

  it('a second tap while the first is on its way sends nothing', async () => {
    await opened();
    const pending = deferred<ExchangeAnswer>();
    exchange.mockReturnValueOnce(pending.promise);
    const first = store().exchange();
    expect(store().phase).toBe('exchanging');
    expect(await store().exchange()).toEqual({ kind: 'busy' });
    pending.resolve(exchanged());
    await first;
    expect(exchange).toHaveBeenCalledTimes(1);
  });

  it('an item the member cannot exchange sends nothing and says why', async () => {
    await opened(mallItem({ state: 'insufficient_points' }));
    expect(await store().exchange()).toEqual({ kind: 'blocked', message: '积分不足' });
    expect(exchange).not.toHaveBeenCalled();
  });

  it('an item that ships needs a complete address: the problem beside its field, nothing sent', async () => {
    await opened(mallItem({ kind: 'product', needsAddress: true }));
    expect(store().editingAddress).toBe(true);
    const outcome = await store().exchange();
    expect(outcome.kind).toBe('invalid');
    expect(store().addressErrors.name).toBeTruthy();
    expect(exchange).not.toHaveBeenCalled();
  });

  it('a product: the address (trimmed) goes with it and is remembered; the success names the order', async () => {
    await opened(mallItem({ kind: 'product', needsAddress: true }), { ...ADDRESS, name: ' 张三 ' });
    const productExchange = exchangeView({ kind: 'product', couponId: null, orderId: 'o1', stateText: '待发货' });
    exchange.mockResolvedValueOnce(exchanged({ exchange: productExchange }));
    const outcome = await store().exchange();
    expect(exchange.mock.calls[0][0].address).toEqual(ADDRESS);
    expect(saveAddress).toHaveBeenCalledWith(ADDRESS);
    expect(outcome).toEqual({ kind: 'exchanged', done: { exchange: productExchange, balance: 20 } });
  });

  it('a refusal says the server’s words and reads the item again; the next tap is a new request', async () => {
    await opened();
    exchange.mockRejectedValueOnce(new CloudCallError('FAILED_PRECONDITION', '积分不足，无法兑换'));
    item.mockResolvedValueOnce({ item: mallItem({ state: 'insufficient_points' }), balance: 20 });
    expect(await store().exchange()).toEqual({ kind: 'refused', message: '积分不足，无法兑换' });
    await vi.waitFor(() => expect(store().item?.state).toBe('insufficient_points'));
    expect(store().unanswered).toBeNull();
  });

  it('no answer: retried with the same requestId, and the next tap resends it again', async () => {
    vi.useFakeTimers();
    await opened();
    exchange.mockRejectedValue(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    const first = store().exchange();
    await vi.advanceTimersByTimeAsync(EXCHANGE_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0));
    expect(await first).toEqual({ kind: 'failed', message: '服务繁忙，请稍后重试' });
    expect(exchange).toHaveBeenCalledTimes(EXCHANGE_RETRY_DELAYS_MS.length + 1);
    const ids = new Set(exchange.mock.calls.map(([input]) => input.requestId));
    expect(ids.size).toBe(1);
    exchange.mockReset();
    exchange.mockResolvedValueOnce(exchanged({ repeated: true }));
    expect((await store().exchange()).kind).toBe('exchanged');
    expect(exchange.mock.calls[0][0].requestId).toBe([...ids][0]);
  });

  it('points and cash: pays the order as the order pages do, then goes to it', async () => {
    await opened(cashItem(), ADDRESS);
    exchange.mockResolvedValueOnce(exchanged({ exchange: cashExchange, payment: paymentParams() }));
    orderDetail.mockResolvedValueOnce({ order: orderView(), serverTime: ORDER_SERVER_TIME });
    payFlow.mockImplementationOnce(async (_order, _payment, onPhase) => {
      onPhase('paying');
      expect(store().phase).toBe('paying');
      return { kind: 'confirmed', order: paidOrder(), serverTime: ORDER_SERVER_TIME };
    });
    expect(await store().exchange()).toEqual({ kind: 'ordered', orderId: 'o1', payment: 'confirmed' });
    expect(payFlow).toHaveBeenCalledWith(orderView(), paymentParams(), expect.any(Function));
    expect(store().phase).toBe('idle');
  });

  it('points and cash: a closed pay sheet leaves the order to pay later, and says where', async () => {
    await opened(cashItem(), ADDRESS);
    exchange.mockResolvedValueOnce(exchanged({ exchange: cashExchange, payment: paymentParams() }));
    orderDetail.mockResolvedValueOnce({ order: orderView(), serverTime: ORDER_SERVER_TIME });
    payFlow.mockResolvedValueOnce({ kind: 'cancelled' });
    expect(await store().exchange()).toEqual({
      kind: 'ordered',
      orderId: 'o1',
      payment: 'unpaid',
      message: '支付已取消，可在订单中继续支付',
    });
  });

  it('points and cash already paid (a repeated request): straight to the order, no pay sheet', async () => {
    await opened(cashItem(), ADDRESS);
    exchange.mockResolvedValueOnce(exchanged({ exchange: { ...cashExchange, state: 'done' }, repeated: true }));
    expect(await store().exchange()).toEqual({ kind: 'ordered', orderId: 'o1', payment: 'confirmed' });
    expect(payFlow).not.toHaveBeenCalled();
  });
});
