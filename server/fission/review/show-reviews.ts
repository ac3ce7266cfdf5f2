import type { ReviewSummary, ReviewView } from '../../../core/contracts/review';
import { DuetError } from '../../../core/errors';
import { averageRating, positiveShare } from '../../../core/fission/review';
import { findReviewStats, listVisibleReviews } from './repository';
import { toReviewViews } from './review-views';

const DEFAULT_LIMIT = 10;

/** A cursor this function gave: `<time ms>~<review id>`. */
function parseCursor(cursor: string): { at: Date; id: string } {
  const match = /^(\d{1,15})~(\S+:\d{1,2})$/.exec(cursor);
  if (!match) throw new DuetError('INVALID_ARGUMENT', `cursor ${cursor.slice(0, 80)} is not one this function gave`);
  return { at: new Date(Number(match[1])), id: match[2] as string };
}

/** The product page's block: average, count, 好评率 and the newest visible reviews, paged. */
export async function showProductReviews(input: {
  productId: string;
  cursor?: string;
  limit?: number;
}): Promise<{ summary: ReviewSummary; reviews: ReviewView[]; nextCursor: string | null }> {
  const limit = input.limit ?? DEFAULT_LIMIT;
  const [stats, docs] = await Promise.all([
    findReviewStats(input.productId),
    listVisibleReviews(input.productId, input.cursor ? parseCursor(input.cursor) : null, limit),
  ]);
  const last = docs[docs.length - 1];
  return {
    summary: { count: Number(stats?.count ?? 0), average: averageRating(stats), positive: positiveShare(stats) },
    reviews: await toReviewViews(docs),
    nextCursor: docs.length === limit && last ? `${new Date(last.createdAt).getTime()}~${last._id}` : null,
  };
}
