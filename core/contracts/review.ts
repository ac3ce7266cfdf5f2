import * as z from 'zod/mini';
import { defineContract } from '../contract';
import { MAX_RATING, MAX_REVIEW_PHOTOS, MIN_RATING } from '../fission/review';

const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const FileId = z.string().check(z.minLength(1), z.maxLength(1024));
/** Points or a reviewer an app (or a tampered request) may send: accepted and never read. */
const IGNORED = z.optional(z.unknown());

export const ReviewView = z.object({
  /** Stable key for lists (not shown). */
  reviewId: z.string(),
  rating: z.int(),
  text: z.string(),
  /** Temp URLs of the photos ('' for a photo storage no longer has). */
  photos: z.array(z.string()),
  /** The reviewer as others see them: nickname and the first character for the avatar circle. */
  nickname: z.string(),
  initial: z.string(),
  /** 规格: 大杯 · 少糖 — what the reviewer bought. */
  specs: z.string(),
  createdAt: z.string(),
});
export type ReviewView = z.infer<typeof ReviewView>;

export const ReviewSummary = z.object({
  count: z.int(),
  /** To one decimal; null without reviews. */
  average: z.nullable(z.number()),
  /** 好评率 (4–5 stars) in whole percent; null without reviews. */
  positive: z.nullable(z.int()),
});
export type ReviewSummary = z.infer<typeof ReviewSummary>;

/** What the write page shows about the line: the product as bought, and whether it can be reviewed now. */
export const ReviewTarget = z.object({
  orderId: z.string(),
  line: z.int(),
  /** How many lines the order has (the page offers the others). */
  lineCount: z.int(),
  productId: z.string(),
  name: z.string(),
  specs: z.string(),
  imageUrl: z.nullable(z.string()),
  /** `open`: 去评价; `reviewed`: the caller's review is in `review`; `not_completed`: the order is not completed (yet). */
  state: z.enum(['open', 'reviewed', 'not_completed']),
  review: z.nullable(ReviewView),
  /** Points a review earns (once). */
  points: z.int(),
  /** Where the app uploads photos for this line: `reviews/<orderId>/` + a file name. */
  photoDir: z.string(),
});
export type ReviewTarget = z.infer<typeof ReviewTarget>;

export const reviewContract = defineContract('review', {
  /** The line to review (the caller's own order only). */
  target: { input: z.strictObject({ orderId: Id, line: z.int().check(z.gte(0), z.lte(49)) }), output: ReviewTarget },
  /**
   * Reviews a completed order line once: the text and every photo pass WeChat's content checks
   * first, then the review, the product's stats and the points are written in one transaction.
   * A second submission of the line is refused (ALREADY_EXISTS, reason `reviewed`).
   */
  submit: {
    input: z.strictObject({
      orderId: Id,
      line: z.int().check(z.gte(0), z.lte(49)),
      rating: z.int().check(z.gte(MIN_RATING), z.lte(MAX_RATING)),
      /** ≤ 500 graphemes after normalizing (checked on the server); the raw length is bounded here. */
      text: z.string().check(z.maxLength(6000)),
      photos: z.array(FileId).check(z.maxLength(MAX_REVIEW_PHOTOS)),
      points: IGNORED,
      nickname: IGNORED,
    }),
    output: z.object({ review: ReviewView, pointsAwarded: z.int(), balance: z.int() }),
  },
  /** A product's visible reviews, newest first, with the summary; anyone may read them. */
  product: {
    input: z.strictObject({
      productId: Id,
      cursor: z.optional(z.string().check(z.maxLength(200))),
      limit: z.optional(z.int().check(z.gte(1), z.lte(20))),
    }),
    output: z.object({ summary: ReviewSummary, reviews: z.array(ReviewView), nextCursor: z.nullable(z.string()) }),
  },
});
export type ReviewContract = typeof reviewContract;
