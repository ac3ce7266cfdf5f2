/** Coupon views for the store and component tests (never imported by the app). */
import type { CouponView, TemplateCard } from '../../core/contracts/coupon';

export const SERVER_TIME = '2026-12-03T04:00:00.000Z';

export function templateCard(overrides: Partial<TemplateCard> = {}): TemplateCard {
  return {
    templateId: 'tpl-99-20',
    name: '满99减20',
    terms: { kind: 'threshold_off', threshold: 9900, amountOff: 2000 },
    scope: { all: true, productCount: 0 },
    validity: { type: 'days_after_claim', days: 7 },
    claimStartsAt: '2026-12-01T00:00:00.000Z',
    claimEndsAt: '2026-12-31T16:00:00.000Z',
    totalStock: 1000,
    stockLeft: 800,
    perMemberLimit: 2,
    claimedByMe: 0,
    state: 'available',
    ...overrides,
  };
}

export function couponView(overrides: Partial<CouponView> = {}): CouponView {
  return {
    couponId: 'claim:tpl-99-20:m1:1',
    templateId: 'tpl-99-20',
    name: '满99减20',
    terms: { kind: 'threshold_off', threshold: 9900, amountOff: 2000 },
    scope: { all: true, productCount: 0 },
    validFrom: '2026-12-03T04:00:00.000Z',
    validUntil: '2026-12-10T15:59:59.999Z',
    state: 'usable',
    expiringSoon: false,
    source: 'claim',
    claimedAt: '2026-12-03T04:00:00.000Z',
    usedAt: null,
    ...overrides,
  };
}
