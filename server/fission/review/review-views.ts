import type { ReviewView } from '../../../core/contracts/review';
import { tempUrlMap } from '../../file-urls';
import { initialOf } from '../../groupbuy/group-views';
import type { ReviewDoc } from './repository';

/** 规格 as one line: 大杯 · 少糖 ('' without specs). */
export function specsLine(specs: Record<string, string> | undefined): string {
  return Object.values(specs ?? {}).join(' · ');
}

/** Reviews as anyone sees them: nickname and initial (never an id), photos as temp URLs. */
export async function toReviewViews(reviews: readonly ReviewDoc[]): Promise<ReviewView[]> {
  const urlOf = await tempUrlMap(reviews.flatMap((review) => review.photos));
  return reviews.map((review) => ({
    reviewId: review._id,
    rating: review.rating,
    text: review.text,
    photos: review.photos.map((fileId) => urlOf.get(fileId) ?? ''),
    nickname: review.nickname,
    initial: initialOf(review.nickname),
    specs: review.specs,
    createdAt: new Date(review.createdAt).toISOString(),
  }));
}
