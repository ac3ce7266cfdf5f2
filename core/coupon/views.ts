import type { CouponView, TemplateCard, TermsView } from '../contracts/coupon';
import type { MemberDoc } from '../member/member';
import { type ClaimMember, decideClaim } from './claim-decision';
import { type CouponDoc, type CouponTemplateDoc, effectiveCouponState, isExpiringSoon, templateStateOf } from './coupon';
import type { CouponTerms, ProductScope } from './template';

/** What the claim rules need to know of a member. */
export function claimMemberOf(member: Pick<MemberDoc, 'createdAt' | 'firstPaidAt' | 'firstTouch'>): ClaimMember {
  return {
    joinedAt: new Date(member.createdAt),
    hasPaidOrder: Boolean(member.firstPaidAt),
    firstTouch: member.firstTouch ? { campaign: member.firstTouch.campaign, article: member.firstTouch.article } : null,
  };
}

function termsView(terms: CouponTerms): TermsView {
  return { ...terms };
}

function scopeView(scope: ProductScope) {
  return scope === 'all' ? { all: true, productCount: 0 } : { all: false, productCount: scope.productIds.length };
}

const iso = (at: Date) => new Date(at).toISOString();

/** A template as a member's coupon center shows it, in its state for that member now. */
export function toTemplateCard(template: CouponTemplateDoc, claimedByMe: number, member: ClaimMember, now: Date): TemplateCard {
  const decision = decideClaim({
    template,
    status: template.status,
    stockLeft: template.stockLeft,
    memberClaimed: claimedByMe,
    member,
    now,
  });
  const validity =
    template.validity.type === 'fixed'
      ? { type: 'fixed' as const, startsAt: iso(template.validity.startsAt), endsAt: iso(template.validity.endsAt) }
      : { type: 'days_after_claim' as const, days: template.validity.days };
  return {
    templateId: template._id,
    name: template.name,
    terms: termsView(template.terms),
    scope: scopeView(template.scope),
    validity,
    claimStartsAt: iso(template.claimWindow.startsAt),
    claimEndsAt: iso(template.claimWindow.endsAt),
    totalStock: template.totalStock,
    stockLeft: Math.max(0, template.stockLeft),
    perMemberLimit: template.perMemberLimit,
    claimedByMe,
    state: templateStateOf(decision),
  };
}

export function toCouponView(coupon: CouponDoc, now: Date): CouponView {
  const state = effectiveCouponState(coupon, now);
  return {
    couponId: coupon._id,
    templateId: coupon.templateId,
    name: coupon.name,
    terms: termsView(coupon.terms),
    scope: scopeView(coupon.scope),
    validFrom: iso(coupon.validFrom),
    validUntil: iso(coupon.validUntil),
    state,
    expiringSoon: state === 'usable' && isExpiringSoon(coupon.validUntil, now),
    source: coupon.source,
    claimedAt: iso(coupon.claimedAt),
    usedAt: coupon.usedAt ? iso(coupon.usedAt) : null,
  };
}
