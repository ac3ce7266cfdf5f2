import { create } from 'zustand';
import type { ReviewTarget } from '../../core/contracts/review';
import { countGraphemes, MAX_REVIEW_PHOTOS, MAX_REVIEW_TEXT } from '../../core/fission/review';
import { type Failure, toFailure } from '../services/errors';
import * as reviewService from '../services/review';
import type { LoadStatus } from './useMemberStore';

export type SubmitOutcome = { kind: 'done'; points: number } | { kind: 'refused'; message: string } | { kind: 'busy' };

export interface ReviewWriteState {
  key: string | null;
  status: LoadStatus;
  target: ReviewTarget | null;
  error: string | null;
  failure: Failure | null;
  /** 0 until the member taps a star. */
  rating: number;
  text: string;
  /** Uploaded photos: cloud file ids, in the order added. */
  photos: string[];
  uploading: boolean;
  submitting: boolean;
  load(orderId: string, line: number): Promise<void>;
  setRating(rating: number): void;
  setText(text: string): void;
  addPhotos(): Promise<string | null>;
  removePhoto(fileId: string): void;
  submit(): Promise<SubmitOutcome>;
}

/** Characters the text has (as the server counts them) and whether it fits. */
export function textLength(text: string): { count: number; over: boolean } {
  const count = countGraphemes(text.trim());
  return { count, over: count > MAX_REVIEW_TEXT };
}

const blank = { rating: 0, text: '', photos: [] as string[], uploading: false, submitting: false };

export const useReviewWriteStore = create<ReviewWriteState>((set, get) => {
  let ticket = 0;
  return {
    key: null,
    status: 'idle',
    target: null,
    error: null,
    failure: null,
    ...blank,
    async load(orderId, line) {
      const mine = ++ticket;
      const key = `${orderId}:${line}`;
      // Another line (or first visit): a fresh draft; the same line keeps what the member typed.
      if (get().key !== key) set({ key, target: null, ...blank });
      set({ status: get().target ? 'ready' : 'loading', error: null, failure: null });
      try {
        const target = await reviewService.target(orderId, line);
        if (mine === ticket) set({ status: 'ready', target });
      } catch (error) {
        const failure = toFailure(error, 'review.target');
        if (mine === ticket) set({ status: 'error', error: failure.message, failure });
      }
    },
    setRating: (rating) => set({ rating: Math.min(5, Math.max(1, Math.round(rating))) }),
    setText: (text) => set({ text }),
    async addPhotos() {
      const { target, photos, uploading } = get();
      if (!target || uploading || photos.length >= MAX_REVIEW_PHOTOS) return null;
      let paths: string[];
      try {
        paths = await reviewService.choosePhotos(MAX_REVIEW_PHOTOS - photos.length);
      } catch {
        return null; // The member closed the picker.
      }
      if (paths.length === 0) return null;
      set({ uploading: true });
      try {
        const ids = await Promise.all(paths.map((path) => reviewService.uploadPhoto(target.photoDir, path)));
        set({ photos: [...get().photos, ...ids].slice(0, MAX_REVIEW_PHOTOS) });
        return null;
      } catch (error) {
        // Logged like any failed call (toFailure); the member reads the upload's own message.
        toFailure(error, 'review.uploadPhoto');
        return '图片上传失败，请重试';
      } finally {
        set({ uploading: false });
      }
    },
    removePhoto: (fileId) => set({ photos: get().photos.filter((id) => id !== fileId) }),
    async submit() {
      const { target, rating, text, photos, submitting, uploading } = get();
      if (!target || submitting || uploading) return { kind: 'busy' };
      if (rating < 1) return { kind: 'refused', message: '请先为商品打分' };
      if (textLength(text).over) return { kind: 'refused', message: `评价内容最多 ${MAX_REVIEW_TEXT} 字` };
      set({ submitting: true });
      try {
        const answer = await reviewService.submit({ orderId: target.orderId, line: target.line, rating, text, photos });
        set({ target: { ...target, state: 'reviewed', review: answer.review } });
        return { kind: 'done', points: answer.pointsAwarded };
      } catch (error) {
        const failure = toFailure(error, 'review.submit');
        // Reviewed meanwhile (another device, a double tap that got through): show it as it is.
        if (failure.reason === 'reviewed') void get().load(target.orderId, target.line);
        return { kind: 'refused', message: failure.message };
      } finally {
        set({ submitting: false });
      }
    },
  };
});
