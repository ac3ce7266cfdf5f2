import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLAIM_REFUSAL_CODES, CLAIM_REFUSAL_MESSAGES, type ClaimFacts, type ClaimRefusal, decideClaim } from './claim-decision';
import { isErrorCode } from '../errors';

const t = (iso: string) => new Date(iso);

function facts(overrides: Partial<ClaimFacts> = {}): ClaimFacts {
  return {
    template: {
      claimWindow: { startsAt: t('2030-01-01T00:00:00+08:00'), endsAt: t('2030-02-01T00:00:00+08:00') },
      validity: { type: 'days_after_claim', days: 7 },
      eligibility: 'anyone',
      perMemberLimit: 2,
    },
    status: 'active',
    stockLeft: 10,
    memberClaimed: 0,
    member: { joinedAt: t('2029-06-01T00:00:00Z'), hasPaidOrder: true },
    now: t('2030-01-15T12:00:00+08:00'),
    ...overrides,
  };
}

const reasonOf = (f: ClaimFacts) => {
  const decision = decideClaim(f);
  return decision.ok ? 'ok' : decision.reason;
};

describe('decideClaim', () => {
  it('lets a member claim while the template is open, in stock and under the limit', () => {
    expect(decideClaim(facts())).toEqual({ ok: true });
    expect(reasonOf(facts({ memberClaimed: 1, stockLeft: 1 }))).toBe('ok');
  });

  it('opens at the window start (inclusive) and closes at its end (exclusive)', () => {
    expect(reasonOf(facts({ now: t('2029-12-31T15:59:59.999Z') }))).toBe('not_started');
    expect(reasonOf(facts({ now: t('2029-12-31T16:00:00Z') }))).toBe('ok');
    expect(reasonOf(facts({ now: t('2030-01-31T15:59:59.999Z') }))).toBe('ok');
    expect(reasonOf(facts({ now: t('2030-01-31T16:00:00Z') }))).toBe('ended');
  });

  it('refuses a paused or early-ended template, whatever else holds', () => {
    expect(reasonOf(facts({ status: 'paused' }))).toBe('paused');
    expect(reasonOf(facts({ status: 'paused', now: t('2029-01-01T00:00:00Z') }))).toBe('paused');
    expect(reasonOf(facts({ status: 'ended' }))).toBe('ended');
    expect(reasonOf(facts({ status: 'ended', stockLeft: 0 }))).toBe('ended');
  });

  it('refuses once a fixed validity is over, even inside the claim window', () => {
    const template = {
      ...facts().template,
      validity: { type: 'fixed' as const, startsAt: t('2030-01-01T00:00:00Z'), endsAt: t('2030-01-10T00:00:00Z') },
    };
    expect(reasonOf(facts({ template }))).toBe('ended');
  });

  it('counts every claim, used or not, against the per-member limit', () => {
    expect(reasonOf(facts({ memberClaimed: 2 }))).toBe('limit_reached');
    expect(reasonOf(facts({ memberClaimed: 3 }))).toBe('limit_reached');
  });

  it('is sold out with no stock left, and tells an ineligible or capped member that instead', () => {
    expect(reasonOf(facts({ stockLeft: 0 }))).toBe('sold_out');
    expect(reasonOf(facts({ stockLeft: Number.NaN }))).toBe('sold_out');
    expect(reasonOf(facts({ stockLeft: 0, memberClaimed: 2 }))).toBe('limit_reached');
    const template = { ...facts().template, eligibility: { campaign: 'spring' } };
    expect(reasonOf(facts({ template, stockLeft: 0, memberClaimed: 2 }))).toBe('not_eligible');
  });

  it('gives 新人券 to members who joined within N Shanghai days and have not paid an order', () => {
    const template = { ...facts().template, eligibility: { newMembersWithinDays: 7 } };
    // Joined 00:30 on Jan 1 in Shanghai (Dec 31 in UTC): eligible through the end of Jan 8.
    const member = { joinedAt: t('2029-12-31T16:30:00Z'), hasPaidOrder: false };
    expect(reasonOf(facts({ template, member, now: t('2030-01-08T23:59:59.999+08:00') }))).toBe('ok');
    expect(reasonOf(facts({ template, member, now: t('2030-01-09T00:00:00+08:00') }))).toBe('not_eligible');
    expect(reasonOf(facts({ template, member: { ...member, hasPaidOrder: true }, now: t('2030-01-02T00:00:00+08:00') }))).toBe(
      'not_eligible',
    );
    expect(reasonOf(facts({ template, member: { joinedAt: new Date('nope'), hasPaidOrder: false } }))).toBe('not_eligible');
    const today = { ...facts().template, eligibility: { newMembersWithinDays: 0 } };
    expect(reasonOf(facts({ template: today, member, now: t('2030-01-01T23:59:59.999+08:00') }))).toBe('ok');
    expect(reasonOf(facts({ template: today, member, now: t('2030-01-02T00:00:00+08:00') }))).toBe('not_eligible');
  });

  it('gives campaign and article coupons to members whose first touch came from them', () => {
    const byCampaign = { ...facts().template, eligibility: { campaign: 'spring' } };
    const byArticle = { ...facts().template, eligibility: { article: 'a1' } };
    const member = (firstTouch?: { campaign?: string; article?: string }) => ({
      joinedAt: t('2030-01-01T00:00:00Z'),
      hasPaidOrder: false,
      firstTouch,
    });
    expect(reasonOf(facts({ template: byCampaign, member: member({ campaign: 'spring', article: 'a1' }) }))).toBe('ok');
    expect(reasonOf(facts({ template: byCampaign, member: member({ campaign: 'autumn' }) }))).toBe('not_eligible');
    expect(reasonOf(facts({ template: byCampaign, member: member() }))).toBe('not_eligible');
    expect(reasonOf(facts({ template: byArticle, member: member({ article: 'a1' }) }))).toBe('ok');
    expect(reasonOf(facts({ template: byArticle, member: member({ campaign: 'a1' }) }))).toBe('not_eligible');
  });

  it('has a Chinese message and an existing error code for every refusal', () => {
    const reasons: ClaimRefusal[] = ['not_started', 'ended', 'sold_out', 'limit_reached', 'not_eligible', 'paused'];
    expect(Object.keys(CLAIM_REFUSAL_MESSAGES).sort()).toEqual([...reasons].sort());
    for (const reason of reasons) {
      expect(CLAIM_REFUSAL_MESSAGES[reason]).toMatch(/[\u4e00-\u9fa5]/);
      expect(isErrorCode(CLAIM_REFUSAL_CODES[reason])).toBe(true);
    }
  });

  it('accepts exactly when open, eligible, under the limit and in stock', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('active', 'paused', 'ended' as const),
        fc.integer({ min: -5, max: 5 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: Date.parse('2029-12-01T00:00:00Z'), max: Date.parse('2030-03-01T00:00:00Z') }),
        (status, stockLeft, memberClaimed, perMemberLimit, now) => {
          const f = facts({ status: status as ClaimFacts['status'], stockLeft, memberClaimed, now: new Date(now) });
          f.template = { ...f.template, perMemberLimit };
          const open = now >= f.template.claimWindow.startsAt.getTime() && now < f.template.claimWindow.endsAt.getTime();
          expect(decideClaim(f).ok).toBe(status === 'active' && open && memberClaimed < perMemberLimit && stockLeft >= 1);
        },
      ),
    );
  });
});
