import type { AddressInput } from '../../core/contracts/order';
import type { GroupView } from '../../core/contracts/groupbuy';
import { DuetError } from '../../core/errors';
import { activityPhase, groupDeadline, holdDeadline } from '../../core/groupbuy/rules';
import { displayNickname, type MemberDoc } from '../../core/member/member';
import type { Caller } from '../handler';
import { memberOfCaller } from '../member/resolve-member';
import { type CreatedOrder, orderIdOf, placeOrder } from '../order/create-order';
import { findOrder } from '../order/repository';
import { findActivityOrFail, findGroupOrFail, groupPricesOf } from './find-activity';
import { toGroupView } from './group-views';
import { type ActivityDoc, findGroup, type GroupDoc, insertGroup, moveGroup } from './repository';
import { seatRefusal } from './take-seat';

export interface SeatRequest {
  skuId: string;
  requestId: string;
  address: AddressInput;
  coupon?: string;
}

export type SeatAnswer = CreatedOrder & { group: GroupView };

/** A group's id: derived from its leader's order, so a retried 开团 finds the group it opened. */
export function groupIdOf(orderId: string): string {
  return `g${orderId.slice(0, 23)}`;
}

/**
 * `groupbuy.open`: the leader's seat and order. The group is written `pending` (nobody may join
 * until the leader paid), then the order is placed through the orders path at the group price, its
 * payment window the seat's hold; taking the seat is the first step of the order's reservation.
 */
export async function openGroup(caller: Caller, input: SeatRequest & { activityId: string }, now: Date): Promise<SeatAnswer> {
  const member = await memberOfCaller(caller, now);
  const orderId = orderIdOf(member._id, input.requestId);
  const existing = await findOrder(orderId);
  const activity = await findActivityOrFail(input.activityId);
  if (existing?.group)
    return answer(await placeSeat(member, activity, existing.group.groupId, true, input, new Date(existing.payBy), now), now);

  assertOpenable(activity, member, now);
  const groupId = groupIdOf(orderId);
  const deadline = groupDeadline(now, activity.fillHours, new Date(activity.endAt));
  const inserted = await insertGroup({
    _id: groupId,
    activityId: activity._id,
    leaderId: member._id,
    size: activity.size,
    state: 'pending',
    taken: 0,
    paid: 0,
    heldBy: [],
    paidBy: [],
    holds: {},
    names: {},
    returnedBy: [],
    createdAt: now,
    deadline,
  });
  if (!inserted) {
    // This request was tried before and refused before its order was written (the order is what a
    // retry finds first), which dropped its group: this try opens it again.
    await moveGroup(groupId, 'abandoned', 'pending', { taken: 0, leaderId: member._id }, { createdAt: now, deadline });
  }
  try {
    return answer(await placeSeat(member, activity, groupId, true, input, holdDeadline(now, activity.holdMinutes, deadline), now), now);
  } catch (error) {
    // The leader's order never took the seat: the group is dropped. Only when that order is gone or
    // cancelled — a repeat of the same request sent at once fails with CONFLICT while the first is
    // still reserving, and must not drop the group that first one is about to take its seat in.
    const order = await findOrder(orderId);
    if (!order || order.state === 'cancelled') await moveGroup(groupId, 'pending', 'abandoned', { taken: 0 }, { abandonedAt: now });
    throw error;
  }
}

/** `groupbuy.join`: a seat in an open group and its order; refusals say why (full, ended, already in, limit). */
export async function joinGroup(caller: Caller, input: SeatRequest & { groupId: string }, now: Date): Promise<SeatAnswer> {
  const member = await memberOfCaller(caller, now);
  const orderId = orderIdOf(member._id, input.requestId);
  const group = await findGroupOrFail(input.groupId);
  const activity = await findActivityOrFail(group.activityId);
  const existing = await findOrder(orderId);
  if (existing?.group)
    return answer(await placeSeat(member, activity, existing.group.groupId, false, input, new Date(existing.payBy), now), now);

  // Refused before anything is written when the group plainly cannot take the member.
  const joinable = group.state === 'open' && new Date(group.deadline).getTime() > now.getTime() && group.taken < group.size;
  if (!joinable || group.heldBy.includes(member._id)) throw seatRefusal(group._id, group, member._id, now);
  const payBy = holdDeadline(now, activity.holdMinutes, new Date(group.deadline));
  return answer(await placeSeat(member, activity, group._id, false, input, payBy, now), now);
}

function assertOpenable(activity: ActivityDoc, member: MemberDoc, now: Date): void {
  const phase = activityPhase({ startAt: new Date(activity.startAt), endAt: new Date(activity.endAt) }, now);
  if (phase === 'upcoming') {
    throw new DuetError('FAILED_PRECONDITION', `activity ${activity._id} has not started`, {
      reason: 'not_started',
      message: '活动尚未开始',
    });
  }
  if (phase === 'ended' || activity.paused) {
    throw new DuetError('FAILED_PRECONDITION', `activity ${activity._id} is ${activity.paused ? 'paused' : 'over'}`, {
      reason: 'activity_ended',
      message: '活动已结束',
    });
  }
  if (activity.leaderNewMembersOnly && member.firstPaidAt) {
    throw new DuetError('FAILED_PRECONDITION', `activity ${activity._id} lets only new members open groups`, {
      reason: 'new_members_only',
      message: '仅限新用户开团，你可以参加别人的团',
    });
  }
}

async function placeSeat(
  member: MemberDoc,
  activity: ActivityDoc,
  groupId: string,
  leader: boolean,
  input: SeatRequest,
  payBy: Date,
  now: Date,
): Promise<{ created: CreatedOrder; groupId: string; memberId: string }> {
  const created = await placeOrder(
    member,
    {
      lines: [{ skuId: input.skuId, quantity: 1 }],
      coupon: activity.couponsAllowed ? input.coupon : 'none',
      requestId: input.requestId,
      address: input.address,
    },
    {
      unitPrices: groupPricesOf(activity, input.skuId),
      payBy,
      group: { activityId: activity._id, groupId, leader, name: displayNickname(member.nickname), state: 'waiting' },
    },
    now,
  );
  return { created, groupId, memberId: member._id };
}

async function answer(placed: { created: CreatedOrder; groupId: string; memberId: string }, now: Date): Promise<SeatAnswer> {
  const { created, memberId } = placed;
  // A late payment may have moved the seat to another group: show the group the order is in now.
  const groupId = created.order.group?.groupId ?? placed.groupId;
  const group: GroupDoc | null = await findGroup(groupId);
  if (!group) throw new DuetError('INTERNAL', `group ${groupId} vanished`);
  return { ...created, group: toGroupView(group, memberId, created.order, now) };
}
