import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CampaignView } from '../../core/contracts/content';
import * as contentService from '../services/content';
import { CloudCallError } from '../services/errors';
import { useCampaignStore } from './useCampaignStore';
import { anyThrown, deferred, shownMessageOf } from './test-support';

vi.mock('../services/content', () => ({ getCampaign: vi.fn() }));

const getCampaign = vi.mocked(contentService.getCampaign);

type Answer = Awaited<ReturnType<typeof contentService.getCampaign>>;

const campaign: CampaignView = {
  _id: 'c1',
  name: '新会员礼',
  description: '关注即送积分',
  startsAt: null,
  endsAt: '2025-12-31T00:00:00.000Z',
  active: true,
};
const article = { _id: 'a1', title: '冬季上新', url: null };

beforeEach(() => {
  getCampaign.mockReset();
  useCampaignStore.setState(useCampaignStore.getInitialState(), true);
});

describe('useCampaignStore', () => {
  it('load goes loading, then ready with the campaign and the article it came from', async () => {
    const answer = deferred<Answer>();
    getCampaign.mockReturnValueOnce(answer.promise);
    const done = useCampaignStore.getState().load('c1', 'a1');
    expect(useCampaignStore.getState()).toMatchObject({ status: 'loading', error: null });
    expect(getCampaign).toHaveBeenCalledWith('c1', 'a1');
    answer.resolve({ campaign, article });
    await done;
    expect(useCampaignStore.getState()).toMatchObject({ status: 'ready', error: null, campaign, article });
  });

  it('a campaign opened without an article asks for none and shows none', async () => {
    getCampaign.mockResolvedValueOnce({ campaign, article: null });
    await useCampaignStore.getState().load('c1');
    expect(getCampaign).toHaveBeenCalledWith('c1', undefined);
    expect(useCampaignStore.getState()).toMatchObject({ status: 'ready', campaign, article: null });
  });

  it('a refused load ends in error with the server’s Chinese message', async () => {
    getCampaign.mockRejectedValueOnce(new CloudCallError('NOT_FOUND', '内容不存在或已下架', 'req-9'));
    await useCampaignStore.getState().load('gone');
    expect(useCampaignStore.getState()).toMatchObject({ status: 'error', error: '内容不存在或已下架', campaign: null });
  });

  it('shows the message of any refusal, and the network message for anything else thrown', async () => {
    await fc.assert(
      fc.asyncProperty(anyThrown, async (thrown) => {
        useCampaignStore.setState(useCampaignStore.getInitialState(), true);
        getCampaign.mockRejectedValueOnce(thrown);
        await useCampaignStore.getState().load('c1');
        expect(useCampaignStore.getState().status).toBe('error');
        expect(useCampaignStore.getState().error).toBe(shownMessageOf(thrown));
      }),
    );
  });

  it('a retry after an error clears the message while loading and ends ready', async () => {
    getCampaign.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await useCampaignStore.getState().load('c1');
    const answer = deferred<Answer>();
    getCampaign.mockReturnValueOnce(answer.promise);
    const retry = useCampaignStore.getState().load('c1');
    expect(useCampaignStore.getState()).toMatchObject({ status: 'loading', error: null });
    answer.resolve({ campaign, article: null });
    await retry;
    expect(useCampaignStore.getState()).toMatchObject({ status: 'ready', error: null, campaign });
  });
});
