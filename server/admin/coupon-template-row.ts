import { describeTerms } from '../../core/coupon/labels';
import type { CouponTemplateDoc } from '../../core/coupon/coupon';
import { countTemplateCoupons } from '../coupon/repository';

/** A template as operators see it, with its live counts (one count query for the used coupons). */
export async function templateRow(template: CouponTemplateDoc) {
  const used = await countTemplateCoupons(template._id, 'used');
  return {
    id: template._id,
    name: template.name,
    campaign: template.campaign ?? null,
    listed: template.listed !== false,
    status: template.status,
    terms: describeTerms(template.terms).summary,
    totalStock: template.totalStock,
    stockLeft: template.stockLeft,
    claimed: template.totalStock - template.stockLeft,
    used,
    perMemberLimit: template.perMemberLimit,
    claimStartsAt: new Date(template.claimWindow.startsAt).toISOString(),
    claimEndsAt: new Date(template.claimWindow.endsAt).toISOString(),
    createdAt: new Date(template.createdAt).toISOString(),
  };
}
