import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudCallError } from '../services/errors';
import * as pointsService from '../services/points';
import { cashItem, mallItem } from './points-fixtures';
import { deferred } from './test-support';
import { usePointsMallStore } from './usePointsMallStore';

vi.mock('../services/points', () => ({ mall: vi.fn() }));

const mall = vi.mocked(pointsService.mall);
type Answer = Awaited<ReturnType<typeof pointsService.mall>>;
const answer = (items = [mallItem(), cashItem()], balance = 120): Answer => ({ items, balance });
const store = () => usePointsMallStore.getState();

beforeEach(() => {
  vi.resetAllMocks();
  usePointsMallStore.setState(usePointsMallStore.getInitialState(), true);
});

describe('usePointsMallStore', () => {
  it('goes loading, then shows the items and the balance', async () => {
    const pending = deferred<Answer>();
    mall.mockReturnValueOnce(pending.promise);
    const done = store().load();
    expect(store().status).toBe('loading');
    pending.resolve(answer());
    await done;
    expect(store()).toMatchObject({ status: 'ready', items: [mallItem(), cashItem()], balance: 120 });
  });

  it('coming back refreshes the balance and states behind the items; a failed refresh keeps them', async () => {
    mall.mockResolvedValueOnce(answer());
    await store().load();
    const refresh = deferred<Answer>();
    mall.mockReturnValueOnce(refresh.promise);
    const again = store().load();
    expect(store()).toMatchObject({ status: 'ready', balance: 120 });
    refresh.resolve(answer([mallItem({ state: 'insufficient_points' })], 20));
    await again;
    expect(store()).toMatchObject({ balance: 20, items: [mallItem({ state: 'insufficient_points' })] });
    mall.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await store().load();
    expect(store()).toMatchObject({ status: 'ready', balance: 20, error: '服务繁忙，请稍后重试' });
  });

  it('a first load that fails says why', async () => {
    mall.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await store().load();
    expect(store()).toMatchObject({ status: 'error', error: '服务繁忙，请稍后重试', items: [] });
  });
});
