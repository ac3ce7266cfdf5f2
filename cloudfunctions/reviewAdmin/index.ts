import { reviewAdminContract } from '../../core/contracts/review-admin';
import { authorized } from '../../server/admin/authorize-admin';
import { hideReview, listReviews } from '../../server/fission/review/hide-review';
import { seedReviews } from '../../server/fission/review/seed-reviews';
import { createHandler } from '../../server/handler';

// Review console jobs, authorized like `admin`'s: the console, timers and members on the admin list.
export const main = createHandler(
  reviewAdminContract,
  authorized<typeof reviewAdminContract>({
    listReviews: (input) => listReviews(input),
    hideReview: (input, { operator }) => hideReview(input, operator ?? 'unknown', new Date()),
    seedReviews: async () => ({ reviews: await seedReviews() }),
  }),
  { audience: { listReviews: 'any', hideReview: 'any', seedReviews: 'any' } },
);
