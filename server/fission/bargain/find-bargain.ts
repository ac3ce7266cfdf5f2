import { DuetError } from '../../../core/errors';
import { finalMemberId } from '../../member/repository';
import { type BargainDoc, findBargain, findTask, type TaskDoc } from './repository';

export async function findBargainOrFail(bargainId: string): Promise<BargainDoc> {
  const bargain = await findBargain(bargainId);
  if (!bargain)
    throw new DuetError('NOT_FOUND', `bargain ${bargainId} does not exist`, { reason: 'not_found', message: '砍价活动不存在或已结束' });
  return bargain;
}

/**
 * The task, its owner as the member they are now: an owner merged into another member since the
 * start (the same person met through another app) is that member, so they still own, buy and may
 * not cut their own task.
 */
export async function findTaskOrFail(taskId: string): Promise<TaskDoc> {
  const task = await findTask(taskId);
  if (!task) throw new DuetError('NOT_FOUND', `bargain task ${taskId} does not exist`, { reason: 'not_found', message: '这次砍价不存在' });
  return { ...task, ownerId: await finalMemberId(task.ownerId) };
}
