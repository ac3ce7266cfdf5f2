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

/** A claim's idempotency key (see request-id.ts). */
export { newRequestId } from './request-id';
