import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as couponService from '../services/coupon';
import { CloudCallError } from '../services/errors';
import { couponView, SERVER_TIME } from './coupon-fixtures';
import { anyThrown, deferred, shownMessageOf } from './test-support';
import { useWalletStore } from './useWalletStore';

vi.mock('../services/coupon', () => ({ wallet: vi.fn() }));

const wallet = vi.mocked(couponService.wallet);
type Answer = Awaited<ReturnType<typeof couponService.wallet>>;

const usable = [couponView({ couponId: 'c1', expiringSoon: true }), couponView({ couponId: 'c2' })];
const used = [couponView({ couponId: 'c3', state: 'used', usedAt: '2026-12-02T03:00:00.000Z' })];
const expired = [couponView({ couponId: 'c4', state: 'expired' })];
const answer = (overrides: Partial<Answer> = {}): Answer => ({ usable, used, expired, serverTime: SERVER_TIME, ...overrides });
const store = () => useWalletStore.getState();

beforeEach(() => {
  wallet.mockReset();
  useWalletStore.setState(useWalletStore.getInitialState(), true);
});

describe('useWalletStore', () => {
  it('load goes loading, then ready with the three lists in the server’s order', async () => {
    const pending = deferred<Answer>();
    wallet.mockReturnValueOnce(pending.promise);
    const done = store().load();
    expect(store()).toMatchObject({ status: 'loading', error: null });
    pending.resolve(answer());
    await done;
    expect(store()).toMatchObject({ status: 'ready', usable, used, expired, serverTime: SERVER_TIME, error: null });
  });

  it('a refresh keeps the coupons on screen, then shows the new lists', async () => {
    wallet.mockResolvedValueOnce(answer());
    await store().load();
    const pending = deferred<Answer>();
    wallet.mockReturnValueOnce(pending.promise);
    const refresh = store().load();
    expect(store()).toMatchObject({ status: 'ready', usable });
    pending.resolve(answer({ usable: [], used: [...used, ...usable] }));
    await refresh;
    expect(store().usable).toEqual([]);
    expect(store().used).toHaveLength(3);
  });

  it('shows the message of any refusal, and the network message for anything else thrown', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await fc.assert(
        fc.asyncProperty(anyThrown, async (thrown) => {
          useWalletStore.setState(useWalletStore.getInitialState(), true);
          wallet.mockRejectedValueOnce(thrown);
          await store().load();
          expect(store()).toMatchObject({ status: 'error', error: shownMessageOf(thrown) });
        }),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('a retry after an error goes through loading and ends ready', async () => {
    wallet.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await store().load();
    const pending = deferred<Answer>();
    wallet.mockReturnValueOnce(pending.promise);
    const retry = store().load();
    expect(store()).toMatchObject({ status: 'loading', error: null });
    pending.resolve(answer());
    await retry;
    expect(store()).toMatchObject({ status: 'ready', error: null, usable });
  });

  it('drops the late answer of an older load', async () => {
    const first = deferred<Answer>();
    wallet.mockReturnValueOnce(first.promise).mockResolvedValueOnce(answer({ usable: [] }));
    const older = store().load();
    await store().load();
    first.resolve(answer());
    await older;
    expect(store().usable).toEqual([]);
  });
});
