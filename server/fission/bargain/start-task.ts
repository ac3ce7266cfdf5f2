import { DuetError } from '../../../core/errors';
import { planOf, taskExpiry, taskState } from '../../../core/fission/bargain';
import { eventId } from '../../../core/funnel/events';
import { displayNickname, type MemberDoc } from '../../../core/member/member';
import type { Caller } from '../../handler';
import { requestDigest } from '../../ids';
import { recordFunnelEvent } from '../../member/event-repository';
import { memberOfCaller } from '../../member/resolve-member';
import { findBargainOrFail } from './find-bargain';
import {
  type BargainDoc,
  countStarted,
  findMemberTasks,
  findTask,
  giveBackBargainUnit,
  insertTask,
  takeBargainUnit,
  type TaskDoc,
} from './repository';
import { toOfferViews, toTaskView, withOrder } from './views';

/** A task's id: the bargain, the owner and their n-th task there, so two starts at once make one task. */
export function taskIdOf(bargainId: string, ownerId: string, seq: number): string {
  return `bt${requestDigest(bargainId, `${ownerId}:${seq}`).slice(0, 30)}`;
}

/** Why the member cannot start a task now (the first reason), or null: the window, their live task, their limit, the stock. */
export async function startBlock(
  bargain: BargainDoc,
  memberId: string,
  now: Date,
): Promise<{ live: TaskDoc | null; refusal: DuetError | null; seq: number }> {
  if (now.getTime() < new Date(bargain.startAt).getTime())
    return {
      live: null,
      seq: 0,
      refusal: new DuetError('FAILED_PRECONDITION', `bargain ${bargain._id} has not started`, {
        reason: 'not_started',
        message: '砍价还没开始',
      }),
    };
  const tasks = await findMemberTasks(bargain._id, memberId);
  for (const task of tasks) {
    const state = taskState((await withOrder(task, now)).task, now);
    if (state === 'open' || state === 'complete') return { live: task, refusal: null, seq: task.seq };
  }
  if (now.getTime() >= new Date(bargain.endAt).getTime())
    return {
      live: null,
      seq: 0,
      refusal: new DuetError('FAILED_PRECONDITION', `bargain ${bargain._id} has ended`, { reason: 'ended', message: '砍价已结束' }),
    };
  const seq = Math.max(0, ...tasks.map((task) => task.seq)) + 1;
  if (seq > bargain.perMemberLimit) {
    return {
      live: null,
      seq,
      refusal: new DuetError(
        'RESOURCE_EXHAUSTED',
        `member ${memberId} started ${seq - 1} of ${bargain.perMemberLimit} tasks in ${bargain._id}`,
        {
          reason: 'limit_reached',
          message: `每人限发起 ${bargain.perMemberLimit} 次`,
        },
      ),
    };
  }
  if (bargain.stockLeft !== null && bargain.stockLeft <= 0) return { live: null, seq, refusal: soldOut(bargain._id) };
  return { live: null, refusal: null, seq };
}

function soldOut(bargainId: string): DuetError {
  return new DuetError('RESOURCE_EXHAUSTED', `bargain ${bargainId} has no stock left`, { reason: 'sold_out', message: '砍价名额已抢光' });
}

/**
 * Starts the caller's task, or answers their live one. Steps, each safe to repeat: the member's
 * next task number (a live task answers instead; past the limit refuses); a unit of the bargain's
 * stock by conditional decrement when it has one; the task insert, whose `_id` (bargain, member,
 * number) makes concurrent starts one task — the loser gives its unit back and answers the winner's.
 */
export async function startTask(caller: Caller, bargainId: string, now: Date) {
  const member = await memberOfCaller(caller, now);
  const bargain = await findBargainOrFail(bargainId);
  const block = await startBlock(bargain, member._id, now);
  if (block.live) return answer(block.live, bargain, member, true, now);
  if (block.refusal) throw block.refusal;
  const id = taskIdOf(bargain._id, member._id, block.seq);
  const raced = await findTask(id);
  if (raced) return answer(raced, bargain, member, true, now);
  if (bargain.stock !== null && !(await takeBargainUnit(bargain._id, now))) throw soldOut(bargain._id);
  const doc = newTaskDoc(id, bargain, member, block.seq, now);
  if (!(await insertTask(doc))) {
    if (bargain.stock !== null) await giveBackBargainUnit(bargain._id);
    const winner = await findTask(id);
    if (!winner) throw new DuetError('INTERNAL', `task ${id} exists and cannot be read`);
    return answer(winner, bargain, member, true, now);
  }
  await countStarted(bargain._id, now);
  return answer(doc, bargain, member, false, now);
}

export function newTaskDoc(id: string, bargain: BargainDoc, member: Pick<MemberDoc, '_id' | 'nickname'>, seq: number, now: Date): TaskDoc {
  const plan = planOf(bargain);
  return {
    _id: id,
    bargainId: bargain._id,
    ownerId: member._id,
    ownerName: displayNickname(member.nickname),
    seq,
    skuId: bargain.skuId,
    ...plan,
    cuts: 0,
    cutterIds: [],
    cutters: [],
    expiresAt: taskExpiry(now, bargain.taskHours, new Date(bargain.endAt)),
    attempts: 0,
    orderId: null,
    bought: false,
    createdAt: now,
    updatedAt: now,
  };
}

/** The start's answer; its funnel event is written (again) on every answer, so a start cut off after its insert still records it. */
async function answer(task: TaskDoc, bargain: BargainDoc, member: MemberDoc, repeated: boolean, now: Date) {
  await recordFunnelEvent(
    {
      _id: eventId('bargain_started', task._id),
      kind: 'bargain_started',
      at: new Date(task.createdAt),
      taskId: task._id,
      bargainId: bargain._id,
      price: task.price,
    },
    { member },
  );
  const [{ task: current, order }, [offer]] = await Promise.all([withOrder(task, now), toOfferViews([bargain], now)]);
  return { task: toTaskView(current, order, member._id, now), offer, repeated, serverTime: now.toISOString() };
}
