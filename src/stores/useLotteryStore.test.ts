import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DrawView, LotteryView } from '../../core/contracts/lottery';
import { CloudCallError } from '../services/errors';
import * as lotteryService from '../services/lottery';
import { deferred } from './test-support';
import { drawBlock, lotteryShareCard, useLotteryStore } from './useLotteryStore';

vi.mock('../services/lottery', () => ({ show: vi.fn(), draw: vi.fn(), newRequestId: vi.fn() }));

const show = vi.mocked(lotteryService.show);
const drawCall = vi.mocked(lotteryService.draw);
const newRequestId = vi.mocked(lotteryService.newRequestId);
const store = () => useLotteryStore.getState();

const lottery = (overrides: Partial<LotteryView> = {}): LotteryView => ({
  lotteryId: 'lt-1',
  title: '会员积分抽奖',
  description: '',
  price: 50,
  perMemberDaily: 3,
  totalDaily: null,
  startAt: '2026-01-01T00:00:00.000Z',
  endAt: '2030-12-31T00:00:00.000Z',
  state: 'open',
  prizes: [
    {
      prizeId: 'coupon',
      kind: 'coupon',
      title: '5元券',
      subtitle: '无门槛',
      odds: 2000,
      oddsText: '20.00%',
      soldOut: false,
      fallbackTitle: '谢谢参与',
    },
    {
      prizeId: 'thanks',
      kind: 'thanks',
      title: '谢谢参与',
      subtitle: '感谢参与',
      odds: 8000,
      oddsText: '80.00%',
      soldOut: false,
      fallbackTitle: null,
    },
  ],
  rules: ['每次抽奖消耗 50 积分'],
  ...overrides,
});
const drawView = (overrides: Partial<DrawView> = {}): DrawView => ({
  drawId: 'd1',
  lotteryId: 'lt-1',
  lotteryTitle: '会员积分抽奖',
  state: 'done',
  prize: { prizeId: 'coupon', kind: 'coupon', title: '5元券' },
  won: true,
  price: 50,
  stateText: '优惠券已放入卡包',
  couponId: 'lottery:d1',
  orderId: null,
  claim: null,
  createdAt: '2026-12-03T02:00:00.000Z',
  ...overrides,
});
const shown = (overrides: Partial<LotteryView> = {}, balance = 120, drawsLeftToday = 3) => ({
  lottery: lottery(overrides),
  balance,
  drawsLeftToday,
  serverTime: '2026-12-03T02:00:00.000Z',
});

beforeEach(() => {
  vi.resetAllMocks();
  useLotteryStore.setState(useLotteryStore.getInitialState(), true);
  newRequestId.mockReturnValue('req-000000000000000000001');
});

describe('useLotteryStore', () => {
  it('goes loading, then shows the lottery, the balance and the draws left', async () => {
    const pending = deferred<Awaited<ReturnType<typeof lotteryService.show>>>();
    show.mockReturnValueOnce(pending.promise);
    const done = store().load();
    expect(store().status).toBe('loading');
    pending.resolve(shown());
    await done;
    expect(store()).toMatchObject({ status: 'ready', lottery: lottery(), balance: 120, drawsLeftToday: 3 });
  });

  it('a draw shows its result and the balance after; the page is read again behind it', async () => {
    show.mockResolvedValueOnce(shown());
    await store().load();
    // The read behind the result answers what the draw left.
    show.mockResolvedValueOnce(shown({}, 70, 2));
    drawCall.mockResolvedValueOnce({ draw: drawView(), balance: 70, drawsLeftToday: 2, repeated: false });
    const outcome = await store().draw();
    expect(outcome).toEqual({ kind: 'drawn', draw: drawView() });
    expect(drawCall).toHaveBeenCalledWith('lt-1', 'req-000000000000000000001');
    expect(store()).toMatchObject({ result: drawView(), balance: 70, drawsLeftToday: 2, drawing: false, pendingRequestId: null });
    await vi.waitFor(() => expect(show).toHaveBeenCalledTimes(2));
    expect(store()).toMatchObject({ status: 'ready', result: drawView(), balance: 70 });
  });

  it('a draw with no answer keeps its requestId: the next tap sends the same one, so it never pays twice', async () => {
    show.mockResolvedValue(shown());
    await store().load();
    drawCall.mockRejectedValueOnce(new Error('timeout'));
    expect(await store().draw()).toMatchObject({ kind: 'failed' });
    newRequestId.mockReturnValue('req-000000000000000000002');
    drawCall.mockResolvedValueOnce({ draw: drawView(), balance: 70, drawsLeftToday: 2, repeated: true });
    await store().draw();
    expect(drawCall.mock.calls.map((call) => call[1])).toEqual(['req-000000000000000000001', 'req-000000000000000000001']);
  });

  it('a refusal says why and forgets the request; a second tap while drawing does nothing', async () => {
    show.mockResolvedValue(shown());
    await store().load();
    const pending = deferred<Awaited<ReturnType<typeof lotteryService.draw>>>();
    drawCall.mockReturnValueOnce(pending.promise);
    const first = store().draw();
    expect(await store().draw()).toEqual({ kind: 'busy' });
    pending.reject(new CloudCallError('RESOURCE_EXHAUSTED', '今日抽奖次数已用完，明天再来', undefined, 'daily_limit'));
    expect(await first).toEqual({ kind: 'refused', message: '今日抽奖次数已用完，明天再来' });
    expect(store().pendingRequestId).toBeNull();
    expect(drawCall).toHaveBeenCalledTimes(1);
  });

  it('blocks a draw the page already knows cannot happen, sending nothing', async () => {
    show.mockResolvedValue(shown({}, 40));
    await store().load();
    expect(await store().draw()).toEqual({ kind: 'blocked', message: '积分不足' });
    expect(drawCall).not.toHaveBeenCalled();
    expect(drawBlock({ lottery: lottery(), balance: 500, drawsLeftToday: 0 })).toBe('今日次数已用完');
    expect(drawBlock({ lottery: lottery({ state: 'ended' }), balance: 500, drawsLeftToday: 3 })).toBe('抽奖已结束');
    expect(drawBlock({ lottery: lottery(), balance: 50, drawsLeftToday: 1 })).toBeNull();
  });

  it('a first load that fails says why', async () => {
    show.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await store().load();
    expect(store()).toMatchObject({ status: 'error', error: '服务繁忙，请稍后重试', lottery: null });
  });

  it('the share card names the offer and carries the sharer through the landing page, promising nothing for sharing', () => {
    const card = lotteryShareCard(lottery(), 'm-alice');
    expect(card.title).toBe('会员积分抽奖：50 积分抽一次');
    expect(card.title).not.toMatch(/分享|转发|朋友圈|群/);
    expect(card.path).toBe('/packages/entry/landing/index?sharer=m-alice&to=packages%2Flottery%2Findex%2Findex&id=lt-1');
    expect(lotteryShareCard(lottery(), null).path).toBe('/packages/lottery/index/index?id=lt-1');
  });
});
