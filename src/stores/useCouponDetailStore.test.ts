import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as couponService from '../services/coupon';
import { CloudCallError } from '../services/errors';
import { couponView, SERVER_TIME } from './coupon-fixtures';
import { anyThrown, deferred, shownMessageOf } from './test-support';
import { useCouponDetailStore } from './useCouponDetailStore';

vi.mock('../services/coupon', () => ({ detail: vi.fn() }));

const detail = vi.mocked(couponService.detail);
type Answer = Awaited<ReturnType<typeof couponService.detail>>;

const c1 = couponView({ couponId: 'c1' });
const c2 = couponView({ couponId: 'c2', name: '新人专享券' });
const answer = (coupon = c1): Answer => ({
  coupon,
  campaign: { id: 'cmp-spring', name: '春季会员节' },
  perMemberLimit: 2,
  serverTime: SERVER_TIME,
});
const store = () => useCouponDetailStore.getState();

beforeEach(() => {
  detail.mockReset();
  useCouponDetailStore.setState(useCouponDetailStore.getInitialState(), true);
});

describe('useCouponDetailStore', () => {
  it('load goes loading, then ready with the coupon, its campaign and limit', async () => {
    const pending = deferred<Answer>();
    detail.mockReturnValueOnce(pending.promise);
    const done = store().load('c1');
    expect(detail).toHaveBeenCalledWith('c1');
    expect(store()).toMatchObject({ couponId: 'c1', status: 'loading', coupon: null });
    pending.resolve(answer());
    await done;
    expect(store()).toMatchObject({
      status: 'ready',
      coupon: c1,
      campaign: { name: '春季会员节' },
      perMemberLimit: 2,
      serverTime: SERVER_TIME,
    });
  });

  it('opening another coupon never shows the previous one while it loads', async () => {
    detail.mockResolvedValueOnce(answer());
    await store().load('c1');
    const pending = deferred<Answer>();
    detail.mockReturnValueOnce(pending.promise);
    const next = store().load('c2');
    expect(store()).toMatchObject({ couponId: 'c2', status: 'loading', coupon: null });
    pending.resolve(answer(c2));
    await next;
    expect(store().coupon).toEqual(c2);
  });

  it('reopening the same coupon refreshes it behind what is shown', async () => {
    detail.mockResolvedValueOnce(answer());
    await store().load('c1');
    const pending = deferred<Answer>();
    detail.mockReturnValueOnce(pending.promise);
    const refresh = store().load('c1');
    expect(store()).toMatchObject({ status: 'ready', coupon: c1 });
    pending.resolve(answer({ ...c1, state: 'used' }));
    await refresh;
    expect(store().coupon?.state).toBe('used');
  });

  it('shows the message of any refusal, and the network message for anything else thrown', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await fc.assert(
        fc.asyncProperty(anyThrown, async (thrown) => {
          useCouponDetailStore.setState(useCouponDetailStore.getInitialState(), true);
          detail.mockRejectedValueOnce(thrown);
          await store().load('c1');
          expect(store()).toMatchObject({ status: 'error', error: shownMessageOf(thrown), coupon: null });
        }),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('a coupon that is not the member’s keeps the refusal’s code (the page then offers no retry)', async () => {
    detail.mockRejectedValueOnce(new CloudCallError('NOT_FOUND', '优惠券不存在'));
    await store().load('someone-elses');
    expect(store().failure).toMatchObject({ code: 'NOT_FOUND', message: '优惠券不存在' });
  });

  it('drops the late answer of an older load', async () => {
    const first = deferred<Answer>();
    detail.mockReturnValueOnce(first.promise).mockResolvedValueOnce(answer(c2));
    const older = store().load('c1');
    await store().load('c2');
    first.resolve(answer());
    await older;
    expect(store()).toMatchObject({ couponId: 'c2', coupon: c2 });
  });
});
