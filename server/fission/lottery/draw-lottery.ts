import { randomInt } from 'node:crypto';
import type { DrawView } from '../../../core/contracts/lottery';
import { DuetError, type ErrorCode } from '../../../core/errors';
import { DRAW_REFUSAL_MESSAGES, type DrawRefusal, drawRefusal, drawsLeftToday, ODDS_TOTAL, pickPrize } from '../../../core/fission/lottery';
import { shanghaiDay } from '../../../core/points/rules';
import type { Caller } from '../../handler';
import { requestDigest } from '../../ids';
import { findCurrentMember, memberOfCaller } from '../../member/resolve-member';
import { drawView } from './lottery-views';
import {
  countDrawnToday,
  type DrawDoc,
  findDraw,
  findLottery,
  insertDraw,
  type LotteryDoc,
  spendForDraw,
  takeDaySlot,
  updateDraw,
} from './repository';
import { abandonDraw, settleDraw } from './settle-draw';

export interface DrawOutcome {
  draw: DrawView;
  balance: number;
  drawsLeftToday: number;
  repeated: boolean;
}

/** The draw's id: the member and the app's request id, so a retry finds the draw it made. */
export function drawIdOf(memberId: string, requestId: string): string {
  return `d${requestDigest(memberId, requestId).slice(0, 31)}`;
}

const REFUSAL_CODES: Record<DrawRefusal | 'total_daily', ErrorCode> = {
  not_started: 'FAILED_PRECONDITION',
  ended: 'FAILED_PRECONDITION',
  paused: 'FAILED_PRECONDITION',
  insufficient_points: 'FAILED_PRECONDITION',
  daily_limit: 'RESOURCE_EXHAUSTED',
  total_daily: 'RESOURCE_EXHAUSTED',
};

function refused(lotteryId: string, reason: DrawRefusal | 'total_daily'): DuetError {
  return new DuetError(REFUSAL_CODES[reason], `lottery ${lotteryId}: draw refused (${reason})`, {
    reason,
    message: DRAW_REFUSAL_MESSAGES[reason],
  });
}

/**
 * One draw. Steps, each safe to repeat: (1) the draw is written `pending` with its roll
 * (`crypto.randomInt` over the 10,000 parts) — its `_id` dedupes the request, and the outcome is
 * fixed before anything is taken; (2) a slot of the day's total, when the lottery has one
 * (conditional increment); (3) the points, the member's daily count and `pointsTaken` in one ledger
 * transaction (never below zero, once per draw: key `lottery:<draw>`); (4) the prize, by
 * `settleDraw`. A refusal at (2)–(3) abandons the draw having taken nothing; a crash leaves it
 * `pending`, and the scheduler's `settleDraws` completes it (points taken) or abandons it (not).
 */
export async function drawLottery(caller: Caller, input: { lotteryId: string; requestId: string }, now: Date): Promise<DrawOutcome> {
  const member = await memberOfCaller(caller, now);
  const drawId = drawIdOf(member._id, input.requestId);
  const existing = await findDraw(drawId);
  const lottery = await findLottery(existing?.lotteryId ?? input.lotteryId);
  if (!lottery) throw new DuetError('NOT_FOUND', `lottery ${input.lotteryId} does not exist`);
  if (existing) return answer(await finishIfTaken(existing, lottery, member, now), lottery, member._id, now, true);

  const day = shanghaiDay(now);
  const refusal = drawRefusal(lottery, {
    drawnToday: await countDrawnToday(lottery._id, member._id, day),
    balance: Number(member.points ?? 0),
    now,
  });
  if (refusal) throw refused(lottery._id, refusal);

  const roll = randomInt(ODDS_TOTAL);
  const doc: DrawDoc = {
    _id: drawId,
    lotteryId: lottery._id,
    lotteryTitle: lottery.title,
    memberId: member._id,
    requestId: input.requestId,
    day,
    roll,
    picked: pickPrize(lottery.prizes, roll).id,
    price: lottery.price,
    state: 'pending',
    pointsTaken: false,
    slotTaken: false,
    skipped: [],
    prizeId: null,
    prize: null,
    couponId: null,
    orderId: null,
    claim: null,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await insertDraw(doc))) {
    const raced = await findDraw(drawId);
    if (!raced) throw new DuetError('INTERNAL', `draw ${drawId} exists and cannot be read`);
    return answer(raced, lottery, member._id, now, true);
  }
  if (lottery.totalDaily !== null) {
    if (!(await takeDaySlot(lottery._id, day, lottery.totalDaily))) {
      await abandonDraw(doc, 'total_daily', now);
      throw refused(lottery._id, 'total_daily');
    }
    doc.slotTaken = true;
    await updateDraw(drawId, { state: 'pending' }, { slotTaken: true });
  }
  try {
    await spendForDraw(doc, lottery.perMemberDaily, now);
  } catch (error) {
    await abandonDraw(doc, error instanceof DuetError ? (error.refusal?.reason ?? error.code) : 'points_failed', now);
    throw error;
  }
  doc.pointsTaken = true;
  const settled = await settleDraw(doc, lottery, { member }, now);
  return answer(settled, lottery, member._id, now, false);
}

/** A repeat of a draw cut off after its points: it is settled now rather than at the next sweep. */
async function finishIfTaken(draw: DrawDoc, lottery: LotteryDoc, member: { _id: string }, now: Date): Promise<DrawDoc> {
  if (draw.state !== 'pending' || !draw.pointsTaken) return draw;
  return settleDraw(draw, lottery, { memberId: member._id }, now);
}

async function answer(draw: DrawDoc, lottery: LotteryDoc, memberId: string, now: Date, repeated: boolean): Promise<DrawOutcome> {
  const [member, drawn] = await Promise.all([findCurrentMember(memberId), countDrawnToday(lottery._id, memberId, shanghaiDay(now))]);
  return {
    draw: drawView(draw),
    balance: Number(member?.points ?? 0),
    drawsLeftToday: drawsLeftToday(lottery, drawn),
    repeated,
  };
}
