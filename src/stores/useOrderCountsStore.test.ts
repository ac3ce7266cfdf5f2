import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as orderService from '../services/order';
import { deferred } from './test-support';
import { useOrderCountsStore } from './useOrderCountsStore';

vi.mock('../services/order', () => ({ counts: vi.fn() }));

const counts = vi.mocked(orderService.counts);
type Answer = Awaited<ReturnType<typeof orderService.counts>>;
const store = () => useOrderCountsStore.getState();

beforeEach(() => {
  counts.mockReset();
  useOrderCountsStore.setState(useOrderCountsStore.getInitialState(), true);
});

describe('useOrderCountsStore', () => {
  it('loads the counts per state', async () => {
    counts.mockResolvedValueOnce({ counts: { created: 1, paid: 2 } });
    await store().load();
    expect(store().counts).toEqual({ created: 1, paid: 2 });
  });

  it('shows no numbers rather than old ones when a refresh fails', async () => {
    counts.mockResolvedValueOnce({ counts: { created: 1 } });
    await store().load();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    counts.mockRejectedValueOnce(new Error('offline'));
    await store().load();
    warn.mockRestore();
    expect(store().counts).toBeNull();
  });

  it('drops the late answer of an older load', async () => {
    const first = deferred<Answer>();
    counts.mockReturnValueOnce(first.promise).mockResolvedValueOnce({ counts: { paid: 1 } });
    const older = store().load();
    await store().load();
    first.resolve({ counts: { created: 9 } });
    await older;
    expect(store().counts).toEqual({ paid: 1 });
  });
});
