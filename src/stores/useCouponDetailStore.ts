import { create } from 'zustand';
import type { CouponView } from '../../core/contracts/coupon';
import * as couponService from '../services/coupon';
import { type Failure, toFailure } from '../services/errors';
import type { LoadStatus } from './useMemberStore';

export interface CouponDetailState {
  /** The coupon asked for last; the page shows `coupon` only when it is that one. */
  couponId: string | null;
  status: LoadStatus;
  coupon: CouponView | null;
  campaign: { id: string; name: string } | null;
  perMemberLimit: number | null;
  /** The server's clock when the coupon was read: dates are shown relative to it, not the phone's. */
  serverTime: string | null;
  error: string | null;
  failure: Failure | null;
  load(couponId: string): Promise<void>;
}

let latestLoad = 0;

export const useCouponDetailStore = create<CouponDetailState>((set, get) => ({
  couponId: null,
  status: 'idle',
  coupon: null,
  campaign: null,
  perMemberLimit: null,
  serverTime: null,
  error: null,
  failure: null,
  async load(couponId) {
    const ticket = ++latestLoad;
    const same = get().couponId === couponId && get().status === 'ready';
    // Another coupon's details must never show, even for a moment, under this one's title.
    set(
      same
        ? { error: null, failure: null }
        : { couponId, status: 'loading', coupon: null, campaign: null, perMemberLimit: null, error: null, failure: null },
    );
    try {
      const data = await couponService.detail(couponId);
      if (ticket !== latestLoad) return;
      set({
        status: 'ready',
        coupon: data.coupon,
        campaign: data.campaign,
        perMemberLimit: data.perMemberLimit,
        serverTime: data.serverTime,
      });
    } catch (error) {
      const failure = toFailure(error, 'coupon.detail');
      if (ticket !== latestLoad) return;
      set({ status: 'error', error: failure.message, failure });
    }
  },
}));
