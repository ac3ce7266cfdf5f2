import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudCallError } from '../services/errors';
import * as groupbuyService from '../services/groupbuy';
import * as orderService from '../services/order';
import { activityView, GROUP_SERVER_TIME, groupView } from './group-fixtures';
import { orderView, paidOrder, paymentParams } from './order-fixtures';
import { confirmPayment, payAndConfirm } from './pay-flow';
import { deferred } from './test-support';
import { useGroupInviteStore } from './useGroupInviteStore';

vi.mock('../services/groupbuy', () => ({ group: vi.fn() }));
vi.mock('../services/order', () => ({ pay: vi.fn() }));
// The pay sheet and the poll are mocked; what a tap says of their outcome is the real rule.
vi.mock('./pay-flow', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./pay-flow')>()),
  payAndConfirm: vi.fn(),
  confirmPayment: vi.fn(),
}));

const group = vi.mocked(groupbuyService.group);
const pay = vi.mocked(orderService.pay);
const payFlow = vi.mocked(payAndConfirm);
const confirmFlow = vi.mocked(confirmPayment);
type Answer = Awaited<ReturnType<typeof groupbuyService.group>>;
const answer = (g = groupView(), serverTime = GROUP_SERVER_TIME): Answer => ({ group: g, activity: activityView(), serverTime });
const store = () => useGroupInviteStore.getState();
const held = () => groupView({}, { seat: 'held', orderId: 'o1', payBy: '2026-12-03T04:10:00.000Z', action: 'pay', label: '去支付' });
const joined = () =>
  groupView({ state: 'succeeded', paid: 2, free: 0, missing: 0 }, { seat: 'paid', orderId: 'o1', action: 'joined', label: '已参团' });

beforeEach(() => {
  vi.resetAllMocks();
  useGroupInviteStore.setState(useGroupInviteStore.getInitialState(), true);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('useGroupInviteStore.load', () => {
  it('goes loading, then ready with the group, its activity and the member’s place in it', async () => {
    const pending = deferred<Answer>();
    group.mockReturnValueOnce(pending.promise);
    const done = store().load('g1');
    expect(store()).toMatchObject({ groupId: 'g1', status: 'loading', group: null });
    pending.resolve(answer());
    await done;
    expect(store()).toMatchObject({
      status: 'ready',
      group: { groupId: 'g1', me: { action: 'join' } },
      activity: { activityId: 'gb-mug' },
    });
  });

  it('counts down to the deadline and the hold on the server’s clock, whatever the phone’s says', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(GROUP_SERVER_TIME) - 86_400_000);
    group.mockResolvedValueOnce(answer(held()));
    await store().load('g1');
    expect(store().deadlineLeftMs()).toBe(24 * 3_600_000);
    expect(store().payLeftMs()).toBe(10 * 60_000);
    vi.advanceTimersByTime(11 * 60_000);
    expect(store().payLeftMs()).toBe(0);
  });

  it('a group that does not exist is an error with the server’s message; a failed refresh keeps the page', async () => {
    group.mockRejectedValueOnce(new CloudCallError('NOT_FOUND', '这个团不存在'));
    await store().load('g-nope');
    expect(store()).toMatchObject({ status: 'error', error: '这个团不存在' });
    group.mockResolvedValueOnce(answer());
    await store().load('g1');
    group.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await store().load('g1');
    expect(store()).toMatchObject({ status: 'ready', group: { groupId: 'g1' }, error: '服务繁忙，请稍后重试' });
  });

  it('drops the late answer of an older load', async () => {
    const first = deferred<Answer>();
    group.mockReturnValueOnce(first.promise).mockResolvedValueOnce(answer(groupView({ groupId: 'g2' })));
    const older = store().load('g1');
    await store().load('g2');
    first.resolve(answer());
    await older;
    expect(store()).toMatchObject({ groupId: 'g2', group: { groupId: 'g2' } });
  });
});

describe('useGroupInviteStore.pay', () => {
  it('pays the held seat’s order, then shows the group as the payment left it', async () => {
    group.mockResolvedValueOnce(answer(held()));
    await store().load('g1');
    pay.mockResolvedValueOnce({ order: orderView(), payment: paymentParams() });
    payFlow.mockImplementationOnce(async (_order, _payment, onPhase) => {
      onPhase('paying');
      expect(store().payPhase).toBe('paying');
      return { kind: 'confirmed', order: paidOrder(), serverTime: GROUP_SERVER_TIME };
    });
    group.mockResolvedValueOnce(answer(joined()));
    expect(await store().pay()).toEqual({ kind: 'done', message: '支付成功' });
    expect(pay).toHaveBeenCalledWith('o1');
    expect(store()).toMatchObject({ payPhase: null, group: { state: 'succeeded', me: { action: 'joined' } } });
  });

  it('does nothing when there is no held seat to pay, or a payment is in flight', async () => {
    group.mockResolvedValueOnce(answer());
    await store().load('g1');
    expect(await store().pay()).toEqual({ kind: 'busy' });
    group.mockResolvedValueOnce(answer(held()));
    await store().load('g1');
    const sheet = deferred<{ order: ReturnType<typeof orderView>; payment: ReturnType<typeof paymentParams> }>();
    pay.mockReturnValueOnce(sheet.promise);
    const first = store().pay();
    expect(await store().pay()).toEqual({ kind: 'busy' });
    payFlow.mockResolvedValueOnce({ kind: 'cancelled' });
    sheet.resolve({ order: orderView(), payment: paymentParams() });
    expect(await first).toEqual({ kind: 'failed', message: '支付已取消' });
    expect(pay).toHaveBeenCalledTimes(1);
  });

  it('a refusal (the hold ran out) shows the server’s message and the group as it is now', async () => {
    group.mockResolvedValueOnce(answer(held()));
    await store().load('g1');
    pay.mockRejectedValueOnce(new CloudCallError('FAILED_PRECONDITION', '订单已超时'));
    group.mockResolvedValueOnce(answer(groupView()));
    expect(await store().pay()).toEqual({ kind: 'failed', message: '订单已超时' });
    await vi.waitFor(() => expect(store().group?.me.action).toBe('join'));
  });

  it('a payment WeChat reported but the server has not seen yet says 支付确认中', async () => {
    group.mockResolvedValueOnce(answer(held()));
    await store().load('g1');
    pay.mockResolvedValueOnce({ order: orderView(), payment: paymentParams() });
    payFlow.mockResolvedValueOnce({ kind: 'pending', order: null, serverTime: null });
    group.mockResolvedValueOnce(answer(held()));
    expect(await store().pay()).toEqual({ kind: 'done', message: '支付确认中，请稍候' });
    expect(store().confirming).toBe(true);
  });
});

describe('useGroupInviteStore.watchPayment', () => {
  it('after a late callback: asks about the order, then reads the group again', async () => {
    group.mockResolvedValueOnce(answer(held()));
    await store().load('g1');
    confirmFlow.mockResolvedValueOnce({ kind: 'confirmed', order: paidOrder(), serverTime: GROUP_SERVER_TIME });
    group.mockResolvedValueOnce(answer(joined()));
    await store().watchPayment();
    expect(confirmFlow).toHaveBeenCalledWith('o1');
    expect(store()).toMatchObject({ confirming: false, group: { me: { action: 'joined' } } });
  });
});
