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
