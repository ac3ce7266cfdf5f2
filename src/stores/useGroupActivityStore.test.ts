import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudCallError } from '../services/errors';
import * as groupbuyService from '../services/groupbuy';
import { activityView, GROUP_SERVER_TIME, groupCard } from './group-fixtures';
import { deferred } from './test-support';
import { openAction, useGroupActivityStore } from './useGroupActivityStore';

vi.mock('../services/groupbuy', () => ({ activity: vi.fn() }));

const load = vi.mocked(groupbuyService.activity);
type Answer = Awaited<ReturnType<typeof groupbuyService.activity>>;
const answer = (activity = activityView(), groups = [groupCard()]): Answer => ({ activity, groups, serverTime: GROUP_SERVER_TIME });
const store = () => useGroupActivityStore.getState();
const oneSku = () => activityView({ skus: [activityView().skus[0]] });

beforeEach(() => {
  vi.resetAllMocks();
  useGroupActivityStore.setState(useGroupActivityStore.getInitialState(), true);
});

describe('useGroupActivityStore', () => {
  it('loads the activity and its open groups, with the server’s clock offset', async () => {
    load.mockResolvedValueOnce(answer());
    await store().load('gb-mug');
    expect(load).toHaveBeenCalledWith('gb-mug');
    expect(store()).toMatchObject({ activityId: 'gb-mug', status: 'ready', groups: [groupCard()] });
    expect(Math.abs(store().offsetMs - (Date.parse(GROUP_SERVER_TIME) - Date.now()))).toBeLessThan(1000);
  });

  it('chooses the only SKU in stock by itself; with several, the reader chooses (never a sold-out one)', async () => {
    load.mockResolvedValueOnce(answer(oneSku()));
    await store().load('gb-mug');
    expect(store().selected).toBe('sku-mug-pink');
    const two = activityView({
      skus: [...activityView().skus, { ...activityView().skus[0], skuId: 'sku-mug-blue', specs: { 颜色: '天青' } }],
    });
    load.mockResolvedValueOnce(answer(two));
    await store().load('gb-other');
    expect(store().selected).toBeNull();
    store().select('sku-mug-white');
    expect(store().selected).toBeNull();
    store().select('sku-mug-blue');
    expect(store().selected).toBe('sku-mug-blue');
  });

  it('coming back keeps the choice while it can still be bought', async () => {
    const two = activityView({
      skus: [...activityView().skus, { ...activityView().skus[0], skuId: 'sku-mug-blue', specs: { 颜色: '天青' } }],
    });
    load.mockResolvedValueOnce(answer(two));
    await store().load('gb-mug');
    store().select('sku-mug-blue');
    load.mockResolvedValueOnce(answer(two));
    await store().load('gb-mug');
    expect(store().selected).toBe('sku-mug-blue');
    const soldOut = activityView({ skus: [...activityView().skus, { ...two.skus[2], stock: 0 }] });
    load.mockResolvedValueOnce(answer(soldOut));
    await store().load('gb-mug');
    // The choice sold out meanwhile: it is dropped, and the only SKU left is chosen instead.
    expect(store().selected).toBe('sku-mug-pink');
  });

  it('never shows another activity’s answer under this one; a late answer is dropped', async () => {
    const first = deferred<Answer>();
    load.mockReturnValueOnce(first.promise).mockResolvedValueOnce(answer(activityView({ activityId: 'gb-b' })));
    const older = store().load('gb-a');
    await store().load('gb-b');
    first.resolve(answer(activityView({ activityId: 'gb-a' })));
    await older;
    expect(store()).toMatchObject({ activityId: 'gb-b', activity: { activityId: 'gb-b' } });
  });

  it('an activity that does not exist is an error with the server’s message', async () => {
    load.mockRejectedValueOnce(new CloudCallError('NOT_FOUND', '活动不存在或已结束'));
    await store().load('gb-nope');
    expect(store()).toMatchObject({ status: 'error', error: '活动不存在或已结束', failure: { code: 'NOT_FOUND' } });
  });
});

describe('openAction', () => {
  it('我要开团 only while the activity runs and has stock', () => {
    expect(openAction(activityView())).toEqual({ label: '我要开团', enabled: true });
    expect(openAction(activityView({ phase: 'upcoming' }))).toEqual({ label: '活动即将开始', enabled: false });
    expect(openAction(activityView({ phase: 'ended' }))).toEqual({ label: '活动已结束', enabled: false });
    expect(openAction(activityView({ stockLeft: 0 }))).toEqual({ label: '已抢光', enabled: false });
    expect(openAction(activityView({ skus: [activityView().skus[1]] }))).toEqual({ label: '已抢光', enabled: false });
  });
});
