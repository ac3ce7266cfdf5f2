import { create } from 'zustand';
import type { ReviewSummary, ReviewView } from '../../core/contracts/review';
import { type Failure, toFailure } from '../services/errors';
import * as reviewService from '../services/review';
import type { LoadStatus } from './useMemberStore';

export interface ProductReviewsState {
  productId: string | null;
  status: LoadStatus;
  summary: ReviewSummary | null;
  /** Newest first. */
  reviews: ReviewView[];
  nextCursor: string | null;
  /** 查看更多 in flight. */
  loadingMore: boolean;
  error: string | null;
  failure: Failure | null;
  load(productId: string): Promise<void>;
  more(): Promise<void>;
}

/** The product page's reviews block: summary and the newest reviews, then more on demand. */
export const useProductReviewsStore = create<ProductReviewsState>((set, get) => {
  let ticket = 0;
  return {
    productId: null,
    status: 'idle',
    summary: null,
    reviews: [],
    nextCursor: null,
    loadingMore: false,
    error: null,
    failure: null,
    async load(productId) {
      const mine = ++ticket;
      const keep = get().productId === productId && get().status === 'ready';
      if (!keep) set({ productId, status: 'loading', summary: null, reviews: [], nextCursor: null, error: null, failure: null });
      try {
        const answer = await reviewService.productReviews(productId);
        if (mine !== ticket) return;
        set({
          status: 'ready',
          summary: answer.summary,
          reviews: answer.reviews,
          nextCursor: answer.nextCursor,
          error: null,
          failure: null,
        });
      } catch (error) {
        if (mine !== ticket) return;
        const failure = toFailure(error, 'review.product');
        set(keep ? { error: failure.message, failure } : { status: 'error', error: failure.message, failure });
      }
    },
    async more() {
      const { productId, nextCursor, loadingMore } = get();
      if (!productId || !nextCursor || loadingMore) return;
      const mine = ticket;
      set({ loadingMore: true });
      try {
        const answer = await reviewService.productReviews(productId, nextCursor);
        if (mine !== ticket) return;
        const seen = new Set(get().reviews.map((r) => r.reviewId));
        set({ reviews: [...get().reviews, ...answer.reviews.filter((r) => !seen.has(r.reviewId))], nextCursor: answer.nextCursor });
      } catch (error) {
        const failure = toFailure(error, 'review.product.more');
        if (mine === ticket) set({ error: failure.message, failure });
      } finally {
        if (mine === ticket) set({ loadingMore: false });
      }
    },
  };
});
