import { WALLET_TAB_LIMIT } from '../../core/contracts/coupon';
import { toCouponView } from '../../core/coupon/views';
import type { Caller } from '../handler';
import { memberOfCaller } from '../member/resolve-member';
import { listWalletCoupons } from './repository';

/** `coupon.wallet`: the caller's coupons in three tabs, as of the server clock. */
export async function showWallet(caller: Caller, now: Date) {
  const member = await memberOfCaller(caller, now);
  const tabs = await listWalletCoupons(member._id, now, WALLET_TAB_LIMIT);
  return {
    usable: tabs.usable.map((coupon) => toCouponView(coupon, now)),
    used: tabs.used.map((coupon) => toCouponView(coupon, now)),
    expired: tabs.expired.map((coupon) => toCouponView(coupon, now)),
    serverTime: now.toISOString(),
  };
}
