import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { VisitRequest, VisitResult } from '../../core/contracts/member';
import * as entryService from '../services/entry';
import { CloudCallError } from '../services/errors';
import { useEntryStore } from './useEntryStore';
import { anyThrown, deferred, shownMessageOf } from './test-support';

vi.mock('../services/entry', () => ({ visit: vi.fn() }));

const visit = vi.mocked(entryService.visit);

const result: VisitResult = {
  page: 'packages/campaign/detail/index',
  params: { campaign: 'c1' },
  notice: null,
  attributed: true,
};

beforeEach(() => {
  visit.mockReset();
  useEntryStore.setState(useEntryStore.getInitialState(), true);
});

describe('useEntryStore', () => {
  it('visit goes loading, then ready, and answers where to go', async () => {
    const answer = deferred<VisitResult>();
    visit.mockReturnValueOnce(answer.promise);
    const request: VisitRequest = { sharer: 'm2', campaign: 'c1', to: 'packages/campaign/detail/index' };
    const done = useEntryStore.getState().visit(request);
    expect(useEntryStore.getState()).toMatchObject({ status: 'loading', error: null });
    expect(visit).toHaveBeenCalledWith(request);
    answer.resolve(result);
    await expect(done).resolves.toEqual(result);
    expect(useEntryStore.getState()).toMatchObject({ status: 'ready', error: null, result });
  });

  it('an unknown code still lands somewhere, with the notice to show', async () => {
    const home: VisitResult = { page: 'pages/index/index', params: {}, notice: '二维码已失效，为你打开首页', attributed: false };
    visit.mockResolvedValueOnce(home);
    await expect(useEntryStore.getState().visit({ scene: 'nope' })).resolves.toEqual(home);
    expect(useEntryStore.getState().status).toBe('ready');
  });

  it('a refused visit answers null and ends in error with the server’s Chinese message', async () => {
    visit.mockRejectedValueOnce(new CloudCallError('UNAUTHENTICATED', '请先登录', 'req-3'));
    await expect(useEntryStore.getState().visit({})).resolves.toBeNull();
    expect(useEntryStore.getState()).toMatchObject({ status: 'error', error: '请先登录', result: null });
  });

  it('shows the message of any refusal, and the network message for anything else thrown', async () => {
    await fc.assert(
      fc.asyncProperty(anyThrown, async (thrown) => {
        useEntryStore.setState(useEntryStore.getInitialState(), true);
        visit.mockRejectedValueOnce(thrown);
        expect(await useEntryStore.getState().visit({})).toBeNull();
        expect(useEntryStore.getState().status).toBe('error');
        expect(useEntryStore.getState().error).toBe(shownMessageOf(thrown));
      }),
    );
  });

  it('a retry after an error clears the message while loading and ends ready', async () => {
    visit.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await useEntryStore.getState().visit({});
    const answer = deferred<VisitResult>();
    visit.mockReturnValueOnce(answer.promise);
    const retry = useEntryStore.getState().visit({});
    expect(useEntryStore.getState()).toMatchObject({ status: 'loading', error: null });
    answer.resolve(result);
    await retry;
    expect(useEntryStore.getState()).toMatchObject({ status: 'ready', error: null, result });
  });
});
