import * as z from 'zod/mini';
import { defineContract } from '../contract';
import { REVIEW_STATES } from '../fission/review';

/** The `reviewAdmin` function's console jobs: find reviews, hide one. */
const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const ReviewId = z.string().check(z.minLength(3), z.maxLength(140), z.regex(/^[^\s$][^\s]*:\d{1,2}$/, 'a review id is <orderId>:<line>'));

export const ReviewRow = z.object({
  reviewId: z.string(),
  productId: z.string(),
  orderId: z.string(),
  memberId: z.string(),
  rating: z.int(),
  text: z.string(),
  photos: z.array(z.string()),
  state: z.enum(REVIEW_STATES),
  createdAt: z.string(),
  hiddenAt: z.nullable(z.string()),
  hiddenReason: z.nullable(z.string()),
});
export type ReviewRow = z.infer<typeof ReviewRow>;

export const reviewAdminContract = defineContract('reviewAdmin', {
  /** Reviews newest first, of one product or all, optionally in one state. */
  listReviews: {
    input: z.strictObject({
      productId: z.optional(Id),
      state: z.optional(z.enum(REVIEW_STATES)),
      limit: z.optional(z.int().check(z.gte(1), z.lte(200))),
    }),
    output: z.object({ reviews: z.array(ReviewRow) }),
  },
  /** The demo reviews on the demo shop (`npm run dev` runs it after `seed`): each written once with its product's stats. */
  seedReviews: { input: z.strictObject({}), output: z.object({ reviews: z.int() }) },
  /**
   * Takes a review off the product page and out of its stats, once: a second run answers
   * `already_hidden` and changes nothing. The points it earned stay (they were earned by a
   * review that passed WeChat's checks); the operator and the reason are recorded.
   */
  hideReview: {
    input: z.strictObject({ reviewId: ReviewId, reason: z.string().check(z.trim(), z.minLength(2), z.maxLength(60)) }),
    output: z.object({
      reviewId: z.string(),
      outcome: z.enum(['hidden', 'already_hidden']),
      stats: z.object({ count: z.int(), average: z.nullable(z.number()) }),
    }),
  },
});
export type ReviewAdminContract = typeof reviewAdminContract;
