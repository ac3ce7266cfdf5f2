import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudCallError } from '../services/errors';
import * as groupbuyService from '../services/groupbuy';
import { activityCard, GROUP_SERVER_TIME } from './group-fixtures';
import { deferred } from './test-support';
import { useGroupListStore } from './useGroupListStore';

vi.mock('../services/groupbuy', () => ({ list: vi.fn() }));

const list = vi.mocked(groupbuyService.list);
type Answer = Awaited<ReturnType<typeof groupbuyService.list>>;
const answer = (activities = [activityCard()]): Answer => ({ activities, serverTime: GROUP_SERVER_TIME });
const store = () => useGroupListStore.getState();

beforeEach(() => {
  vi.resetAllMocks();
  useGroupListStore.setState(useGroupListStore.getInitialState(), true);
});

describe('useGroupListStore', () => {
  it('goes loading, then ready with the running activities', async () => {
    const pending = deferred<Answer>();
    list.mockReturnValueOnce(pending.promise);
    const done = store().load();
    expect(store().status).toBe('loading');
    pending.resolve(answer());
    await done;
    expect(store()).toMatchObject({ status: 'ready', activities: [activityCard()] });
  });

  it('a first load that fails shows the refusal’s message; a failed refresh keeps the cards shown', async () => {
    list.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await store().load();
    expect(store()).toMatchObject({ status: 'error', error: '服务繁忙，请稍后重试' });
    list.mockResolvedValueOnce(answer());
    await store().load();
    list.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await store().load();
    expect(store()).toMatchObject({ status: 'ready', activities: [activityCard()], error: '服务繁忙，请稍后重试' });
  });

  it('drops the late answer of an older load', async () => {
    const first = deferred<Answer>();
    list.mockReturnValueOnce(first.promise).mockResolvedValueOnce(answer([]));
    const older = store().load();
    await store().load();
    first.resolve(answer());
    await older;
    expect(store().activities).toEqual([]);
  });
});
