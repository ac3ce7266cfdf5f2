import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GroupSeat } from '../../core/groupbuy/seat-param';
import { loadLastAddress, saveLastAddress } from '../services/address';
import { CloudCallError } from '../services/errors';
import * as groupbuyService from '../services/groupbuy';
import * as orderService from '../services/order';
import { activityView, GROUP_SERVER_TIME, groupCard, groupView } from './group-fixtures';
import { orderLine, orderView, paidOrder, paymentParams, quoteView } from './order-fixtures';
import { payAndConfirm } from './pay-flow';
import { CREATE_RETRY_DELAYS_MS, seatBlocker, useCheckoutStore } from './useCheckoutStore';

vi.mock('../services/groupbuy', () => ({ activity: vi.fn(), group: vi.fn(), quote: vi.fn(), open: vi.fn(), join: vi.fn() }));
vi.mock('../services/order', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../services/order')>()),
  quote: vi.fn(),
  create: vi.fn(),
}));
vi.mock('../services/address', () => ({ loadLastAddress: vi.fn(), saveLastAddress: vi.fn() }));
vi.mock('./pay-flow', () => ({ payAndConfirm: vi.fn() }));

const activity = vi.mocked(groupbuyService.activity);
const group = vi.mocked(groupbuyService.group);
const quote = vi.mocked(groupbuyService.quote);
const open = vi.mocked(groupbuyService.open);
const join = vi.mocked(groupbuyService.join);
const orderQuote = vi.mocked(orderService.quote);
const orderCreate = vi.mocked(orderService.create);
const lastAddress = vi.mocked(loadLastAddress);
const saveAddress = vi.mocked(saveLastAddress);
const payFlow = vi.mocked(payAndConfirm);
type SeatAnswer = Awaited<ReturnType<typeof groupbuyService.open>>;

const ADDRESS = { name: '张三', phone: '13800138000', region: '浙江省 杭州市 西湖区', detail: '文三路 100 号' };
const OPEN: GroupSeat = { kind: 'open', activityId: 'gb-mug', skuId: 'sku-mug-pink' };
const JOIN: GroupSeat = { kind: 'join', groupId: 'g1', skuId: 'sku-mug-pink' };
const seatQuote = () =>
  quoteView({
    lines: [orderLine({ skuId: 'sku-mug-pink', name: '樱花陶瓷马克杯', unitPrice: 3900, lineTotal: 3900, discount: 0, payable: 3900 })],
    subtotal: 3900,
    discount: 0,
    payable: 3900,
    coupon: null,
    applicable: [],
    inapplicable: [],
  });
const placed = (overrides: Partial<SeatAnswer> = {}): SeatAnswer => ({
  group: groupView({ state: 'pending', paid: 0 }, { seat: 'held', leader: true, orderId: 'o1', action: 'pay', label: '去支付' }),
  order: orderView({ payable: 3900 }),
  payment: paymentParams(),
  repeated: false,
  ...overrides,
});
const store = () => useCheckoutStore.getState();

async function startedOpen(activityOverrides = {}) {
  lastAddress.mockReturnValueOnce(ADDRESS);
  activity.mockResolvedValueOnce({ activity: activityView(activityOverrides), groups: [groupCard()], serverTime: GROUP_SERVER_TIME });
  quote.mockResolvedValueOnce(seatQuote());
  await store().startSeat(OPEN);
}

async function startedJoin(g = groupView()) {
  lastAddress.mockReturnValueOnce(ADDRESS);
  group.mockResolvedValueOnce({ group: g, activity: activityView(), serverTime: GROUP_SERVER_TIME });
  quote.mockResolvedValueOnce(seatQuote());
  await store().startSeat(JOIN);
}

