import { DuetError } from '../../core/errors';
import { addActivityStock, findActivity, updateActivity } from '../groupbuy/repository';
import { groupBuyRows } from './group-buy-row';

export interface UpdateGroupBuyRequest {
  activityId: string;
  title?: string;
  endAt?: string;
  addStock?: number;
  perMemberLimit?: number;
  simulateMinPaid?: number | null;
  latePayment?: 'place' | 'refund';
  paused?: boolean;
}

/**
 * `updateGroupBuy`: what may change while groups run. Size and prices never change (members paid for
 * them); stock is only added (a compare-free increment, safe beside concurrent seats); a new end
 * does not move deadlines of groups already open.
 */
export async function updateGroupBuy(request: UpdateGroupBuyRequest, now: Date) {
  const activity = await findActivity(request.activityId);
  if (!activity) throw new DuetError('NOT_FOUND', `no group-buy activity ${request.activityId}`);
  const problems: string[] = [];
  if (request.endAt && new Date(request.endAt).getTime() <= new Date(activity.startAt).getTime()) {
    problems.push('endAt: the window ends after it starts');
  }
  if (request.simulateMinPaid != null && request.simulateMinPaid >= activity.size) {
    problems.push(`simulateMinPaid: ${request.simulateMinPaid} must be below the group size ${activity.size}`);
  }
  if (problems.length > 0) throw new DuetError('INVALID_ARGUMENT', problems.join('; '));
  const fields: Record<string, unknown> = { updatedAt: now };
  if (request.title !== undefined) fields.title = request.title;
  if (request.endAt !== undefined) fields.endAt = new Date(request.endAt);
  if (request.perMemberLimit !== undefined) fields.perMemberLimit = request.perMemberLimit;
  if (request.simulateMinPaid !== undefined) fields.simulateMinPaid = request.simulateMinPaid;
  if (request.latePayment !== undefined) fields.latePayment = request.latePayment;
  if (request.paused !== undefined) fields.paused = request.paused;
  await updateActivity(activity._id, fields);
  if (request.addStock) await addActivityStock(activity._id, request.addStock, now);
  const [row] = await groupBuyRows([(await findActivity(activity._id))!]);
  return { activity: row };
}
