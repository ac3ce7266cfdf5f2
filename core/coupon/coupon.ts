import type { Touch } from '../member/attribution';
import type { MemberCoupon, MemberCouponState } from './apply-coupons';
import type { ClaimDecision, ClaimRefusal, TemplateStatus } from './claim-decision';
import type { CouponTemplate, CouponTerms, ProductScope } from './template';
import { couponValidity } from './validity';

/** A template as stored in `coupon_templates`: the operator's terms plus its live stock. */
export interface CouponTemplateDoc extends CouponTemplate {
  _id: string;
  /** The campaign whose coupon center lists it; null: listed on the storefront only. */
  campaign: string | null;
  /** False for templates only the new-member pack or grants hand out: no coupon center lists them. */
  listed: boolean;
  status: TemplateStatus;
  /** Units not issued yet. `totalStock - stockLeft` = units taken = coupons issued, once no claim is in flight. */
  stockLeft: number;
  /** Every stock take counts here: the reconcile job's compare-and-set version. */
  takes: number;
  /** The last stock take; the reconcile job waits until the template is quiet. */
  lastTakeAt: Date | null;
  /** False after a take, true once the reconcile job found issued = taken. */
  reconciled: boolean;
  createdAt: Date;
  updatedAt: Date;
  endedAt?: Date;
}

/** How a member came to hold a coupon: claimed in a coupon center, the new-member pack, an operator's grant. */
export type CouponSource = 'claim' | 'pack' | 'grant' | 'exchange' | 'help' | 'lottery';

/** A member's coupon as stored in `coupons`: the template's terms copied, so checkout reads one document. */
export interface CouponDoc {
  _id: string;
  templateId: string;
  memberId: string;
  source: CouponSource;
  /** The claim's idempotency key (source `claim`): the same key answers this coupon again. */
  requestId?: string;
  /** The grant's batch (source `grant`). */
  batchId?: string;
  name: string;
  terms: CouponTerms;
  scope: ProductScope;
  campaign: string | null;
  validFrom: Date;
  validUntil: Date;
  state: MemberCouponState;
  /** The order holding (locked) or having used the coupon. */
  orderId: string | null;
  claimedAt: Date;
  lockedAt?: Date;
  usedAt?: Date;
  expiredAt?: Date;
  /** Set when the `coupon.expiring` notice was written. */
  expiringNoticeAt?: Date;
  /** The member's last touch when the coupon was claimed: what the funnel credits the claim to. */
  touch?: Touch;
}

/**
 * `_id`s that make the database enforce "once" (DESIGN: data rules). A claim takes the member's
 * next slot of the template, so two claims racing for one slot cannot both insert; the pack and a
 * grant batch give a member one coupon of a template each.
 */
export function claimCouponId(templateId: string, memberId: string, slot: number): string {
  return `claim:${templateId}:${memberId}:${slot}`;
}

export function packCouponId(templateId: string, memberId: string): string {
  return `pack:${templateId}:${memberId}`;
}

export function grantCouponId(batchId: string, memberId: string): string {
  return `grant:${batchId}:${memberId}`;
}

/** A coupon is "expiring soon" in its last 3 days: the wallet marks it and the member gets one notice. */
export const EXPIRING_SOON_MS = 3 * 24 * 60 * 60 * 1000;

export function isExpiringSoon(validUntil: Date, now: Date): boolean {
  const left = new Date(validUntil).getTime() - now.getTime();
  return left >= 0 && left <= EXPIRING_SOON_MS;
}

/**
 * The state a member sees: a coupon past its validity is expired even before the expiry job
 * marks it; a locked one stays locked (its order decides).
 */
export function effectiveCouponState(coupon: Pick<CouponDoc, 'state' | 'validUntil'>, now: Date): MemberCouponState {
  if (coupon.state === 'usable' && new Date(coupon.validUntil).getTime() < now.getTime()) return 'expired';
  return coupon.state;
}

/** The checkout rules' view of a stored coupon. */
export function toMemberCoupon(coupon: CouponDoc): MemberCoupon {
  return {
    id: coupon._id,
    terms: coupon.terms,
    scope: coupon.scope,
    validity: { startsAt: new Date(coupon.validFrom), endsAt: new Date(coupon.validUntil) },
    state: coupon.state,
  };
}

/** A template's state for one member, as the coupon center's button shows it. */
export type TemplateState = 'available' | 'claimed' | 'sold_out' | 'not_started' | 'ended' | 'not_eligible' | 'paused';

const STATE_OF_REFUSAL: Record<ClaimRefusal, TemplateState> = {
  limit_reached: 'claimed',
  sold_out: 'sold_out',
  not_started: 'not_started',
  ended: 'ended',
  not_eligible: 'not_eligible',
  paused: 'paused',
};

export function templateStateOf(decision: ClaimDecision): TemplateState {
  return decision.ok ? 'available' : STATE_OF_REFUSAL[decision.reason];
}

/** The card state a refusal's `reason` (as the app receives it) stands for; undefined for a reason it does not know. */
export function templateStateOfRefusal(reason: string | undefined): TemplateState | undefined {
  // Own keys only: an unknown reason (or `constructor`) is a plain failure.
  return reason && Object.hasOwn(STATE_OF_REFUSAL, reason) ? STATE_OF_REFUSAL[reason as ClaimRefusal] : undefined;
}

/** A new usable coupon of `template` for a member, its validity counted from `now`. */
export function newCouponDoc(
  template: CouponTemplateDoc,
  issue: { id: string; memberId: string; source: CouponSource; now: Date; requestId?: string; batchId?: string; touch?: Touch },
): CouponDoc {
  const validity = couponValidity(template, issue.now);
  const doc: CouponDoc = {
    _id: issue.id,
    templateId: template._id,
    memberId: issue.memberId,
    source: issue.source,
    name: template.name,
    terms: template.terms,
    scope: template.scope,
    campaign: template.campaign,
    validFrom: validity.startsAt,
    validUntil: validity.endsAt,
    state: 'usable',
    orderId: null,
    claimedAt: issue.now,
  };
  if (issue.requestId) doc.requestId = issue.requestId;
  if (issue.batchId) doc.batchId = issue.batchId;
  if (issue.touch) doc.touch = issue.touch;
  return doc;
}

/**
 * The slot a member's next claim of a template takes: past every slot of theirs and past the count
 * of claims they hold (a merge brings claims with another member's slots). Two claims that compute
 * the same slot race for one `_id`: one inserts, the other counts again.
 */
export function nextClaimSlot(claims: ReadonlyArray<Pick<CouponDoc, '_id'>>, templateId: string, memberId: string): number {
  const prefix = `${claimCouponId(templateId, memberId, 0).slice(0, -1)}`;
  let highest = 0;
  for (const claim of claims) {
    if (!claim._id.startsWith(prefix)) continue;
    const slot = Number(claim._id.slice(prefix.length));
    if (Number.isInteger(slot) && slot > highest) highest = slot;
  }
  return Math.max(highest, claims.length) + 1;
}
