import type { ReviewTarget, ReviewView } from '../../../core/contracts/review';
import { DuetError } from '../../../core/errors';
import {
  checkReviewDraft,
  DRAFT_MESSAGES,
  REVIEW_PHOTO_ROOT,
  REVIEW_POINTS,
  reviewIdOf,
  reviewPointsKey,
} from '../../../core/fission/review';
import { eventId } from '../../../core/funnel/events';
import { displayNickname } from '../../../core/member/member';
import { earnPoints } from '../../../core/points/account';
import { expiryOf } from '../../../core/points/rules';
import { tempUrlMap } from '../../file-urls';
import type { Caller } from '../../handler';
import { findPointsRules, postEntry } from '../../ledger/repository';
import { recordFunnelEvent } from '../../member/event-repository';
import { memberOfCaller } from '../../member/resolve-member';
import { ownOrder } from '../../order/own-order';
import type { OrderDoc } from '../../order/repository';
import { assertContentPasses } from './content-check';
import { ensureReviewStats, findReview, insertReviewInTx, type ReviewDoc } from './repository';
import { specsLine, toReviewViews } from './review-views';

export interface ReviewInput {
  orderId: string;
  line: number;
  rating: number;
  text: string;
  photos: string[];
}

function lineOf(order: OrderDoc, line: number): OrderDoc['lines'][number] {
  const found = order.lines[line];
  if (!found) throw new DuetError('NOT_FOUND', `order ${order._id} has no line ${line}`);
  return found;
}

const reviewed = (reviewId: string) =>
  new DuetError('ALREADY_EXISTS', `order line ${reviewId} is reviewed already`, { reason: 'reviewed', message: '这件商品已经评价过了' });

/** The line the write page shows: the caller's own order only (another member's is NOT_FOUND). */
export async function showReviewTarget(caller: Caller, input: { orderId: string; line: number }, now: Date): Promise<ReviewTarget> {
  const order = await ownOrder(caller, input.orderId, now);
  const line = lineOf(order, input.line);
  const review = await findReview(reviewIdOf(order._id, input.line));
  const urlOf = await tempUrlMap([line.imageFileId]);
  return {
    orderId: order._id,
    line: input.line,
    lineCount: order.lines.length,
    productId: line.productId,
    name: line.name,
    specs: specsLine(line.specs),
    imageUrl: (line.imageFileId && urlOf.get(line.imageFileId)) || null,
    state: review ? 'reviewed' : order.state === 'completed' ? 'open' : 'not_completed',
    review: review ? ((await toReviewViews([review]))[0] ?? null) : null,
    points: REVIEW_POINTS,
    photoDir: `${REVIEW_PHOTO_ROOT}/${order._id}/`,
  };
}

/**
 * Reviews a completed line of the caller's own order, once. Order of work: ownership and state,
 * the draft's rules, a line already reviewed (before spending content checks on it), then the
 * content checks — nothing is written until all pass — then one transaction writes the review,
 * the product's stats and the points entry (`review:<orderId>:<line>`), so a review and its points
 * exist together or not at all. A concurrent second submission loses that transaction and is refused.
 */
export async function submitReview(
  caller: Caller,
  input: ReviewInput,
  now: Date,
): Promise<{ review: ReviewView; pointsAwarded: number; balance: number }> {
  const member = await memberOfCaller(caller, now);
  const order = await ownOrder(caller, input.orderId, now);
  const line = lineOf(order, input.line);
  if (order.state !== 'completed') {
    throw new DuetError('FAILED_PRECONDITION', `order ${order._id} is ${order.state}: only a completed order is reviewed`, {
      reason: 'not_completed',
      message: '订单完成后才能评价哦',
    });
  }
  const checked = checkReviewDraft(input, order._id);
  if (!checked.ok) {
    throw new DuetError('INVALID_ARGUMENT', `review draft refused: ${checked.problem}`, {
      reason: checked.problem,
      message: DRAFT_MESSAGES[checked.problem],
    });
  }
  const reviewId = reviewIdOf(order._id, input.line);
  if (await findReview(reviewId)) throw reviewed(reviewId);

  await assertContentPasses(caller.openid ?? '', checked.draft.text, checked.draft.photos);

  const review: ReviewDoc = {
    _id: reviewId,
    orderId: order._id,
    line: input.line,
    productId: line.productId,
    skuId: line.skuId,
    memberId: member._id,
    rating: checked.draft.rating,
    text: checked.draft.text,
    photos: [...checked.draft.photos],
    nickname: displayNickname(member.nickname),
    specs: specsLine(line.specs),
    state: 'visible',
    createdAt: now,
  };
  await ensureReviewStats(line.productId, now);
  const rules = await findPointsRules();
  const posted = await postEntry(
    member._id,
    reviewPointsKey(reviewId),
    { source: 'review', now },
    (view) => {
      const expiresAt = expiryOf(rules.expiry, now);
      return {
        delta: REVIEW_POINTS,
        account: earnPoints(view.account, REVIEW_POINTS, expiresAt),
        entry: { expiresAt, ref: { review: reviewId, order: order._id, product: line.productId } },
      };
    },
    async (tx) =>
      (await insertReviewInTx(tx, review)) ? { refused: 'reviewed', message: '这件商品已经评价过了', code: 'ALREADY_EXISTS' } : null,
  );
  // A concurrent submission of the same line posted first: this one wrote nothing.
  if (posted.repeated) throw reviewed(reviewId);

  await recordFunnelEvent(
    {
      _id: eventId('review_posted', reviewId),
      kind: 'review_posted',
      at: now,
      orderId: order._id,
      productId: line.productId,
      rating: review.rating,
    },
    { memberId: member._id },
  );
  const [view] = await toReviewViews([review]);
  return { review: view as ReviewView, pointsAwarded: posted.entry.delta, balance: posted.entry.balanceAfter };
}
