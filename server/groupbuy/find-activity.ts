import { DuetError } from '../../core/errors';
import { type ActivityDoc, findActivity, findGroup, type GroupDoc } from './repository';

export async function findActivityOrFail(activityId: string): Promise<ActivityDoc> {
  const activity = await findActivity(activityId);
  if (!activity)
    throw new DuetError('NOT_FOUND', `no group-buy activity ${activityId}`, { reason: 'no_activity', message: '活动不存在或已结束' });
  return activity;
}

export async function findGroupOrFail(groupId: string): Promise<GroupDoc> {
  const group = await findGroup(groupId);
  if (!group) throw new DuetError('NOT_FOUND', `no group ${groupId}`, { reason: 'no_group', message: '这个团不存在' });
  return group;
}

/** The activity's group price of the SKU, or a refusal when the activity does not sell it. */
export function groupPricesOf(
  activity: { _id: string; skus: Array<{ skuId: string; groupPrice: number }> },
  skuId: string,
): Map<string, number> {
  const line = activity.skus.find((sku) => sku.skuId === skuId);
  if (!line) {
    throw new DuetError('INVALID_ARGUMENT', `activity ${activity._id} does not sell sku ${skuId}`, {
      reason: 'sku_not_in_activity',
      message: '该规格不参加拼团',
    });
  }
  return new Map([[skuId, line.groupPrice]]);
}
