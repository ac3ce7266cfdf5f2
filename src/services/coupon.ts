import { callCloud } from './cloud';

/** A campaign's coupon center; without a campaign, the storefront's coupons claimable now. */
export function center(campaign?: string) {
  return callCloud('coupon', 'center', campaign ? { campaign } : {});
}

/** One claim; `requestId` makes a retried call answer the first result instead of issuing twice. */
export function claim(templateId: string, requestId: string) {
  return callCloud('coupon', 'claim', { templateId, requestId });
}

export function wallet() {
  return callCloud('coupon', 'wallet', {});
}

export function detail(couponId: string) {
  return callCloud('coupon', 'detail', { couponId });
}

/**
 * A claim's idempotency key: 20+ chars of [a-z0-9]. Math.random is enough (no crypto in the
 * mini-program's main package): it only has to differ between one member's taps, and the time
 * prefix already separates taps a millisecond apart.
 */
export function newRequestId(): string {
  let id = Date.now().toString(36);
  while (id.length < 24) id += Math.random().toString(36).slice(2);
  return id.slice(0, 24);
}
