import type { CouponTemplateDoc } from './coupon';

/** A stored coupon template for the coupon rules' tests (never imported by product code). */
export function templateDoc(overrides: Partial<CouponTemplateDoc> = {}): CouponTemplateDoc {
  return {
    _id: 'tpl-1',
    name: '春季满减券',
    terms: { kind: 'threshold_off', threshold: 9900, amountOff: 2000 },
    validity: { type: 'days_after_claim', days: 7 },
    totalStock: 100,
    perMemberLimit: 2,
    claimWindow: { startsAt: new Date('2026-01-01T00:00:00+08:00'), endsAt: new Date('2030-01-01T00:00:00+08:00') },
    eligibility: 'anyone',
    scope: 'all',
    campaign: 'cmp-spring',
    listed: true,
    status: 'active',
    stockLeft: 50,
    takes: 50,
    lastTakeAt: null,
    reconciled: true,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
}
