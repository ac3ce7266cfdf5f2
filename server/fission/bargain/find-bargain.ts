import { DuetError } from '../../../core/errors';
import { type BargainDoc, findBargain, findTask, type TaskDoc } from './repository';

export async function findBargainOrFail(bargainId: string): Promise<BargainDoc> {
  const bargain = await findBargain(bargainId);
  if (!bargain)
    throw new DuetError('NOT_FOUND', `bargain ${bargainId} does not exist`, { reason: 'not_found', message: '砍价活动不存在或已结束' });
  return bargain;
}

export async function findTaskOrFail(taskId: string): Promise<TaskDoc> {
  const task = await findTask(taskId);
  if (!task) throw new DuetError('NOT_FOUND', `bargain task ${taskId} does not exist`, { reason: 'not_found', message: '这次砍价不存在' });
  return task;
}
