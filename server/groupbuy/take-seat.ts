import { DuetError } from '../../core/errors';
import type { OrderDoc } from '../order/repository';
import { findGroup, giveBackActivityUnit, takeActivityUnit, takeGroupSeat, takeLimit } from './repository';
import { findActivityOrFail } from './find-activity';

/**
 * The seat a group order holds, taken while the order is `reserving` (the order path's
 * `takeSeat` hook), in an order that makes a crash safe: the member's limit (which counts the order
 * once however often this runs), one unit of the activity's stock (given back at once if the seat
 * is refused), then the seat itself — whose release later gives the unit back. A refusal throws;
 * the order path then abandons the order, and its `releaseSeat` gives back what was taken.
 */
export async function takeSeat(order: OrderDoc, now: Date): Promise<void> {
  const seat = order.group!;
  const activity = await findActivityOrFail(seat.activityId);
  if (!(await takeLimit(activity._id, order.memberId, order._id, activity.perMemberLimit))) {
    throw new DuetError(
      'FAILED_PRECONDITION',
      `member ${order.memberId} reached the limit of ${activity.perMemberLimit} in ${activity._id}`,
      {
        reason: 'limit_reached',
        message: `每人限参加${activity.perMemberLimit}次`,
      },
    );
  }
  if (!(await takeActivityUnit(activity._id))) {
    throw new DuetError('FAILED_PRECONDITION', `activity ${activity._id} has no stock left`, {
      reason: 'sold_out',
      message: '活动商品已抢光',
    });
  }
  const group = await findGroup(seat.groupId);
  const taken =
    !!group &&
    (await takeGroupSeat(
      group,
      { memberId: order.memberId, orderId: order._id, name: seat.name, paid: false },
      seat.leader ? ['pending'] : ['open'],
      now,
    ));
  if (!taken) {
    await giveBackActivityUnit(activity._id);
    throw seatRefusal(seat.groupId, await findGroup(seat.groupId), order.memberId, now);
  }
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
