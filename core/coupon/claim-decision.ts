import { DuetError, type ErrorCode } from '../errors';
import type { CouponTemplate } from './template';
import { endOfShanghaiDay } from './validity';

export type TemplateStatus = 'active' | 'paused' | 'ended';

export type ClaimRefusal = 'not_started' | 'ended' | 'sold_out' | 'limit_reached' | 'not_eligible' | 'paused';

export type ClaimDecision = { ok: true } | { ok: false; reason: ClaimRefusal };

/** What the member reads when a claim is refused. */
export const CLAIM_REFUSAL_MESSAGES: Record<ClaimRefusal, string> = {
  not_started: '领取尚未开始，敬请期待',
  ended: '领取已结束',
  sold_out: '优惠券已被领完',
  limit_reached: '你已达到领取上限',
  not_eligible: '你暂不符合领取条件',
  paused: '优惠券暂停领取，请稍后再试',
};

/** The closed error code a server handler returns for each refusal (no new codes needed). */
export const CLAIM_REFUSAL_CODES: Record<ClaimRefusal, ErrorCode> = {
  not_started: 'FAILED_PRECONDITION',
  ended: 'FAILED_PRECONDITION',
  sold_out: 'RESOURCE_EXHAUSTED',
  limit_reached: 'RESOURCE_EXHAUSTED',
  not_eligible: 'PERMISSION_DENIED',
  paused: 'FAILED_PRECONDITION',
};

export interface ClaimMember {
  joinedAt: Date;
  hasPaidOrder: boolean;
  firstTouch?: { campaign?: string; article?: string } | null;
}

export interface ClaimFacts {
  template: Pick<CouponTemplate, 'claimWindow' | 'validity' | 'eligibility' | 'perMemberLimit'>;
  /** `ended` is an operator ending the template early, before its claim window closes. */
  status: TemplateStatus;
  stockLeft: number;
  /** Coupons of this template the member ever claimed, used and expired ones included. */
  memberClaimed: number;
  member: ClaimMember;
  now: Date;
}

/**
 * Whether a member may claim one coupon of a template now. The decision only; taking the stock
 * and counting the member's claims atomically is the server's conditional write.
 *
 * Order of refusals: first what holds for everyone (stopped, not yet open, over), then what holds
 * for this member (eligibility, own limit), stock last. A member who could never claim is told why
 * rather than "sold out", which stock returned by a refund could undo.
 */
export function decideClaim(facts: ClaimFacts): ClaimDecision {
  const { template, now } = facts;
  const t = now.getTime();
  if (facts.status === 'ended') return refuse('ended');
  if (facts.status === 'paused') return refuse('paused');
  if (t < template.claimWindow.startsAt.getTime()) return refuse('not_started');
  if (t >= template.claimWindow.endsAt.getTime()) return refuse('ended');
  // A coupon whose fixed validity is already over would be dead on arrival.
  if (template.validity.type === 'fixed' && t > template.validity.endsAt.getTime()) return refuse('ended');
  if (!isEligible(template.eligibility, facts.member, now)) return refuse('not_eligible');
  if (facts.memberClaimed >= template.perMemberLimit) return refuse('limit_reached');
  if (!(facts.stockLeft >= 1)) return refuse('sold_out');
  return { ok: true };
}

/**
 * 新人券: a member who joined within N days (the join day is day 0, Asia/Shanghai, the same
 * counting as a coupon's validity) and has not paid for an order yet: a member who already bought
 * is not the newcomer the coupon is meant to win. Campaign and article coupons go to members whose
 * first touch came from them, so a later visit cannot earn an acquisition coupon.
 */
function isEligible(eligibility: CouponTemplate['eligibility'], member: ClaimMember, now: Date): boolean {
  if (eligibility === 'anyone') return true;
  if ('newMembersWithinDays' in eligibility) {
    const joinedAt = new Date(member.joinedAt);
    if (Number.isNaN(joinedAt.getTime()) || member.hasPaidOrder) return false;
    return now.getTime() <= endOfShanghaiDay(joinedAt, eligibility.newMembersWithinDays).getTime();
  }
  if ('campaign' in eligibility) return member.firstTouch?.campaign === eligibility.campaign;
  return member.firstTouch?.article === eligibility.article;
}

function refuse(reason: ClaimRefusal): ClaimDecision {
  return { ok: false, reason };
}

/** The error a refused claim answers: the closed code, the refusal's reason and Chinese message, English detail. */
export function claimRefusalError(reason: ClaimRefusal, templateId: string): DuetError {
  return new DuetError(CLAIM_REFUSAL_CODES[reason], `claim of template ${templateId} refused: ${reason}`, {
    reason,
    message: CLAIM_REFUSAL_MESSAGES[reason],
  });
}
