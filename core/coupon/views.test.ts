import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CouponView, TemplateCard } from '../contracts/coupon';
import type { ClaimMember } from './claim-decision';
import type { CouponDoc } from './coupon';
import { claimMemberOf, toCouponView, toTemplateCard } from './views';
import { templateDoc } from './test-support';

const t = (iso: string) => new Date(iso);
const DAY = 24 * 60 * 60 * 1000;
const NOW = t('2026-12-03T02:00:00Z');

const member: ClaimMember = { joinedAt: t('2026-06-01T00:00:00Z'), hasPaidOrder: true, firstTouch: null };

describe('toTemplateCard', () => {
  it('shows an open template with stock as available, with its terms and times as ISO strings', () => {
    const card = toTemplateCard(templateDoc(), 0, member, NOW);
    expect(card).toEqual({
      templateId: 'tpl-1',
      name: '春季满减券',
      terms: { kind: 'threshold_off', threshold: 9900, amountOff: 2000 },
      scope: { all: true, productCount: 0 },
      validity: { type: 'days_after_claim', days: 7 },
      claimStartsAt: '2025-12-31T16:00:00.000Z',
      claimEndsAt: '2029-12-31T16:00:00.000Z',
      totalStock: 100,
      stockLeft: 50,
      perMemberLimit: 2,
      claimedByMe: 0,
      state: 'available',
    });
    expect(TemplateCard.parse(card)).toEqual(card);
  });

  it('stays available below the limit and shows 已领取 at it, even when sold out', () => {
    expect(toTemplateCard(templateDoc(), 1, member, NOW).state).toBe('available');
    expect(toTemplateCard(templateDoc(), 2, member, NOW).state).toBe('claimed');
    expect(toTemplateCard(templateDoc({ stockLeft: 0 }), 2, member, NOW).state).toBe('claimed');
  });

  it('takes its state from the claim rules: sold out, not started, ended, paused, not eligible', () => {
    expect(toTemplateCard(templateDoc({ stockLeft: 0 }), 0, member, NOW).state).toBe('sold_out');
    expect(toTemplateCard(templateDoc({ status: 'paused' }), 0, member, NOW).state).toBe('paused');
    expect(toTemplateCard(templateDoc({ status: 'ended' }), 0, member, NOW).state).toBe('ended');
    const later = { startsAt: t('2026-12-03T02:00:00.001Z'), endsAt: t('2027-01-01T00:00:00Z') };
    expect(toTemplateCard(templateDoc({ claimWindow: later }), 0, member, NOW).state).toBe('not_started');
    const over = { startsAt: t('2026-01-01T00:00:00Z'), endsAt: NOW };
    expect(toTemplateCard(templateDoc({ claimWindow: over }), 0, member, NOW).state).toBe('ended');
    const newcomers = templateDoc({ eligibility: { newMembersWithinDays: 7 } });
    expect(toTemplateCard(newcomers, 0, member, NOW).state).toBe('not_eligible');
    const newcomer = { joinedAt: t('2026-12-01T00:00:00Z'), hasPaidOrder: false };
    expect(toTemplateCard(newcomers, 0, newcomer, NOW).state).toBe('available');
    const campaign = templateDoc({ eligibility: { campaign: 'cmp-spring' } });
    expect(toTemplateCard(campaign, 0, member, NOW).state).toBe('not_eligible');
    expect(toTemplateCard(campaign, 0, { ...member, firstTouch: { campaign: 'cmp-spring' } }, NOW).state).toBe('available');
  });

  it('never shows negative stock, and a negative stock reads as sold out', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 3 }), (stockLeft, claimedByMe) => {
        const card = toTemplateCard(templateDoc({ stockLeft }), claimedByMe, member, NOW);
        expect(card.stockLeft).toBe(Math.max(0, stockLeft));
        if (claimedByMe >= 2) expect(card.state).toBe('claimed');
        else expect(card.state).toBe(stockLeft >= 1 ? 'available' : 'sold_out');
      }),
    );
  });

  it('shows a fixed validity and a product scope as the contract says', () => {
    const template = templateDoc({
      validity: { type: 'fixed', startsAt: t('2026-12-01T00:00:00+08:00'), endsAt: t('2026-12-31T23:59:59.999+08:00') },
      scope: { productIds: ['p1', 'p2', 'p3'] },
      terms: { kind: 'percent_off', percentOff: 15, cap: 3000 },
    });
    const card = toTemplateCard(template, 0, member, NOW);
    expect(card.validity).toEqual({ type: 'fixed', startsAt: '2026-11-30T16:00:00.000Z', endsAt: '2026-12-31T15:59:59.999Z' });
    expect(card.scope).toEqual({ all: false, productCount: 3 });
    expect(card.terms).toEqual({ kind: 'percent_off', percentOff: 15, cap: 3000 });
    expect(TemplateCard.parse(card)).toEqual(card);
  });
});

