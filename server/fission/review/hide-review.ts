import type { ReviewRow } from '../../../core/contracts/review-admin';
import { DuetError } from '../../../core/errors';
import { averageRating, type ReviewState } from '../../../core/fission/review';
import { hideReviewInTx, listReviewDocs, type ReviewDoc } from './repository';

const iso = (value: Date | string | undefined) => (value ? new Date(value).toISOString() : null);

/** Takes a review off its product (page and stats) once; a second run answers already_hidden. */
export async function hideReview(
  input: { reviewId: string; reason: string },
  operator: string,
  now: Date,
): Promise<{ reviewId: string; outcome: 'hidden' | 'already_hidden'; stats: { count: number; average: number | null } }> {
  const result = await hideReviewInTx(input.reviewId, { hiddenAt: now, hiddenReason: input.reason, hiddenBy: operator });
  if (!result) throw new DuetError('NOT_FOUND', `review ${input.reviewId} does not exist`);
  return {
    reviewId: input.reviewId,
    outcome: result.hidden ? 'hidden' : 'already_hidden',
    stats: { count: result.stats.count, average: averageRating(result.stats) },
  };
}

function toRow(review: ReviewDoc): ReviewRow {
  return {
    reviewId: review._id,
    productId: review.productId,
    orderId: review.orderId,
    memberId: review.memberId,
    rating: review.rating,
    text: review.text,
    photos: review.photos,
    state: review.state,
    createdAt: new Date(review.createdAt).toISOString(),
    hiddenAt: iso(review.hiddenAt),
    hiddenReason: review.hiddenReason ?? null,
  };
}

export async function listReviews(input: { productId?: string; state?: ReviewState; limit?: number }): Promise<{ reviews: ReviewRow[] }> {
  const docs = await listReviewDocs({ productId: input.productId, state: input.state }, input.limit ?? 50);
  return { reviews: docs.map(toRow) };
}
