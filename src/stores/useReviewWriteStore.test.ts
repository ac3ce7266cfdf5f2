import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReviewTarget } from '../../core/contracts/review';
import { CloudCallError } from '../services/errors';
import * as reviewService from '../services/review';
import { textLength, useReviewWriteStore } from './useReviewWriteStore';

vi.mock('../services/review', () => ({ target: vi.fn(), submit: vi.fn(), choosePhotos: vi.fn(), uploadPhoto: vi.fn() }));

const service = vi.mocked(reviewService);
const store = () => useReviewWriteStore.getState();
const target = (overrides: Partial<ReviewTarget> = {}): ReviewTarget => ({
  orderId: 'o1',
  line: 0,
  lineCount: 2,
  productId: 'p1',
  name: '招牌奶茶',
  specs: '大杯',
  imageUrl: null,
  state: 'open',
  review: null,
  points: 10,
  photoDir: 'reviews/o1/',
  ...overrides,
});
const posted = {
  reviewId: 'o1:0',
  rating: 5,
  text: '好喝',
  photos: [],
  nickname: '爱丽丝',
  initial: '爱',
  specs: '大杯',
  createdAt: '2026-12-03T02:00:00.000Z',
};

beforeEach(() => {
  vi.resetAllMocks();
  useReviewWriteStore.setState(useReviewWriteStore.getInitialState(), true);
});

describe('useReviewWriteStore', () => {
  it('loads the line; an order that is not the caller’s shows the error', async () => {
    service.target.mockResolvedValueOnce(target());
    await store().load('o1', 0);
    expect(store()).toMatchObject({ status: 'ready', target: target(), rating: 0, text: '' });
    service.target.mockRejectedValueOnce(new CloudCallError('NOT_FOUND', '内容不存在或已下架'));
    await store().load('o2', 0);
    expect(store()).toMatchObject({ status: 'error', error: '内容不存在或已下架' });
  });

  it('refuses to submit without a rating or over 500 characters, without calling the server', async () => {
    service.target.mockResolvedValueOnce(target());
    await store().load('o1', 0);
    expect(await store().submit()).toEqual({ kind: 'refused', message: '请先为商品打分' });
    store().setRating(5);
    store().setText('好'.repeat(501));
    expect((await store().submit()).kind).toBe('refused');
    expect(service.submit).not.toHaveBeenCalled();
    expect(textLength('👨‍👩‍👧'.repeat(500)).over).toBe(false);
  });

  it('uploads picked photos under the line’s folder, at most 6, and submits them with the rating and text', async () => {
    service.target.mockResolvedValueOnce(target());
    await store().load('o1', 0);
    service.choosePhotos.mockResolvedValueOnce(['/tmp/a.jpg', '/tmp/b.png']);
    service.uploadPhoto.mockImplementation(async (dir, path) => `cloud://env.b/${dir}${path.slice(5)}`);
    expect(await store().addPhotos()).toBeNull();
    expect(service.choosePhotos).toHaveBeenCalledWith(6);
    expect(store().photos).toEqual(['cloud://env.b/reviews/o1/a.jpg', 'cloud://env.b/reviews/o1/b.png']);
    store().removePhoto('cloud://env.b/reviews/o1/a.jpg');
    store().setRating(4);
    store().setText('好喝');
    service.submit.mockResolvedValueOnce({ review: { ...posted, rating: 4 }, pointsAwarded: 10, balance: 110 });
    expect(await store().submit()).toEqual({ kind: 'done', points: 10 });
    expect(service.submit).toHaveBeenCalledWith({
      orderId: 'o1',
      line: 0,
      rating: 4,
      text: '好喝',
      photos: ['cloud://env.b/reviews/o1/b.png'],
    });
    expect(store().target).toMatchObject({ state: 'reviewed', review: { rating: 4 } });
  });

  it('a refusal (risky text) keeps the draft and says the server’s words; a double tap submits once', async () => {
    service.target.mockResolvedValueOnce(target());
    await store().load('o1', 0);
    store().setRating(5);
    store().setText('违禁词');
    let release: () => void = () => undefined;
    service.submit.mockImplementationOnce(
      () =>
        new Promise((_resolve, reject) => {
          release = () =>
            reject(new CloudCallError('INVALID_ARGUMENT', '评价内容包含不适宜发布的信息，请修改后再提交', undefined, 'risky_text'));
        }),
    );
    const first = store().submit();
    expect(await store().submit()).toEqual({ kind: 'busy' });
    release();
    expect(await first).toEqual({ kind: 'refused', message: '评价内容包含不适宜发布的信息，请修改后再提交' });
    expect(store()).toMatchObject({ text: '违禁词', rating: 5, submitting: false });
    expect(service.submit).toHaveBeenCalledTimes(1);
  });
});
