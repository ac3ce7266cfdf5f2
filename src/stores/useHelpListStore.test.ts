import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HelpCampaignCard, MyHelpTaskCard } from '../../core/contracts/help';
import { CloudCallError } from '../services/errors';
import * as helpService from '../services/help';
import { deferred } from './test-support';
import { campaignAction, myTaskLine, useHelpListStore } from './useHelpListStore';

vi.mock('../services/help', () => ({ list: vi.fn() }));

const service = vi.mocked(helpService);
const store = () => useHelpListStore.getState();

const CAMPAIGN: HelpCampaignCard = {
  campaignId: 'hc1',
  title: '新朋友助力领券',
  rule: '邀请 3 位新朋友助力，即得 ¥10 无门槛券',
  rewardText: '¥10 无门槛券',
  helpersNeeded: 3,
  endAt: '2030-12-31T00:00:00.000Z',
};

function myTask(overrides: Partial<MyHelpTaskCard> = {}): MyHelpTaskCard {
  return {
    taskId: 'hc1:m1:1',
    campaignId: 'hc1',
    title: '新朋友助力领券',
    rewardText: '¥10 无门槛券',
    state: 'open',
    count: 1,
    helpersNeeded: 3,
    expiresAt: '2026-12-06T02:00:00.000Z',
    rewardState: 'none',
    ...overrides,
  };
}

beforeEach(() => {
  vi.resetAllMocks();
  useHelpListStore.setState({ status: 'idle', campaigns: [], myTasks: [], error: null, failure: null });
});

describe('useHelpListStore', () => {
  it('loads the campaigns and my tasks', async () => {
    service.list.mockResolvedValue({ campaigns: [CAMPAIGN], myTasks: [myTask()], serverTime: '2026-12-05T02:00:00.000Z' });
    await store().load();
    expect(store()).toMatchObject({ status: 'ready', campaigns: [CAMPAIGN], myTasks: [myTask()], error: null });
  });

  it('a failed reload keeps the list on screen and says why; a first load that fails shows the error state', async () => {
    service.list.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '网络不给力，请稍后重试'));
    await store().load();
    expect(store()).toMatchObject({ status: 'error', error: '网络不给力，请稍后重试', campaigns: [] });
    service.list.mockResolvedValueOnce({ campaigns: [CAMPAIGN], myTasks: [], serverTime: '2026-12-05T02:00:00.000Z' });
    await store().load();
    service.list.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '网络不给力，请稍后重试'));
    await store().load();
    expect(store()).toMatchObject({ status: 'ready', campaigns: [CAMPAIGN], error: '网络不给力，请稍后重试' });
  });

  it('only the latest answer lands', async () => {
    const slow = deferred<Awaited<ReturnType<typeof helpService.list>>>();
    service.list.mockReturnValueOnce(slow.promise);
    service.list.mockResolvedValueOnce({ campaigns: [CAMPAIGN], myTasks: [], serverTime: '2026-12-05T02:00:00.000Z' });
    const first = store().load();
    await store().load();
    slow.resolve({ campaigns: [], myTasks: [myTask()], serverTime: '2026-12-05T02:00:00.000Z' });
    await first;
    expect(store()).toMatchObject({ campaigns: [CAMPAIGN], myTasks: [] });
  });

  it('says where a task stands', () => {
    expect(myTaskLine(myTask())).toBe('进行中 · 还差 2 位好友助力');
    expect(myTaskLine(myTask({ state: 'expired' }))).toBe('已结束 · 1/3 位好友助力');
    expect(myTaskLine(myTask({ state: 'completed', count: 3, rewardState: 'issued' }))).toBe('助力成功，奖励已到账');
    expect(myTaskLine(myTask({ state: 'completed', count: 3, rewardState: 'pending' }))).toBe('助力成功，奖励发放中');
    expect(myTaskLine(myTask({ state: 'completed', count: 3, rewardState: 'sold_out' }))).toBe('助力成功，奖励已发完，请联系客服');
  });

  it('a campaign says what the member can do in it, from their latest task there', () => {
    expect(campaignAction('hc1', [])).toBe('去发起');
    expect(campaignAction('hc1', [myTask({ campaignId: 'hc2' })])).toBe('去发起');
    expect(campaignAction('hc1', [myTask()])).toBe('进行中，查看进度');
    expect(campaignAction('hc1', [myTask({ state: 'completed' }), myTask({ taskId: 'hc1:m1:0' })])).toBe('已完成');
    // An expired task may be started again.
    expect(campaignAction('hc1', [myTask({ state: 'expired' })])).toBe('去发起');
  });
});
