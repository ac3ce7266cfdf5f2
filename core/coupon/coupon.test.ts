import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClaimRefusal } from './claim-decision';
import {
  type CouponDoc,
  claimCouponId,
  EXPIRING_SOON_MS,
  effectiveCouponState,
  grantCouponId,
  isExpiringSoon,
  newCouponDoc,
  nextClaimSlot,
  packCouponId,
  templateStateOf,
  toMemberCoupon,
} from './coupon';
import { templateDoc } from './test-support';

const t = (iso: string) => new Date(iso);
const DAY = 24 * 60 * 60 * 1000;

describe('coupon ids', () => {
  it('name the template, the member and the slot, batch or pack', () => {
    expect(claimCouponId('tpl-1', 'm1', 3)).toBe('claim:tpl-1:m1:3');
    expect(packCouponId('tpl-1', 'm1')).toBe('pack:tpl-1:m1');
    expect(grantCouponId('batch-7', 'm1')).toBe('grant:batch-7:m1');
  });

  it('never collide between sources, slots or members', () => {
    const ids = [
      claimCouponId('tpl-1', 'm1', 1),
      claimCouponId('tpl-1', 'm1', 2),
      claimCouponId('tpl-1', 'm2', 1),
      claimCouponId('tpl-2', 'm1', 1),
      packCouponId('tpl-1', 'm1'),
      packCouponId('tpl-1', 'm2'),
      grantCouponId('tpl-1', 'm1'),
      grantCouponId('batch-1', 'm1'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('nextClaimSlot', () => {
  const own = (slot: number) => ({ _id: claimCouponId('tpl-1', 'me', slot) });

  it('takes slot 1 first and the slot after the highest next', () => {
    expect(nextClaimSlot([], 'tpl-1', 'me')).toBe(1);
    expect(nextClaimSlot([own(1)], 'tpl-1', 'me')).toBe(2);
    expect(nextClaimSlot([own(1), own(2)], 'tpl-1', 'me')).toBe(3);
    // A gap (a slot lost to a race) is not refilled: slots only grow.
    expect(nextClaimSlot([own(3)], 'tpl-1', 'me')).toBe(4);
  });

  it('counts claims a merge brought under another member id, without reading their slots', () => {
    const absorbed = [{ _id: claimCouponId('tpl-1', 'other', 7) }, { _id: claimCouponId('tpl-1', 'other', 8) }];
    expect(nextClaimSlot(absorbed, 'tpl-1', 'me')).toBe(3);
    expect(nextClaimSlot([...absorbed, own(1)], 'tpl-1', 'me')).toBe(4);
    expect(nextClaimSlot([...absorbed, own(5)], 'tpl-1', 'me')).toBe(6);
    // A member id that starts like ours is someone else.
    expect(nextClaimSlot([{ _id: claimCouponId('tpl-1', 'me2', 9) }], 'tpl-1', 'me')).toBe(2);
    // Pack and grant coupons of the template count too (they are claims the member holds).
    expect(nextClaimSlot([{ _id: packCouponId('tpl-1', 'me') }, own(1)], 'tpl-1', 'me')).toBe(3);
  });

  it('never returns the slot of an own claim and always lands past the count of claims', () => {
    const memberId = fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/);
    fc.assert(
      fc.property(
        memberId,
        memberId,
        fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { maxLength: 20 }),
        fc.integer({ min: 0, max: 2 ** 32 }),
        (me, other, ownSlots, otherSlots, seed) => {
          fc.pre(me !== other);
          const mine = ownSlots.map((slot) => ({ _id: claimCouponId('tpl-1', me, slot) }));
          const theirs = otherSlots.map((slot, i) => ({ _id: claimCouponId('tpl-1', `${other}`, slot + i * 1000) }));
          // Order does not matter.
          const claims = [...mine, ...theirs].sort((a, b) => ((hash(a._id) ^ seed) >>> 0) - ((hash(b._id) ^ seed) >>> 0));
          const slot = nextClaimSlot(claims, 'tpl-1', me);
          expect(Number.isInteger(slot)).toBe(true);
          expect(ownSlots).not.toContain(slot);
          expect(slot).toBeGreaterThan(claims.length);
          for (const taken of ownSlots) expect(slot).toBeGreaterThan(taken);
          // Another member's slots are ignored for the maximum: only their count moves it.
          expect(slot).toBe(Math.max(0, ...ownSlots, claims.length) + 1);
        },
      ),
    );
  });
});

function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (Math.imul(h, 31) + char.charCodeAt(0)) | 0;
  return h;
}

describe('isExpiringSoon', () => {
  const validUntil = t('2026-12-10T15:59:59.999Z');

  it('is true in exactly the last 3 days, boundary included, and false once expired', () => {
    expect(EXPIRING_SOON_MS).toBe(3 * DAY);
    expect(isExpiringSoon(validUntil, new Date(validUntil.getTime() - 3 * DAY - 1))).toBe(false);
    expect(isExpiringSoon(validUntil, new Date(validUntil.getTime() - 3 * DAY))).toBe(true);
    expect(isExpiringSoon(validUntil, new Date(validUntil.getTime() - DAY))).toBe(true);
    expect(isExpiringSoon(validUntil, validUntil)).toBe(true);
    expect(isExpiringSoon(validUntil, new Date(validUntil.getTime() + 1))).toBe(false);
    expect(isExpiringSoon(validUntil, t('2026-12-03T02:00:00Z'))).toBe(false);
  });

  it('reads a stored validUntil given as an ISO string', () => {
    const stored = '2026-12-10T15:59:59.999Z' as unknown as Date;
    expect(isExpiringSoon(stored, t('2026-12-08T00:00:00Z'))).toBe(true);
    expect(isExpiringSoon(stored, t('2026-12-01T00:00:00Z'))).toBe(false);
  });
});

describe('effectiveCouponState', () => {
  const validUntil = t('2026-12-10T15:59:59.999Z');
  const before = t('2026-12-10T15:59:59.999Z');
  const after = t('2026-12-10T16:00:00.000Z');

  it('shows a usable coupon past its last millisecond as expired, before the sweep marks it', () => {
    expect(effectiveCouponState({ state: 'usable', validUntil }, before)).toBe('usable');
    expect(effectiveCouponState({ state: 'usable', validUntil }, after)).toBe('expired');
  });

  it('keeps every other state: a locked coupon is its order’s to decide', () => {
    for (const state of ['locked', 'used', 'expired'] as const) {
      expect(effectiveCouponState({ state, validUntil }, before)).toBe(state);
      expect(effectiveCouponState({ state, validUntil }, after)).toBe(state);
    }
  });
});

describe('templateStateOf', () => {
  it('maps an allowed claim to available and each refusal to its button', () => {
    expect(templateStateOf({ ok: true })).toBe('available');
    const expected: Record<ClaimRefusal, string> = {
      limit_reached: 'claimed',
      sold_out: 'sold_out',
      not_started: 'not_started',
      ended: 'ended',
      not_eligible: 'not_eligible',
      paused: 'paused',
    };
    for (const [reason, state] of Object.entries(expected)) {
      expect(templateStateOf({ ok: false, reason: reason as ClaimRefusal })).toBe(state);
    }
  });
});

describe('newCouponDoc', () => {
  const now = t('2026-12-03T02:00:00Z');

  it('makes a usable coupon with the template’s terms, valid N Shanghai days after the claim day', () => {
    const template = templateDoc();
    const coupon = newCouponDoc(template, { id: claimCouponId('tpl-1', 'm1', 1), memberId: 'm1', source: 'claim', now });
    expect(coupon).toEqual({
      _id: 'claim:tpl-1:m1:1',
      templateId: 'tpl-1',
      memberId: 'm1',
      source: 'claim',
      name: '春季满减券',
      terms: { kind: 'threshold_off', threshold: 9900, amountOff: 2000 },
      scope: 'all',
      campaign: 'cmp-spring',
      validFrom: now,
      validUntil: t('2026-12-10T23:59:59.999+08:00'),
      state: 'usable',
      orderId: null,
      claimedAt: now,
    } satisfies CouponDoc);
    expect(coupon).not.toHaveProperty('requestId');
    expect(coupon).not.toHaveProperty('batchId');
  });

  it('copies a fixed validity as it is, whenever the claim', () => {
    const validity = { type: 'fixed' as const, startsAt: t('2026-12-01T00:00:00+08:00'), endsAt: t('2026-12-31T23:59:59.999+08:00') };
    const coupon = newCouponDoc(templateDoc({ validity, scope: { productIds: ['p1'] }, campaign: null }), {
      id: 'x',
      memberId: 'm1',
      source: 'pack',
      now,
    });
    expect(coupon.validFrom).toEqual(validity.startsAt);
    expect(coupon.validUntil).toEqual(validity.endsAt);
    expect(coupon.scope).toEqual({ productIds: ['p1'] });
    expect(coupon.campaign).toBeNull();
  });

  it('keeps the requestId of a claim and the batchId of a grant, only when given', () => {
    const template = templateDoc();
    const claimed = newCouponDoc(template, { id: 'a', memberId: 'm1', source: 'claim', now, requestId: 'req-00000001' });
    expect(claimed.requestId).toBe('req-00000001');
    expect(claimed).not.toHaveProperty('batchId');
    const granted = newCouponDoc(template, { id: 'b', memberId: 'm1', source: 'grant', now, batchId: 'batch-1' });
    expect(granted.batchId).toBe('batch-1');
    expect(granted).not.toHaveProperty('requestId');
  });

  it('reads back as a checkout coupon', () => {
    const coupon = newCouponDoc(templateDoc(), { id: 'a', memberId: 'm1', source: 'claim', now });
    expect(toMemberCoupon(coupon)).toEqual({
      id: 'a',
      terms: coupon.terms,
      scope: 'all',
      validity: { startsAt: now, endsAt: t('2026-12-10T15:59:59.999Z') },
      state: 'usable',
    });
  });
});
