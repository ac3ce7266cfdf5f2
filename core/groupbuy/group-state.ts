/**
 * A group's states and the decisions that move it. Every move is a conditional update on the state
 * (and counts) this file says it comes from, so a success and a failure can never both happen: both
 * leave `open`, and only one conditional update can win.
 *
 * pending (the leader holds the first seat, unpaid; nobody may join) → open (the leader paid) →
 * succeeded (paid seats reached the size, or 模拟成团 at the deadline) | failed (the deadline came
 * first); pending → abandoned (the leader's hold ran out).
 */
export const GROUP_STATES = ['pending', 'open', 'succeeded', 'failed', 'abandoned'] as const;
export type GroupState = (typeof GROUP_STATES)[number];

/** States in which a seat may still be held or paid. */
export const LIVE_GROUP_STATES: readonly GroupState[] = ['pending', 'open'];

export interface GroupCounts {
  state: GroupState;
  size: number;
  /** Seats held or paid. */
  taken: number;
  /** Seats paid. */
  paid: number;
  deadline: Date;
}

/**
 * Whether a group is full of paid members. `>=`, never `==`: a group that somehow holds more paid
 * seats than its size (it cannot here, but the systems before us let it) must still succeed.
 */
export function isFilled(group: Pick<GroupCounts, 'size' | 'paid'>): boolean {
  return group.paid >= group.size;
}

export type ExpiryDecision = 'wait' | 'succeed' | 'simulate' | 'fail';

/**
 * What the deadline job does with a group: nothing before its deadline (unless it is filled and
 * only its success was missed); at the deadline a filled group succeeds, one with at least the
 * 模拟成团 number of paid members succeeds as simulated, and any other fails.
 */
export function decideExpiry(group: GroupCounts, simulateMinPaid: number | null, now: Date): ExpiryDecision {
  if (group.state !== 'open') return 'wait';
  if (isFilled(group)) return 'succeed';
  if (now.getTime() < group.deadline.getTime()) return 'wait';
  if (simulateMinPaid !== null && group.paid >= simulateMinPaid && group.paid > 0) return 'simulate';
  return 'fail';
}

export type SeatOnPayment = 'confirm' | 'late';

/**
 * A payment for a seat confirms it only when the seat is still this order's, the group still takes
 * payments, and the money moved before the hold ran out; anything else is a late payment (placed
 * elsewhere or refunded, never squeezed in).
 */
export function decideSeatOnPayment(facts: {
  /** The order that holds the member's seat in the group now (null: none). */
  holderOrderId: string | null;
  orderId: string;
  /** The group already counts this member as paid (a repeated delivery). */
  seatPaid: boolean;
  groupState: GroupState;
  paidAt: Date;
  holdUntil: Date;
}): SeatOnPayment {
  if (facts.holderOrderId !== facts.orderId) return 'late';
  if (facts.seatPaid) return 'confirm';
  if (!LIVE_GROUP_STATES.includes(facts.groupState)) return 'late';
  if (facts.paidAt.getTime() > facts.holdUntil.getTime()) return 'late';
  return 'confirm';
}

/** The one main button of the invite page, for the member looking at it. */
export const INVITE_ACTIONS = ['join', 'pay', 'joined', 'full', 'waiting', 'ended'] as const;
export type InviteAction = (typeof INVITE_ACTIONS)[number];

export const INVITE_ACTION_LABELS: Record<InviteAction, string> = {
  join: '参团',
  pay: '去支付',
  joined: '已参团',
  full: '已满员，去参加别的团',
  waiting: '团长支付后即可参团',
  ended: '已结束',
};

/** The caller's place in a group, as the server knows it. */
export type SeatOfCaller = 'none' | 'held' | 'paid';

export function inviteActionOf(group: GroupCounts, seat: SeatOfCaller, now: Date): InviteAction {
  // A failed group is over for everyone, its paid members too (they are being refunded).
  if (group.state === 'failed' || group.state === 'abandoned') return 'ended';
  if (seat === 'paid') return 'joined';
  if (group.state === 'succeeded') return 'full';
  // A hold never outlasts the deadline: past it, a payment could only be refunded, so no 去支付.
  if (now.getTime() >= group.deadline.getTime()) return 'ended';
  if (seat === 'held') return 'pay';
  if (group.state === 'pending') return 'waiting';
  return group.taken >= group.size ? 'full' : 'join';
}
