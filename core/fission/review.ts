/**
 * Reviews after purchase (评价): what a review may hold, which line it belongs to, and how a
 * product's review stats change. Pure; server/fission/review applies it.
 */

export const MIN_RATING = 1;
export const MAX_RATING = 5;
/** Text length in user-perceived characters (graphemes): an emoji family or a flag is one. */
export const MAX_REVIEW_TEXT = 500;
export const MAX_REVIEW_PHOTOS = 6;
/** Points a review earns, once per review (ledger key `review:<reviewId>`). */
export const REVIEW_POINTS = 10;
/** Where the app uploads a review's photos: `reviews/<orderId>/<anything>`. */
export const REVIEW_PHOTO_ROOT = 'reviews';

export const REVIEW_STATES = ['visible', 'hidden'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** The one review a completed order line may have: `<orderId>:<line index>`. */
export function reviewIdOf(orderId: string, line: number): string {
  return `${orderId}:${line}`;
}

/** The ledger key of a review's points: once per review, whatever the retries. */
export function reviewPointsKey(reviewId: string): string {
  return `review:${reviewId}`;
}

// --- text -------------------------------------------------------------------------------------

type Segmenter = { segment(text: string): Iterable<unknown> };
const segmenter: Segmenter | null = (() => {
  // Some mini-program runtimes have no Intl at all.
  if (typeof Intl === 'undefined') return null;
  const Ctor = (Intl as unknown as { Segmenter?: new (locale: string, options: { granularity: 'grapheme' }) => Segmenter }).Segmenter;
  return Ctor ? new Ctor('zh', { granularity: 'grapheme' }) : null;
})();

/**
 * User-perceived characters: graphemes where the runtime can segment (Node, modern WebViews);
 * code points elsewhere (never fewer than graphemes, so an old client's counter errs on the strict side).
 */
export function countGraphemes(text: string): number {
  if (!segmenter) return Array.from(text).length;
  let count = 0;
  for (const _ of segmenter.segment(text)) count += 1;
  return count;
}

// C0/C1 controls except tab and newline, lone surrogates, and the bidi overrides that reorder what others read.
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** What is stored of the text: NFC, unsafe characters removed, CRLF as LF, at most two blank lines in a row, trimmed. */
export function normalizeReviewText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(UNSAFE, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// --- the draft --------------------------------------------------------------------------------

export interface ReviewDraft {
  rating: number;
  text: string;
  photos: readonly string[];
}

export type DraftProblem = 'rating' | 'text_too_long' | 'too_many_photos' | 'duplicate_photo' | 'photo_path';

export const DRAFT_MESSAGES: Record<DraftProblem, string> = {
  rating: '请为商品打 1–5 星',
  text_too_long: `评价内容最多 ${MAX_REVIEW_TEXT} 字`,
  too_many_photos: `最多上传 ${MAX_REVIEW_PHOTOS} 张图片`,
  duplicate_photo: '同一张图片只能上传一次',
  photo_path: '图片无效，请重新上传',
};

/**
 * The draft as stored (text normalized), or the first problem. Photos must sit under
 * `reviews/<orderId>/` of this environment's storage: the order is the caller's (checked by the
 * server), so a photo there came from this order's review page.
 */
export function checkReviewDraft(
  draft: ReviewDraft,
  orderId: string,
): { ok: true; draft: ReviewDraft } | { ok: false; problem: DraftProblem } {
  if (!Number.isInteger(draft.rating) || draft.rating < MIN_RATING || draft.rating > MAX_RATING) return { ok: false, problem: 'rating' };
  const text = normalizeReviewText(draft.text);
  if (countGraphemes(text) > MAX_REVIEW_TEXT) return { ok: false, problem: 'text_too_long' };
  if (draft.photos.length > MAX_REVIEW_PHOTOS) return { ok: false, problem: 'too_many_photos' };
  if (new Set(draft.photos).size !== draft.photos.length) return { ok: false, problem: 'duplicate_photo' };
  if (!draft.photos.every((fileId) => isReviewPhotoOf(fileId, orderId))) return { ok: false, problem: 'photo_path' };
  return { ok: true, draft: { rating: draft.rating, text, photos: [...draft.photos] } };
}

/** The cloud path inside a file id (`cloud://<env>.<bucket>/<path>`), or null. */
export function cloudPathOfFileId(fileId: string): string | null {
  const match = /^cloud:\/\/[^/\s]+\/(.+)$/.exec(fileId);
  return match?.[1] ?? null;
}

export function isReviewPhotoOf(fileId: string, orderId: string): boolean {
  const path = cloudPathOfFileId(fileId);
  if (!path) return false;
  const segments = path.split('/');
  return (
    segments.length === 3 &&
    segments[0] === REVIEW_PHOTO_ROOT &&
    segments[1] === orderId &&
    /^[A-Za-z0-9_-]{1,64}\.(jpg|jpeg|png|webp|gif)$/i.test(segments[2] ?? '')
  );
}

// --- content checks ---------------------------------------------------------------------------

/** What the content checks decided: pass, refuse (risky or for review), or nobody could say (retry). */
export type ContentVerdict = 'pass' | 'risky' | 'unavailable';

/** WeChat's "risky content" errcode (msgSecCheck v1, imgSecCheck). */
export const RISKY_ERRCODE = 87014;

/**
 * A check's outcome from its answer: errcode 87014 or a v2 suggestion other than pass refuses; a
 * missing answer (timeout) or any other errcode is "try again later", never a pass.
 */
export function contentVerdict(answer: { errcode: number | null; suggest?: string | null }): ContentVerdict {
  if (answer.errcode === RISKY_ERRCODE) return 'risky';
  if (answer.errcode !== 0) return 'unavailable';
  if (answer.suggest === undefined || answer.suggest === null || answer.suggest === 'pass') return 'pass';
  return 'risky';
}

export const CONTENT_MESSAGES = {
  text: '评价内容包含不适宜发布的信息，请修改后再提交',
  photo: '有图片未通过安全检测，请更换后再提交',
  unavailable: '内容安全检测暂时繁忙，请稍后重试',
} as const;

// --- stats ------------------------------------------------------------------------------------

/** A product's visible reviews: count, rating sum and count per star (index 0 = 1 star). */
export interface ReviewStats {
  count: number;
  sum: number;
  stars: number[];
}

export function emptyStats(): ReviewStats {
  return { count: 0, sum: 0, stars: [0, 0, 0, 0, 0] };
}

function normalized(stats: Partial<ReviewStats> | null | undefined): ReviewStats {
  const stars = Array.from({ length: MAX_RATING }, (_, i) => Number(stats?.stars?.[i] ?? 0));
  return { count: Number(stats?.count ?? 0), sum: Number(stats?.sum ?? 0), stars };
}

export function addRating(stats: Partial<ReviewStats> | null | undefined, rating: number): ReviewStats {
  const next = normalized(stats);
  next.stars[rating - 1] = (next.stars[rating - 1] ?? 0) + 1;
  return { count: next.count + 1, sum: next.sum + rating, stars: next.stars };
}

/** Takes a rating out (a hidden review); never below zero. */
export function removeRating(stats: Partial<ReviewStats> | null | undefined, rating: number): ReviewStats {
  const next = normalized(stats);
  if (next.count <= 0 || (next.stars[rating - 1] ?? 0) <= 0) return next;
  next.stars[rating - 1] = (next.stars[rating - 1] ?? 0) - 1;
  return { count: next.count - 1, sum: next.sum - rating, stars: next.stars };
}

/** The average to one decimal (4.7), or null without reviews. */
export function averageRating(stats: Partial<ReviewStats> | null | undefined): number | null {
  const s = normalized(stats);
  if (s.count <= 0) return null;
  return Math.round((s.sum / s.count) * 10) / 10;
}

/** Share of 4–5 star reviews in whole percent (好评率), or null without reviews. */
export function positiveShare(stats: Partial<ReviewStats> | null | undefined): number | null {
  const s = normalized(stats);
  if (s.count <= 0) return null;
  return Math.round((((s.stars[3] ?? 0) + (s.stars[4] ?? 0)) / s.count) * 100);
}
