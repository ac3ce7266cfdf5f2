import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReviewView } from '../../core/contracts/review';
import { CloudCallError } from '../services/errors';
import * as reviewService from '../services/review';
import { deferred } from './test-support';
import { useProductReviewsStore } from './useProductReviewsStore';

vi.mock('../services/review', () => ({ productReviews: vi.fn() }));

const list = vi.mocked(reviewService.productReviews);
const store = () => useProductReviewsStore.getState();
const review = (id: string, overrides: Partial<ReviewView> = {}): ReviewView => ({
  reviewId: id,
  rating: 5,
  text: '好喝',
  photos: [],
  nickname: '爱丽丝',
  initial: '爱',
  specs: '大杯',
  createdAt: '2026-12-03T02:00:00.000Z',
  ...overrides,
});
const summary = { count: 3, average: 4.7, positive: 100 };

beforeEach(() => {
  vi.resetAllMocks();
  useProductReviewsStore.setState(useProductReviewsStore.getInitialState(), true);
});

describe('useProductReviewsStore', () => {
  it('loads the summary and the newest reviews; a failed first load says why', async () => {
    const pending = deferred<Awaited<ReturnType<typeof reviewService.productReviews>>>();
    list.mockReturnValueOnce(pending.promise);
    const done = store().load('p1');
    expect(store().status).toBe('loading');
    pending.resolve({ summary, reviews: [review('o1:0')], nextCursor: null });
    await done;
    expect(store()).toMatchObject({ status: 'ready', summary, reviews: [review('o1:0')], nextCursor: null });
    expect(list).toHaveBeenCalledWith('p1');

    useProductReviewsStore.setState(useProductReviewsStore.getInitialState(), true);
    list.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await store().load('p1');
    expect(store()).toMatchObject({ status: 'error', error: '服务繁忙，请稍后重试' });
  });

  it('more() appends the next page once, without repeats, and stops at the end', async () => {
    list.mockResolvedValueOnce({ summary, reviews: [review('o3:0'), review('o2:0')], nextCursor: 'c1' });
    await store().load('p1');
    list.mockResolvedValueOnce({ summary, reviews: [review('o2:0'), review('o1:0')], nextCursor: null });
    await Promise.all([store().more(), store().more()]);
    expect(list).toHaveBeenCalledTimes(2);
    expect(list).toHaveBeenLastCalledWith('p1', 'c1');
    expect(store().reviews.map((r) => r.reviewId)).toEqual(['o3:0', 'o2:0', 'o1:0']);
    await store().more();
    expect(list).toHaveBeenCalledTimes(2);
  });

  it('another product never shows the previous one’s reviews, and a slow earlier answer is dropped', async () => {
    const slow = deferred<Awaited<ReturnType<typeof reviewService.productReviews>>>();
    list.mockReturnValueOnce(slow.promise);
    const first = store().load('p1');
    list.mockResolvedValueOnce({ summary: { count: 0, average: null, positive: null }, reviews: [], nextCursor: null });
    await store().load('p2');
    slow.resolve({ summary, reviews: [review('o1:0')], nextCursor: null });
    await first;
    expect(store()).toMatchObject({ productId: 'p2', reviews: [], summary: { count: 0 } });
  });
});
