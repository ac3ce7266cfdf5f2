import { isFilled } from '../../core/groupbuy/group-state';
import type { OrderDoc } from '../order/repository';
import { settleFailedSeat } from './fail-group';
import { recordGroupEvent } from './group-notices';
import { findGroup, type GroupDoc, holdsPaidSeat, moveGroup } from './repository';
import { settleSucceededSeat, succeedGroup } from './succeed-group';

/**
 * What a paid seat implies, each step idempotent: the leader's payment opens the group; a full group
 * succeeds. A group that ended while this seat was paid or placed into it (its outcome settled
 * before the order said it was in the group) applies its outcome to this order too.
 */
export async function afterSeatPaid(group: GroupDoc, order: OrderDoc, now: Date): Promise<void> {
  const leader = group.leaderId === order.memberId;
  if (leader && group.state === 'pending') {
    if (await moveGroup(group._id, 'pending', 'open', { [`holds.${order.memberId}`]: order._id }, { openedAt: now })) group.state = 'open';
  }
  await recordGroupEvent(leader ? 'group_opened' : 'group_joined', group, order.paidAt ? new Date(order.paidAt) : now, order);
  const fresh = await findGroup(group._id);
  if (!fresh) return;
  if (fresh.state === 'open' && isFilled(fresh)) {
    await succeedGroup(fresh, false, now);
    return;
  }
  const seatPaid = holdsPaidSeat(fresh, order);
  if (seatPaid && fresh.state === 'succeeded') await settleSucceededSeat(fresh, order, now);
  else if (seatPaid && fresh.state === 'failed') await settleFailedSeat(fresh, order, now);
}
