import { DuetError } from '../../core/errors';
import type { OrderDoc } from '../order/repository';
import type { GroupState } from '../../core/groupbuy/group-state';
import { type ActivityDoc, findGroup, giveBackActivityUnit, takeActivityUnit, takeGroupSeat, takeLimit } from './repository';
import { findActivityOrFail } from './find-activity';

/**
 * The seat a group order holds, taken while the order is `reserving` (the order path's
 * `takeSeat` hook). A refusal throws; the order path then abandons the order, and its
 * `releaseSeat` gives back what was taken.
 */
export async function takeSeat(order: OrderDoc, now: Date): Promise<void> {
  const seat = order.group!;
  const activity = await findActivityOrFail(seat.activityId);
  const claimed = await claimSeat(order, activity, seat.groupId, { paid: false, states: seat.leader ? ['pending'] : ['open'] }, now);
  if (claimed === 'limit_reached') {
    throw new DuetError(
      'FAILED_PRECONDITION',
      `member ${order.memberId} reached the limit of ${activity.perMemberLimit} in ${activity._id}`,
      {
        reason: 'limit_reached',
        message: `每人限参加${activity.perMemberLimit}次`,
      },
    );
  }
  if (claimed === 'sold_out') {
    throw new DuetError('FAILED_PRECONDITION', `activity ${activity._id} has no stock left`, {
      reason: 'sold_out',
      message: '活动商品已抢光',
    });
  }
  if (claimed === 'refused') throw seatRefusal(seat.groupId, await findGroup(seat.groupId), order.memberId, now);
}

/**
 * Takes a seat for the order in `groupId`, in the order that makes a crash safe: the member's limit
 * (which counts the order once however often this runs), one unit of the activity's stock (given
 * back at once if the seat is refused), then the seat itself — whose release later gives the unit
 * back. `paid`: the seat is taken paid (a late payment placed). `seated` also when the order holds
 * the seat already (a run of the same payment took it first). A refused limit or unit is not given
 * back here: the caller's release (or refund) stops the order counting.
 */
export async function claimSeat(
  order: OrderDoc,
  activity: ActivityDoc,
  groupId: string,
  seat: { paid: boolean; states: readonly GroupState[] },
  now: Date,
): Promise<'seated' | 'limit_reached' | 'sold_out' | 'refused'> {
  const group = await findGroup(groupId);
  if (!group) return 'refused';
  if (group.holds[order.memberId] === order._id) return 'seated';
  if (!(await takeLimit(activity._id, order.memberId, order._id, activity.perMemberLimit))) return 'limit_reached';
  if (!(await takeActivityUnit(activity._id))) return 'sold_out';
  const taken = { memberId: order.memberId, orderId: order._id, name: order.group!.name, paid: seat.paid };
  if (await takeGroupSeat(group, taken, seat.states, now)) return 'seated';
  await giveBackActivityUnit(activity._id);
  // Refused: the group is full or ended — or, for a late payment (whose deliveries may run at once),
  // another run of the same payment took the seat a moment ago.
  if (seat.paid && (await findGroup(groupId))?.holds[order.memberId] === order._id) return 'seated';
  return 'refused';
}

/** Why a seat was refused, re-read after the refusal: the member is in already, the group is full, or it ended. */
export function seatRefusal(groupId: string, group: Awaited<ReturnType<typeof findGroup>>, memberId: string, now: Date): DuetError {
  if (group?.heldBy.includes(memberId)) {
    return new DuetError('ALREADY_EXISTS', `member ${memberId} already holds a seat in group ${groupId}`, {
      reason: 'already_joined',
      message: '你已在这个团里了',
    });
  }
  if (group && group.state === 'open' && new Date(group.deadline).getTime() > now.getTime() && group.taken >= group.size) {
    return new DuetError('FAILED_PRECONDITION', `group ${groupId} is full`, {
      reason: 'group_full',
      message: '这个团已满员，去参加别的团吧',
    });
  }
  if (group?.state === 'pending') {
    return new DuetError('FAILED_PRECONDITION', `group ${groupId} waits for its leader's payment`, {
      reason: 'group_not_open',
      message: '团长支付后才能参团',
    });
  }
  return new DuetError('FAILED_PRECONDITION', `group ${groupId} has ended`, {
    reason: 'group_ended',
    message: '这个团已结束，去参加别的团吧',
  });
}
