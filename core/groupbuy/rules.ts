/**
 * A group-buy activity's rules and the times they imply. Pure: the server reads an activity from the
 * database and asks these functions what its numbers mean.
 */

export const MIN_GROUP_SIZE = 2;
export const MAX_GROUP_SIZE = 10;
export const MIN_FILL_HOURS = 1;
export const MAX_FILL_HOURS = 72;
/** How long a seat is held for its member to pay, unless the activity says otherwise. */
export const DEFAULT_HOLD_MINUTES = 10;
export const MAX_HOLD_MINUTES = 30;
export const MAX_MEMBER_LIMIT = 99;
export const MAX_ACTIVITY_STOCK = 1_000_000;
export const MAX_ACTIVITY_SKUS = 20;

/**
 * What happens to a payment that arrives after its seat was lost (the hold ran out, or the group
 * ended meanwhile): `place` puts the payer into another open group of the activity when one has a
 * seat, and refunds otherwise; `refund` always refunds.
 */
export const LATE_PAYMENT_POLICIES = ['place', 'refund'] as const;
export type LatePaymentPolicy = (typeof LATE_PAYMENT_POLICIES)[number];

export interface ActivityRules {
  size: number;
  fillHours: number;
  holdMinutes: number;
  startAt: Date;
  endAt: Date;
  perMemberLimit: number;
  leaderNewMembersOnly: boolean;
  /** 模拟成团: at the deadline a group with at least this many paid members succeeds anyway; null: off. */
  simulateMinPaid: number | null;
  latePayment: LatePaymentPolicy;
  couponsAllowed: boolean;
}

/** A group must fill by this time: `fillHours` after it was opened, and never after the activity ends. */
export function groupDeadline(openedAt: Date, fillHours: number, activityEndAt: Date): Date {
  return new Date(Math.min(openedAt.getTime() + fillHours * 3600_000, activityEndAt.getTime()));
}

/** A seat is held this long for payment, and never past the group's deadline. */
export function holdDeadline(now: Date, holdMinutes: number, deadline: Date): Date {
  return new Date(Math.min(now.getTime() + holdMinutes * 60_000, deadline.getTime()));
}

export type ActivityPhase = 'upcoming' | 'running' | 'ended';

export function activityPhase(rules: Pick<ActivityRules, 'startAt' | 'endAt'>, now: Date): ActivityPhase {
  if (now.getTime() < rules.startAt.getTime()) return 'upcoming';
  if (now.getTime() >= rules.endAt.getTime()) return 'ended';
  return 'running';
}

/** What the member saves against the original price, in fen (never negative). */
export function savingOf(originalPrice: number, groupPrice: number): number {
  return Math.max(0, originalPrice - groupPrice);
}