function couponDoc(overrides: Partial<CouponDoc> = {}): CouponDoc {
  return {
    _id: 'claim:tpl-1:m1:1',
    templateId: 'tpl-1',
    memberId: 'm1',
    source: 'claim',
    requestId: 'req-00000001',
    name: '春季满减券',
    terms: { kind: 'threshold_off', threshold: 9900, amountOff: 2000 },
    scope: 'all',
    campaign: 'cmp-spring',
    validFrom: t('2026-12-01T02:00:00Z'),
    validUntil: t('2026-12-08T15:59:59.999Z'),
    state: 'usable',
    orderId: null,
    claimedAt: t('2026-12-01T02:00:00Z'),
    ...overrides,
  };
}

describe('toCouponView', () => {
  it('shows a usable coupon as the contract says', () => {
    const view = toCouponView(couponDoc(), NOW);
    expect(view).toEqual({
      couponId: 'claim:tpl-1:m1:1',
      templateId: 'tpl-1',
      name: '春季满减券',
      terms: { kind: 'threshold_off', threshold: 9900, amountOff: 2000 },
      scope: { all: true, productCount: 0 },
      validFrom: '2026-12-01T02:00:00.000Z',
      validUntil: '2026-12-08T15:59:59.999Z',
      state: 'usable',
      expiringSoon: false,
      source: 'claim',
      claimedAt: '2026-12-01T02:00:00.000Z',
      usedAt: null,
    });
    expect(CouponView.parse(view)).toEqual(view);
  });

  it('marks a usable coupon expiring soon in its last 3 days only', () => {
    const validUntil = t('2026-12-08T15:59:59.999Z');
    expect(toCouponView(couponDoc({ validUntil }), new Date(validUntil.getTime() - 3 * DAY - 1)).expiringSoon).toBe(false);
    expect(toCouponView(couponDoc({ validUntil }), new Date(validUntil.getTime() - 3 * DAY)).expiringSoon).toBe(true);
    expect(toCouponView(couponDoc({ validUntil }), validUntil)).toMatchObject({ state: 'usable', expiringSoon: true });
  });

  it('never marks a locked, used or expired coupon as expiring soon', () => {
    const soon = new Date(t('2026-12-08T15:59:59.999Z').getTime() - DAY);
    expect(toCouponView(couponDoc({ state: 'locked', orderId: 'o1' }), soon)).toMatchObject({ state: 'locked', expiringSoon: false });
    const used = toCouponView(couponDoc({ state: 'used', orderId: 'o1', usedAt: t('2026-12-05T01:00:00Z') }), soon);
    expect(used).toMatchObject({ state: 'used', expiringSoon: false, usedAt: '2026-12-05T01:00:00.000Z' });
    expect(toCouponView(couponDoc({ state: 'expired' }), soon)).toMatchObject({ state: 'expired', expiringSoon: false });
  });

  it('shows a usable coupon past its validity as expired, before the sweep marks it', () => {
    const view = toCouponView(couponDoc(), t('2026-12-08T16:00:00Z'));
    expect(view).toMatchObject({ state: 'expired', expiringSoon: false });
    expect(CouponView.parse(view)).toEqual(view);
  });

  it('marks expiring soon exactly when usable and within 3 days of the end', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('usable', 'locked', 'used', 'expired' as const),
        fc.integer({ min: -5 * DAY, max: 10 * DAY }),
        (state, offset) => {
          const validUntil = t('2026-12-08T15:59:59.999Z');
          const now = new Date(validUntil.getTime() - offset);
          const view = toCouponView(couponDoc({ state: state as CouponDoc['state'] }), now);
          expect(view.expiringSoon).toBe(state === 'usable' && offset >= 0 && offset <= 3 * DAY);
          expect(view.state).toBe(state === 'usable' && offset < 0 ? 'expired' : state);
        },
      ),
    );
  });

  it('counts the products of a listed scope', () => {
    expect(toCouponView(couponDoc({ scope: { productIds: ['p1', 'p2'] } }), NOW).scope).toEqual({ all: false, productCount: 2 });
  });
});

describe('claimMemberOf', () => {
  it('takes the join time, whether the member paid, and where they first came from', () => {
    const joined = t('2026-11-30T12:00:00Z');
    expect(
      claimMemberOf({
        createdAt: joined,
        firstPaidAt: t('2026-12-01T00:00:00Z'),
        firstTouch: { scene: 'spring-a1', campaign: 'cmp-spring', article: 'art-spring', channel: 'article', sharer: 'm9', at: joined },
      }),
    ).toStrictEqual({ joinedAt: joined, hasPaidOrder: true, firstTouch: { campaign: 'cmp-spring', article: 'art-spring' } });
  });

  it('is a member without a paid order or a first touch', () => {
    const member = claimMemberOf({ createdAt: '2026-11-30T12:00:00Z' as unknown as Date });
    expect(member).toStrictEqual({ joinedAt: t('2026-11-30T12:00:00Z'), hasPaidOrder: false, firstTouch: null });
    expect(member.joinedAt).toBeInstanceOf(Date);
  });

  it('keeps a touch from a poster, which names a campaign and no article', () => {
    const at = t('2026-11-30T12:00:00Z');
    const member = claimMemberOf({ createdAt: at, firstTouch: { campaign: 'cmp-spring', channel: 'poster', at } });
    expect(member.firstTouch?.campaign).toBe('cmp-spring');
    expect(member.firstTouch?.article).toBeUndefined();
  });
});
