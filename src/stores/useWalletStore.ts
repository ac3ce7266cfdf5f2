import { create } from 'zustand';
import type { CouponView } from '../../core/contracts/coupon';
import * as couponService from '../services/coupon';
import { type Failure, toFailure } from '../services/errors';
import type { LoadStatus } from './useMemberStore';

export type WalletTab = 'usable' | 'used' | 'expired';

export interface WalletState {
  status: LoadStatus;
  /** Usable and locked, soonest expiry first, as the server sorted them. */
  usable: CouponView[];
  used: CouponView[];
  expired: CouponView[];
  /** The server's clock when the wallet was read: dates are shown relative to it, not the phone's. */
  serverTime: string | null;
  error: string | null;
  failure: Failure | null;
  load(): Promise<void>;
}

let latestLoad = 0;

export const useWalletStore = create<WalletState>((set, get) => ({
  status: 'idle',
  usable: [],
  used: [],
  expired: [],
  serverTime: null,
  error: null,
  failure: null,
  async load() {
    const ticket = ++latestLoad;
    // Coming back to the wallet refreshes it behind the coupons already shown, without a skeleton.
    set(get().status === 'ready' ? { error: null, failure: null } : { status: 'loading', error: null, failure: null });
    try {
      const data = await couponService.wallet();
      if (ticket !== latestLoad) return;
      set({ status: 'ready', usable: data.usable, used: data.used, expired: data.expired, serverTime: data.serverTime });
    } catch (error) {
      const failure = toFailure(error, 'coupon.wallet');
      if (ticket !== latestLoad) return;
      set({ status: 'error', error: failure.message, failure });
    }
  },
}));
