import { toCouponView } from '../../core/coupon/views';
import { DuetError } from '../../core/errors';
import { findCampaign } from '../content/repository';
import { campaignRef } from './campaign-ref';
import type { Caller } from '../handler';
import { memberOfCaller } from '../member/resolve-member';
import { findCoupon } from './repository';
import { cachedTemplate } from './template-cache';

/** `coupon.detail`: one of the caller's own coupons with its rules; anyone else's is "not found". */
export async function showCoupon(caller: Caller, input: { couponId: string }, now: Date) {
  const [member, coupon] = await Promise.all([memberOfCaller(caller, now), findCoupon(input.couponId)]);
  if (!coupon || coupon.memberId !== member._id) throw new DuetError('NOT_FOUND', `coupon ${input.couponId} is not the caller's`);
  const [template, campaign] = await Promise.all([
    cachedTemplate(coupon.templateId),
    coupon.campaign ? findCampaign(coupon.campaign) : Promise.resolve(null),
  ]);
  return {
    coupon: toCouponView(coupon, now),
    campaign: campaignRef(campaign),
    perMemberLimit: template?.perMemberLimit ?? 1,
    serverTime: now.toISOString(),
  };
}
