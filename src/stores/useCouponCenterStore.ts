import { create } from 'zustand';
import type { CouponView, TemplateCard } from '../../core/contracts/coupon';
import { templateStateOfRefusal } from '../../core/coupon/coupon';
import * as couponService from '../services/coupon';
import { type Failure, toFailure } from '../services/errors';
import type { LoadStatus } from './useMemberStore';

export type TemplateState = TemplateCard['state'];

/** One coupon center as loaded: a campaign's, or the storefront's (key ''). */
export interface CouponCenter {
  status: LoadStatus;
  campaign: { id: string; name: string } | null;
  templates: TemplateCard[];
  /** The server's clock when the center was read: dates are shown relative to it, not the phone's. */
  serverTime: string | null;
  error: string | null;
  failure: Failure | null;
}

export type ClaimOutcome =
  /** Issued now, or `repeated`: an earlier attempt of this tap had already issued it. */
  | { kind: 'claimed'; coupon: CouponView; repeated: boolean }
  /** The server said no: the card now shows why; `message` is the server's Chinese sentence. */
  | { kind: 'refused'; message: string; state: TemplateState }
  /** No answer (network, server error): the card stays as it was. */
  | { kind: 'failed'; message: string }
  /** A claim of this template is already in flight: the tap is ignored. */
  | { kind: 'busy' };

export interface CouponCenterState {
  /** By center key (`centerKey`): the home page and a campaign's center are loaded side by side. */
  centers: Record<string, CouponCenter>;
  /** Templates whose claim is in flight; their buttons show loading and take no tap. */
  claiming: Record<string, true>;
  /**
   * Claims that got no answer, by template, with their requestId: the server may have issued the
   * coupon anyway, so the next tap on that card sends the same requestId and gets the first result
   * back instead of a second coupon.
   */
  unanswered: Record<string, string>;
  load(campaign?: string): Promise<void>;
  claim(templateId: string): Promise<ClaimOutcome>;
}

export function centerKey(campaign?: string | null): string {
  return campaign ?? '';
}

export const EMPTY_CENTER: CouponCenter = {
  status: 'idle',
  campaign: null,
  templates: [],
  serverTime: null,
  error: null,
  failure: null,
};

/**
 * Waits before retrying a claim that got no answer. Short: the member is looking at a spinner,
 * and a connection that stays down is better told than waited on.
 */
export const CLAIM_RETRY_DELAYS_MS: readonly number[] = [600, 1500];

/** Bumped by every load of a center: an older load's late answer is dropped. */
const latestLoad = new Map<string, number>();

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const useCouponCenterStore = create<CouponCenterState>((set, get) => {
  const patchCenter = (key: string, patch: Partial<CouponCenter>) =>
    set((state) => ({ centers: { ...state.centers, [key]: { ...(state.centers[key] ?? EMPTY_CENTER), ...patch } } }));

  /** The same template may be listed on the storefront and in a campaign: every listing shows the answer. */
  const patchTemplate = (templateId: string, change: (template: TemplateCard) => TemplateCard) =>
    set((state) => ({
      centers: Object.fromEntries(
        Object.entries(state.centers).map(([key, center]) => [
          key,
          center.templates.some((t) => t.templateId === templateId)
            ? { ...center, templates: center.templates.map((t) => (t.templateId === templateId ? change(t) : t)) }
            : center,
        ]),
      ),
    }));

  const setClaiming = (templateId: string, on: boolean) =>
    set((state) => {
      const claiming = { ...state.claiming };
      if (on) claiming[templateId] = true;
      else delete claiming[templateId];
      return { claiming };
    });

  const setUnanswered = (templateId: string, requestId: string | null) =>
    set((state) => {
      const unanswered = { ...state.unanswered };
      if (requestId) unanswered[templateId] = requestId;
      else delete unanswered[templateId];
      return { unanswered };
    });

  return {
    centers: {},
    claiming: {},
    unanswered: {},
    async load(campaign) {
      const key = centerKey(campaign);
      const ticket = (latestLoad.get(key) ?? 0) + 1;
      latestLoad.set(key, ticket);
      // A center already on screen stays there while it refreshes (coming back to a page must not flash a skeleton).
      const shown = get().centers[key]?.status === 'ready';
      patchCenter(key, shown ? { error: null, failure: null } : { status: 'loading', error: null, failure: null });
      try {
        const data = await couponService.center(campaign);
        if (latestLoad.get(key) !== ticket) return;
        patchCenter(key, { status: 'ready', campaign: data.campaign, templates: data.templates, serverTime: data.serverTime });
      } catch (error) {
        const failure = toFailure(error, 'coupon.center');
        if (latestLoad.get(key) !== ticket) return;
        patchCenter(key, { status: 'error', error: failure.message, failure });
      }
    },
    async claim(templateId) {
      if (get().claiming[templateId]) return { kind: 'busy' };
      const requestId = get().unanswered[templateId] ?? couponService.newRequestId();
      setUnanswered(templateId, requestId);
      setClaiming(templateId, true);
      try {
        for (let attempt = 0; ; attempt += 1) {
          try {
            const result = await couponService.claim(templateId, requestId);
            setUnanswered(templateId, null);
            patchTemplate(templateId, () => result.template);
            return { kind: 'claimed', coupon: result.coupon, repeated: result.repeated };
          } catch (error) {
            const failure = toFailure(error, 'coupon.claim');
            if (failure.code === 'UNAVAILABLE' && attempt < CLAIM_RETRY_DELAYS_MS.length) {
              await sleep(CLAIM_RETRY_DELAYS_MS[attempt]);
              continue;
            }
            // Any answer other than "no answer" settles this tap: the next tap is a new claim.
            if (failure.code !== 'UNAVAILABLE') setUnanswered(templateId, null);
            const state = templateStateOfRefusal(failure.reason);
            if (!state) return { kind: 'failed', message: failure.message };
            patchTemplate(templateId, (template) => ({ ...template, state }));
            return { kind: 'refused', message: failure.message, state };
          }
        }
      } finally {
        setClaiming(templateId, false);
      }
    },
  };
});
