/** A valid coupon template as an operator sends it to couponAdmin.createCouponTemplate; override any field. */
export function templateInput(overrides: Record<string, unknown> = {}) {
  return {
    name: '测试满减券',
    terms: { kind: 'threshold_off', threshold: 9900, amountOff: 2000 },
    validity: { type: 'days_after_claim', days: 7 },
    totalStock: 100,
    perMemberLimit: 1,
    claimWindow: { startsAt: '2026-01-01T00:00:00+08:00', endsAt: '2030-01-01T00:00:00+08:00' },
    eligibility: 'anyone',
    scope: 'all',
    ...overrides,
  };
}
