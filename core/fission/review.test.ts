import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addRating,
  averageRating,
  checkReviewDraft,
  contentVerdict,
  countGraphemes,
  emptyStats,
  isReviewPhotoOf,
  MAX_REVIEW_TEXT,
  normalizeReviewText,
  positiveShare,
  removeRating,
  reviewIdOf,
  reviewPointsKey,
} from './review';

const photo = (orderId: string, name = 'a1.jpg') => `cloud://duet-local.6475-duet-local-1300000000/reviews/${orderId}/${name}`;

describe('review text', () => {
  it('counts graphemes: an emoji family, a flag and a combined accent are one each', () => {
    expect(countGraphemes('好喝')).toBe(2);
    expect(countGraphemes('👨‍👩‍👧🇨🇳e\u0301')).toBe(3);
  });

  it('removes controls, lone surrogates and bidi overrides; keeps newlines (at most one blank line) and trims', () => {
    expect(normalizeReviewText('  好\u0000喝\u202e\r\n\r\n\r\n\r\n回购\ud800 ')).toBe('好喝\n\n回购');
    expect(normalizeReviewText('😀\ud83d')).toBe('😀');
  });

  it('the normal form never holds a lone surrogate or a control, and normalizing twice changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (raw) => {
        const once = normalizeReviewText(raw);
        expect(normalizeReviewText(once)).toBe(once);
        expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(once)).toBe(false);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for them
        expect(/[\u0000-\u0008\u000b-\u001f\u007f]/.test(once)).toBe(false);
      }),
    );
  });
});

describe('checkReviewDraft', () => {
  const ok = { rating: 5, text: '很好', photos: [photo('o1')] };

  it('accepts 1–5 stars, ≤ 500 graphemes and ≤ 6 photos under reviews/<orderId>/', () => {
    expect(checkReviewDraft(ok, 'o1')).toEqual({ ok: true, draft: ok });
    const emoji = '👨‍👩‍👧'.repeat(MAX_REVIEW_TEXT);
    expect(checkReviewDraft({ ...ok, text: emoji }, 'o1').ok).toBe(true);
    expect(checkReviewDraft({ ...ok, text: `${emoji}a` }, 'o1')).toEqual({ ok: false, problem: 'text_too_long' });
  });

  it('refuses bad ratings, too many or repeated photos, and photos of another order or path', () => {
    for (const rating of [0, 6, 4.5, Number.NaN])
      expect(checkReviewDraft({ ...ok, rating }, 'o1')).toEqual({ ok: false, problem: 'rating' });
    const seven = Array.from({ length: 7 }, (_, i) => photo('o1', `p${i}.png`));
    expect(checkReviewDraft({ ...ok, photos: seven }, 'o1')).toEqual({ ok: false, problem: 'too_many_photos' });
    expect(checkReviewDraft({ ...ok, photos: [photo('o1'), photo('o1')] }, 'o1')).toEqual({ ok: false, problem: 'duplicate_photo' });
    expect(checkReviewDraft({ ...ok, photos: [photo('o2')] }, 'o1')).toEqual({ ok: false, problem: 'photo_path' });
  });

  it('a photo belongs to the order only as reviews/<orderId>/<name>.<image ext>', () => {
    expect(isReviewPhotoOf(photo('o1'), 'o1')).toBe(true);
    expect(isReviewPhotoOf(photo('o1', '../x.jpg'), 'o1')).toBe(false);
    expect(isReviewPhotoOf(photo('o1', 'x.exe'), 'o1')).toBe(false);
    expect(isReviewPhotoOf('cloud://env.b/reviews/o1/sub/x.jpg', 'o1')).toBe(false);
    expect(isReviewPhotoOf('https://evil.example/reviews/o1/x.jpg', 'o1')).toBe(false);
    expect(isReviewPhotoOf('cloud://env.b/products/o1/x.jpg', 'o1')).toBe(false);
  });
});

describe('contentVerdict', () => {
  it('pass only on errcode 0 with a pass (or no) suggestion; 87014 and risky/review refuse; anything else is retry', () => {
    expect(contentVerdict({ errcode: 0, suggest: 'pass' })).toBe('pass');
    expect(contentVerdict({ errcode: 0 })).toBe('pass');
    expect(contentVerdict({ errcode: 0, suggest: 'risky' })).toBe('risky');
    expect(contentVerdict({ errcode: 0, suggest: 'review' })).toBe('risky');
    expect(contentVerdict({ errcode: 87014 })).toBe('risky');
    expect(contentVerdict({ errcode: -1 })).toBe('unavailable');
    expect(contentVerdict({ errcode: null })).toBe('unavailable');
    expect(contentVerdict({ errcode: 61010 })).toBe('unavailable');
  });
});

describe('review stats', () => {
  it('ids: one review per order line, one ledger key per review', () => {
    expect(reviewIdOf('o1', 2)).toBe('o1:2');
    expect(reviewPointsKey(reviewIdOf('o1', 2))).toBe('review:o1:2');
  });

  it('adding then removing ratings in any order keeps count = Σ stars, sum = Σ star × rating, never negative', () => {
    const op = fc.record({ add: fc.boolean(), rating: fc.integer({ min: 1, max: 5 }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        let stats = emptyStats();
        for (const { add, rating } of ops) stats = add ? addRating(stats, rating) : removeRating(stats, rating);
        expect(stats.count).toBe(stats.stars.reduce((a, b) => a + b, 0));
        expect(stats.sum).toBe(stats.stars.reduce((a, n, i) => a + n * (i + 1), 0));
        expect(stats.stars.every((n) => n >= 0)).toBe(true);
        const average = averageRating(stats);
        if (stats.count === 0) expect(average).toBeNull();
        else expect(average).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it('average to one decimal and positive share', () => {
    const stats = [5, 5, 4, 2].reduce((s, r) => addRating(s, r), emptyStats());
    expect(averageRating(stats)).toBe(4);
    expect(positiveShare(stats)).toBe(75);
    expect(averageRating(addRating(stats, 5))).toBe(4.2);
    expect(averageRating(null)).toBeNull();
  });
});
