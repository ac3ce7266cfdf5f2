import { addRating, emptyStats, type ReviewState, type ReviewStats, removeRating } from '../../../core/fission/review';
import { database } from '../../cloud';
import { COLLECTIONS } from '../../collections';
import { findById, insertOnce } from '../../documents';
import { txFind, withTransaction } from '../../transaction';

const REVIEWS = COLLECTIONS.reviews;
const STATS = COLLECTIONS.reviewStats;

/** A review as stored in `reviews`: `_id` is `<orderId>:<line>`, so a line has one review whatever the concurrency. */
export interface ReviewDoc {
  _id: string;
  orderId: string;
  line: number;
  productId: string;
  skuId: string;
  memberId: string;
  rating: number;
  text: string;
  photos: string[];
  /** The reviewer as others see them, as it was when the review was written. */
  nickname: string;
  /** 规格 as bought: 大杯 · 少糖. */
  specs: string;
  state: ReviewState;
  createdAt: Date;
  hiddenAt?: Date;
  hiddenReason?: string;
  hiddenBy?: string;
}

/** A product's review stats in `review_stats` (`_id` = the product id): visible reviews only. */
export interface ReviewStatsDoc extends ReviewStats {
  _id: string;
  updatedAt: Date;
}

export function findReview(id: string): Promise<ReviewDoc | null> {
  return findById<ReviewDoc>(REVIEWS, id);
}

export function findReviewStats(productId: string): Promise<ReviewStatsDoc | null> {
  return findById<ReviewStatsDoc>(STATS, productId);
}

/** Creates a product's (empty) stats document unless it exists, so that transactions only ever update it. */
export async function ensureReviewStats(productId: string, now: Date): Promise<void> {
  await insertOnce<ReviewStatsDoc>(STATS, { _id: productId, ...emptyStats(), updatedAt: now });
}

/**
 * Inside the points posting's transaction: writes the review and adds its rating to the product's
 * stats, or answers 'reviewed' when the line has a review already (nothing written).
 */
export async function insertReviewInTx(tx: any, review: ReviewDoc): Promise<'reviewed' | null> {
  if (await txFind<ReviewDoc>(tx, REVIEWS, review._id)) return 'reviewed';
  const stats = await txFind<ReviewStatsDoc>(tx, STATS, review.productId);
  await tx.collection(REVIEWS).add({ data: review });
  const next = addRating(stats, review.rating);
  if (stats)
    await tx
      .collection(STATS)
      .doc(review.productId)
      .update({ data: { ...next, updatedAt: review.createdAt } });
  else await tx.collection(STATS).add({ data: { _id: review.productId, ...next, updatedAt: review.createdAt } });
  return null;
}

/**
 * visible → hidden and the rating out of the stats, in one transaction: answers the stats after,
 * with `hidden: false` when the review was hidden already (nothing written), or null when there is none.
 */
export async function hideReviewInTx(
  id: string,
  fields: { hiddenAt: Date; hiddenReason: string; hiddenBy: string },
): Promise<{ hidden: boolean; stats: ReviewStats } | null> {
  return withTransaction(async (tx: any) => {
    const review = await txFind<ReviewDoc>(tx, REVIEWS, id);
    if (!review) return null;
    const stats = await txFind<ReviewStatsDoc>(tx, STATS, review.productId);
    if (review.state !== 'visible') return { hidden: false, stats: stats ?? emptyStats() };
    const next = removeRating(stats, review.rating);
    await tx
      .collection(REVIEWS)
      .doc(id)
      .update({ data: { state: 'hidden', ...fields } });
    if (stats)
      await tx
        .collection(STATS)
        .doc(review.productId)
        .update({ data: { ...next, updatedAt: fields.hiddenAt } });
    return { hidden: true, stats: next };
  });
}

/** A product's visible reviews, newest first, after the cursor. */
export async function listVisibleReviews(productId: string, before: { at: Date; id: string } | null, limit: number): Promise<ReviewDoc[]> {
  const _ = database().command;
  const base = { productId, state: 'visible' };
  const where = before ? _.and([base, _.or([{ createdAt: _.lt(before.at) }, { createdAt: before.at, _id: _.lt(before.id) }])]) : base;
  const result = (await database()
    .collection(REVIEWS)
    .where(where)
    .orderBy('createdAt', 'desc')
    .orderBy('_id', 'desc')
    .limit(limit)
    .get()) as unknown as { data: ReviewDoc[] };
  return result.data;
}

/** Reviews for the console, newest first. */
export async function listReviewDocs(filter: { productId?: string; state?: ReviewState }, limit: number): Promise<ReviewDoc[]> {
  const where: Record<string, unknown> = {};
  if (filter.productId) where.productId = filter.productId;
  if (filter.state) where.state = filter.state;
  const query = database().collection(REVIEWS);
  const result = (await (Object.keys(where).length > 0 ? query.where(where) : query)
    .orderBy('createdAt', 'desc')
    .limit(limit)
    .get()) as unknown as { data: ReviewDoc[] };
  return result.data;
}

/** The reviews of an order's lines (the order page's 评价 state). */
export async function findOrderReviews(orderId: string): Promise<ReviewDoc[]> {
  const result = (await database().collection(REVIEWS).where({ orderId }).limit(100).get()) as unknown as { data: ReviewDoc[] };
  return result.data;
}

/** A review written as the demo seed writes it: with its rating in the stats, once (a second run finds it and writes nothing). */
export async function insertReviewOnce(review: ReviewDoc): Promise<boolean> {
  return withTransaction(async (tx: any) => (await insertReviewInTx(tx, review)) === null);
}
