import { reviewContract } from '../../core/contracts/review';
import { createHandler } from '../../server/handler';
import { showProductReviews } from '../../server/fission/review/show-reviews';
import { showReviewTarget, submitReview } from '../../server/fission/review/submit-review';

export const main = createHandler(
  reviewContract,
  {
    target: (input, { caller }) => showReviewTarget(caller, input, new Date()),
    submit: (input, { caller }) => submitReview(caller, input, new Date()),
    product: (input) => showProductReviews(input),
  },
  // A product's reviews are public (a visitor reads them before logging in); writing needs the member.
  { audience: { product: 'any' } },
);
