import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as contentService from '../services/content';
import { CloudCallError } from '../services/errors';
import { deferred } from './test-support';
import { useRunningCampaignsStore } from './useRunningCampaignsStore';

vi.mock('../services/content', () => ({ listRunningCampaigns: vi.fn() }));

const list = vi.mocked(contentService.listRunningCampaigns);
type Answer = Awaited<ReturnType<typeof contentService.listRunningCampaigns>>;
const spring = {
  _id: 'cmp-spring',
  name: '春季会员节',
  description: '新品尝鲜',
  startsAt: null,
  endsAt: '2026-12-31T15:59:59.999Z',
  active: true,
};
const store = () => useRunningCampaignsStore.getState();

beforeEach(() => {
  list.mockReset();
  useRunningCampaignsStore.setState(useRunningCampaignsStore.getInitialState(), true);
});

describe('useRunningCampaignsStore', () => {
  it('goes loading, then ready with the campaigns', async () => {
    const pending = deferred<Answer>();
    list.mockReturnValueOnce(pending.promise);
    const done = store().load();
    expect(store().status).toBe('loading');
    pending.resolve({ campaigns: [spring] });
    await done;
    expect(store()).toMatchObject({ status: 'ready', campaigns: [spring], failure: null });
  });

  it('keeps the cards shown when a reload fails, and says why', async () => {
    list.mockResolvedValueOnce({ campaigns: [spring] }).mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await store().load();
    await store().load();
    expect(store()).toMatchObject({ status: 'error', campaigns: [spring], failure: { code: 'UNAVAILABLE' } });
  });

  it('shows only the latest answer when loads overlap', async () => {
    const first = deferred<Answer>();
    list.mockReturnValueOnce(first.promise).mockResolvedValueOnce({ campaigns: [] });
    const slow = store().load();
    await store().load();
    first.resolve({ campaigns: [spring] });
    await slow;
    expect(store().campaigns).toEqual([]);
  });
});
