import type { BargainOfferView, TaskView } from '../../core/contracts/bargain';
import { fenText } from '../../core/fission/bargain';
import { BARGAIN_TASK_PAGE } from '../routes';
import { type ShareCardContent, sharedPagePath } from './group-share';

/**
 * The card a member sends from their bargain task: the title names the offer (the product and the
 * floor it can reach, the friends it takes) and nothing else — no reward for sending it, nothing
 * gated on it (PLATFORM.md). It opens the task through the landing page, so a friend's visit, and
 * the cut they make, are credited to the sharer.
 */
export function taskShareCard(
  task: Pick<TaskView, 'taskId' | 'friends' | 'cuts' | 'floor'>,
  offer: Pick<BargainOfferView, 'productName' | 'imageUrl'>,
  sharer: string | null,
): ShareCardContent {
  const left = task.friends - task.cuts;
  const title =
    left > 0
      ? `帮我砍一刀：${offer.productName}，还差 ${left} 位好友砍到 ${fenText(task.floor)}`
      : `${offer.productName} 已砍到 ${fenText(task.floor)}`;
  return {
    title,
    path: sharedPagePath(BARGAIN_TASK_PAGE, task.taskId, sharer),
    ...(offer.imageUrl ? { imageUrl: offer.imageUrl } : {}),
  };
}
