import { DuetError } from '../../../core/errors';
import { CUT_REFUSAL_MESSAGES, type CutRefusal, cutAt, cutRefusal, planOf } from '../../../core/fission/bargain';
import { eventId } from '../../../core/funnel/events';
import { displayNickname, type MemberDoc } from '../../../core/member/member';
import type { Caller } from '../../handler';
import { recordFunnelEvent } from '../../member/event-repository';
import { memberOfCaller } from '../../member/resolve-member';
import type { OrderDoc } from '../../order/repository';
import { findTaskOrFail } from './find-bargain';
import { addCut, findTask, type TaskDoc } from './repository';
import { toTaskView, withOrder } from './views';

/**
 * A friend's cut. The friend is the member of the caller (the same person through the mini-program
 * and the 公众号 is one member), never the owner. The cut is one conditional update of the task:
 * only while it has the count the friend read, so cut i is always the plan's i-th amount, at most N
 * are made whatever the burst, and the friend is not among the cutters yet. A lost race reads again
 * and decides again (each lost round means another cut landed, so it ends within N + 1 rounds). A
 * repeat of a friend's cut answers it, writing its funnel event again if a cut-off call missed it.
 */
export async function cutTask(caller: Caller, taskId: string, now: Date) {
  const friend = await memberOfCaller(caller, now);
  let task = await findTaskOrFail(taskId);
  const plan = planOf(task);
  for (let round = 0; round <= task.friends + 1; round++) {
    const seen = await withOrder(task, now);
    task = seen.task;
    const refusal = cutRefusal(task, friend._id, now);
    if (refusal === 'already_cut') {
      const mine = task.cutters.find((cut) => cut.memberId === friend._id);
      const index = task.cutterIds.indexOf(friend._id);
      await recordCut(task, friend, index, mine?.fen ?? cutAt(plan, index), now);
      return answer(task, seen.order, friend._id, mine?.fen ?? 0, true, now);
    }
    if (refusal) throw refused(refusal, task._id);
    const fen = cutAt(plan, task.cuts);
    const cut = { memberId: friend._id, name: displayNickname(friend.nickname), fen, at: now };
    if (await addCut(task, task.cuts, cut, now)) {
      const after: TaskDoc = { ...task, cuts: task.cuts + 1, cutterIds: [...task.cutterIds, friend._id], cutters: [...task.cutters, cut] };
      await recordCut(after, friend, task.cuts, fen, now);
      return answer(after, seen.order, friend._id, fen, false, now);
    }
    const again = await findTask(taskId);
    if (!again) throw new DuetError('INTERNAL', `bargain task ${taskId} vanished`);
    task = { ...again, ownerId: task.ownerId };
  }
  throw new DuetError('CONFLICT', `bargain task ${taskId} kept moving; try the cut again`);
}

function refused(refusal: CutRefusal, taskId: string): DuetError {
  const code = refusal === 'own_task' ? 'PERMISSION_DENIED' : refusal === 'already_cut' ? 'ALREADY_EXISTS' : 'FAILED_PRECONDITION';
  return new DuetError(code, `cut refused on bargain task ${taskId}: ${refusal}`, {
    reason: refusal,
    message: CUT_REFUSAL_MESSAGES[refusal],
  });
}

/** The cut's funnel event, the friend's, credited to their touch (the share card that brought them names the sharer). */
function recordCut(task: TaskDoc, friend: MemberDoc, index: number, fen: number, now: Date): Promise<boolean> {
  const at = task.cutters.find((cut) => cut.memberId === friend._id)?.at ?? now;
  return recordFunnelEvent(
    {
      _id: eventId('bargain_cut', task._id, friend._id),
      kind: 'bargain_cut',
      at: new Date(at),
      taskId: task._id,
      bargainId: task.bargainId,
      ownerId: task.ownerId,
      index,
      cut: fen,
    },
    { member: friend },
  );
}

function answer(task: TaskDoc, order: OrderDoc | null, viewerId: string, fen: number, repeated: boolean, now: Date) {
  return { task: toTaskView(task, order, viewerId, now), fen, repeated, serverTime: now.toISOString() };
}