beforeEach(() => {
  vi.resetAllMocks();
  useCheckoutStore.setState(useCheckoutStore.getInitialState(), true);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('useCheckoutStore in group mode: reading and quoting a seat', () => {
  it('opening: reads the activity, then quotes one seat without coupons when the activity allows none', async () => {
    await startedOpen();
    expect(activity).toHaveBeenCalledWith('gb-mug');
    expect(quote).toHaveBeenCalledWith('gb-mug', 'sku-mug-pink', 'none');
    expect(orderQuote).not.toHaveBeenCalled();
    expect(store()).toMatchObject({ status: 'ready', seat: OPEN, activity: { activityId: 'gb-mug' }, group: null, quote: seatQuote() });
  });

  it('with coupons allowed, the best coupon is quoted first, and the member may choose another', async () => {
    await startedOpen({ couponsAllowed: true });
    expect(quote).toHaveBeenLastCalledWith('gb-mug', 'sku-mug-pink', 'best');
    quote.mockResolvedValueOnce(seatQuote());
    await store().chooseCoupon({ couponId: 'c-5' });
    expect(quote).toHaveBeenLastCalledWith('gb-mug', 'sku-mug-pink', 'c-5');
  });

  it('joining: reads the group to learn its activity, then quotes', async () => {
    await startedJoin();
    expect(group).toHaveBeenCalledWith('g1');
    expect(quote).toHaveBeenCalledWith('gb-mug', 'sku-mug-pink', 'none');
    expect(store()).toMatchObject({ status: 'ready', group: { groupId: 'g1' } });
  });

  it('a group that cannot be read is an error with the server’s message; 重试 reads it again', async () => {
    lastAddress.mockReturnValueOnce(ADDRESS);
    group.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await store().startSeat(JOIN);
    expect(store()).toMatchObject({ status: 'error', error: '服务繁忙，请稍后重试', quote: null });
    expect(quote).not.toHaveBeenCalled();
    group.mockResolvedValueOnce({ group: groupView(), activity: activityView(), serverTime: GROUP_SERVER_TIME });
    quote.mockResolvedValueOnce(seatQuote());
    await store().requote();
    expect(store()).toMatchObject({ status: 'ready', quote: seatQuote() });
  });

  it('a checkout of lines after a seat is an ordinary order again', async () => {
    await startedOpen();
    lastAddress.mockReturnValueOnce(ADDRESS);
    orderQuote.mockResolvedValueOnce(quoteView());
    await store().start([{ skuId: 'sku-tea-250', quantity: 1 }]);
    expect(store()).toMatchObject({ seat: null, activity: null, group: null, quote: quoteView() });
  });
});

describe('useCheckoutStore in group mode: buying the seat', () => {
  it('opens with a fresh requestId, the address and no coupon, pays, and names the group to go to', async () => {
    await startedOpen();
    open.mockResolvedValueOnce(placed());
    payFlow.mockResolvedValueOnce({ kind: 'confirmed', order: paidOrder(), serverTime: GROUP_SERVER_TIME });
    expect(await store().submit()).toEqual({ kind: 'ordered', orderId: 'o1', groupId: 'g1', payment: 'confirmed' });
    const [activityId, input] = open.mock.calls[0];
    expect(activityId).toBe('gb-mug');
    expect(input).toMatchObject({ skuId: 'sku-mug-pink', address: ADDRESS, coupon: 'none' });
    expect(input.requestId).toMatch(/^[a-z0-9]{24}$/);
    expect(orderCreate).not.toHaveBeenCalled();
    expect(saveAddress).toHaveBeenCalledWith(ADDRESS);
  });

  it('joins the group named, and a closed pay sheet keeps the seat to pay on the group’s page', async () => {
    await startedJoin();
    join.mockResolvedValueOnce(placed({ group: groupView({}, { seat: 'held', orderId: 'o1', action: 'pay', label: '去支付' }) }));
    payFlow.mockResolvedValueOnce({ kind: 'cancelled' });
    expect(await store().submit()).toEqual({
      kind: 'ordered',
      orderId: 'o1',
      groupId: 'g1',
      payment: 'unpaid',
      message: '支付已取消，座位为你保留到倒计时结束',
    });
    expect(join.mock.calls[0][0]).toBe('g1');
  });

  it('a group that filled meanwhile: the server’s words, and the group read again so the page says it too', async () => {
    await startedJoin();
    join.mockRejectedValueOnce(new CloudCallError('FAILED_PRECONDITION', '这个团已满员，去参加别的团吧', undefined, 'group_full'));
    const full = groupView({ free: 0 }, { action: 'full', label: '已满员，去参加别的团' });
    group.mockResolvedValueOnce({ group: full, activity: activityView(), serverTime: GROUP_SERVER_TIME });
    quote.mockResolvedValueOnce(seatQuote());
    expect(await store().submit()).toEqual({ kind: 'refused', message: '这个团已满员，去参加别的团吧' });
    await vi.waitFor(() => expect(quote).toHaveBeenCalledTimes(2));
    await vi.waitFor(() => expect(store()).toMatchObject({ group: { me: { action: 'full' } }, quoting: false }));
    expect(store().status).toBe('ready');
    expect(seatBlocker(store().activity, store().group)).toBe('这个团已满员，去参加别的团吧');
    // The page's button is off now; a tap anyway sends nothing.
    expect(await store().submit()).toEqual({ kind: 'blocked', message: '这个团已满员，去参加别的团吧' });
    expect(join).toHaveBeenCalledTimes(1);
  });

  it('a join that got no answer is retried, and the next tap resends the same requestId', async () => {
    vi.useFakeTimers();
    await startedJoin();
    join.mockRejectedValue(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    const first = store().submit();
    await vi.advanceTimersByTimeAsync(CREATE_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0));
    expect(await first).toEqual({ kind: 'failed', message: '服务繁忙，请稍后重试' });
    const ids = join.mock.calls.map(([, input]) => input.requestId);
    expect(new Set(ids).size).toBe(1);
    join.mockReset();
    join.mockResolvedValueOnce(placed());
    payFlow.mockResolvedValueOnce({ kind: 'confirmed', order: paidOrder(), serverTime: GROUP_SERVER_TIME });
    await store().submit();
    expect(join.mock.calls[0][1].requestId).toBe(ids[0]);
  });
});

describe('seatBlocker', () => {
  it('says why a group cannot take the member, in the server’s words; nothing when it can', () => {
    const a = activityView();
    expect(seatBlocker(a, groupView())).toBeNull();
    expect(seatBlocker(a, null)).toBeNull();
    expect(seatBlocker(a, groupView({}, { action: 'ended' }))).toBe('这个团已结束，去参加别的团吧');
    expect(seatBlocker(a, groupView({}, { action: 'waiting' }))).toBe('团长支付后才能参团');
    expect(seatBlocker(a, groupView({}, { action: 'joined' }))).toBe('你已在这个团里了');
    expect(seatBlocker(activityView({ phase: 'ended' }), null)).toBe('活动已结束');
    expect(seatBlocker(activityView({ stockLeft: 0 }), groupView())).toBe('活动商品已抢光');
    expect(seatBlocker(null, null)).toBe('订单信息加载中，请稍候');
  });
});
