import type { TaskView } from '../../core/contracts/help';
import { HELP_TASK_PAGE } from '../routes';
import { type ShareCardContent, sharedPagePath } from './group-share';

/**
 * The 助力 card: its title names the offer (the campaign and what the owner gets when friends help);
 * it promises the friend nothing and asks nothing for a share (PLATFORM.md: no reward for sharing).
 * Through the landing page, so the friend's arrival is credited to the sharer.
 */
export function helpShareCard(
  task: Pick<TaskView, 'taskId' | 'title' | 'rewardText' | 'missing' | 'state'>,
  sharer: string | null,
): ShareCardContent {
  const live = task.state === 'open' && task.missing > 0;
  return {
    title: live ? `帮我助力「${task.title}」，还差${task.missing}位` : `「${task.title}」${task.rewardText}`,
    path: sharedPagePath(HELP_TASK_PAGE, task.taskId, sharer),
  };
}
