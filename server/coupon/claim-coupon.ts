import type { CouponView, TemplateCard } from '../../core/contracts/coupon';
import { type ClaimMember, claimRefusalError, decideClaim } from '../../core/coupon/claim-decision';
import { claimCouponId, type CouponDoc, type CouponTemplateDoc, newCouponDoc, nextClaimSlot } from '../../core/coupon/coupon';
import { claimMemberOf, toCouponView, toTemplateCard } from '../../core/coupon/views';
import { DuetError } from '../../core/errors';
import { eventId } from '../../core/funnel/events';
import type { MemberDoc } from '../../core/member/member';
import type { Caller } from '../handler';
import { recordFunnelEvent } from '../member/event-repository';
import { memberOfCaller } from '../member/resolve-member';
import { findMemberClaims, findTemplate, giveBackStock, insertCoupon, takeStock } from './repository';
import { cachedTemplate } from './template-cache';

export interface ClaimResult {
  coupon: CouponView;
  template: TemplateCard;
  repeated: boolean;
}

/**
 * `coupon.claim`. The database decides every rule:
 * - stock: one conditional decrement (`stockLeft > 0`, status active) — never below zero;
 * - the member's limit and the request's idempotency: the coupon's `_id` is the member's next claim
 *   slot of the template, so two inserts for one slot cannot both succeed; the loser counts the
 *   member's claims again and either answers the coupon its `requestId` already made, or refuses at
 *   the limit, or takes the next slot. A unit taken and not turned into a coupon is given back.
 *
 * The funnel's `coupon_claimed` (`coupon_claimed:<couponId>`) follows the insert, and a repeat of the
 * request writes it again if a crash lost it (its `_id` keeps it once).
 *
 * A warm instance, an existing member: 5 database requests (identity, member, stock, insert, event). A
 * crash between the stock take and the insert strands one unit, never issues one: the reconcile
 * job (reconcile-stock.ts) gives it back.
 */
export async function claimCoupon(caller: Caller, input: { templateId: string; requestId: string }, now: Date): Promise<ClaimResult> {
  const member = await memberOfCaller(caller, now);
  const template = await cachedTemplate(input.templateId);
  if (!template) throw new DuetError('NOT_FOUND', `coupon template ${input.templateId} does not exist`);
  const facts = claimMemberOf(member);
  const claim: Claim = { template, member, facts, requestId: input.requestId, now };

  // Windows and eligibility never change after creation, so the cached template decides them;
  // status and stock are left to the stock take, which reads them live.
  const early = decideClaim({ template, status: 'active', stockLeft: 1, memberClaimed: 0, member: facts, now });
  // A member who absorbed another may already hold claims under other slots: count before taking stock.
  let claims = member.hasAbsorbed ? await findMemberClaims(member._id, [template._id]) : null;
  if (!early.ok || (claims && claims.length >= template.perMemberLimit)) return refuseOrRepeat(claim);

  if (!(await takeStock(template._id, now))) return refuseOrRepeat(claim);
  let slot = claims ? nextClaimSlot(claims, template._id, member._id) : 1;
  // Each round either inserts, or sees a claim that another request inserted: bounded by the limit.
  for (let round = 0; round <= template.perMemberLimit + 2; round += 1) {
    const coupon = newCouponDoc(template, {
      id: claimCouponId(template._id, member._id, slot),
      memberId: member._id,
      source: 'claim',
      requestId: input.requestId,
      now,
      touch: member.lastTouch ?? member.firstTouch,
    });
    if (await insertCoupon(coupon)) {
      // The take just succeeded, so the template is active whatever the cached copy says.
      const active = { ...claim, template: { ...template, status: 'active' as const } };
      return answer(active, coupon, Math.max(slot, (claims?.length ?? 0) + 1), false);
    }
    claims = await findMemberClaims(member._id, [template._id]);
    const earlier = claims.find((held) => held.requestId === input.requestId);
    if (earlier) {
      await giveBackStock(template._id);
      return answer(claim, earlier, claims.length, true);
    }
    if (claims.length >= template.perMemberLimit) {
      await giveBackStock(template._id);
      throw claimRefusalError('limit_reached', template._id);
    }
    slot = nextClaimSlot(claims, template._id, member._id);
  }
  await giveBackStock(template._id);
  throw new DuetError('CONFLICT', `claim of ${template._id} by ${member._id} kept colliding; try again`);
}

interface Claim {
  template: CouponTemplateDoc;
  member: MemberDoc;
  facts: ClaimMember;
  requestId: string;
  now: Date;
}

/**
 * No stock was taken (or none may be): an earlier claim with this `requestId` answers again;
 * otherwise the live template and the member's claims say why not.
 */
async function refuseOrRepeat(claim: Claim): Promise<ClaimResult> {
  const [fresh, claims] = await Promise.all([findTemplate(claim.template._id), findMemberClaims(claim.member._id, [claim.template._id])]);
  const earlier = claims.find((held) => held.requestId === claim.requestId);
  if (earlier) return answer({ ...claim, template: fresh ?? claim.template }, earlier, claims.length, true);
  if (!fresh) throw new DuetError('NOT_FOUND', `coupon template ${claim.template._id} does not exist`);
  const decision = decideClaim({
    template: fresh,
    status: fresh.status,
    stockLeft: fresh.stockLeft,
    memberClaimed: claims.length,
    member: claim.facts,
    now: claim.now,
  });
  // Stock given back between the failed take and this read: the member may try again at once.
  if (decision.ok) throw new DuetError('CONFLICT', `template ${fresh._id} had stock again after a failed take; try again`);
  throw claimRefusalError(decision.reason, fresh._id);
}

async function answer(claim: Claim, coupon: CouponDoc, claimedByMe: number, repeated: boolean): Promise<ClaimResult> {
  const at = coupon.claimedAt;
  const event = {
    _id: eventId('coupon_claimed', coupon._id),
    kind: 'coupon_claimed' as const,
    at,
    couponId: coupon._id,
    templateId: coupon.templateId,
  };
  await recordFunnelEvent(event, { member: claim.member });
  return {
    coupon: toCouponView(coupon, claim.now),
    // Stock as last read (a few seconds old at most): the state that matters here is the member's own.
    template: toTemplateCard(claim.template, claimedByMe, claim.facts, claim.now),
    repeated,
  };
}
