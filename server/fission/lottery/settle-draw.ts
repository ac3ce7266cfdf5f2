import { newCouponDoc } from '../../../core/coupon/coupon';
import { DuetError } from '../../../core/errors';
import { fallbackChain, type Prize } from '../../../core/fission/lottery';
import { eventId } from '../../../core/funnel/events';
import { issueCoupon } from '../../coupon/issue-coupon';
import { findTemplate } from '../../coupon/repository';
import { log } from '../../log';
import { type EventOwner, recordFunnelEvent } from '../../member/event-repository';
import {
  type DrawDoc,
  earnPrizePoints,
  findDraw,
  giveBackPrizeUnit,
  type LotteryDoc,
  returnDaySlot,
  takePrizeUnit,
  updateDraw,
} from './repository';

/** A draw's coupon prize: `_id` `lottery:<draw>`, so it is issued once whatever the retries. */
export function prizeCouponId(drawId: string): string {
  return `lottery:${drawId}`;
}

/** At most this many times round (a prize skipped each time): more means something else moves the draw. */
const MAX_ROUNDS = 16;

/**
 * Settles a draw whose points were taken: the same code for the call and the sweep, each step safe
 * to repeat. (1) A unit of the prize the roll picked, or of the first in its fallback chain that
 * has one (thanks at the end needs none), held by a conditional decrement and recorded on the draw
 * with a conditional update (a second settler that lost gives its unit back). (2) The prize issued
 * once: a coupon under `lottery:<draw>`, points under the ledger key `lottery_prize:<draw>`; a
 * product waits for the winner's address (`claim`). A coupon whose template ran dry is skipped: its
 * unit goes back and the chain goes on. (3) `done`, and its funnel event.
 */
export async function settleDraw(draw: DrawDoc, lottery: LotteryDoc, owner: EventOwner, now: Date): Promise<DrawDoc> {
  let current = draw;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    if (current.state !== 'pending') return current;
    if (!current.pointsTaken) throw new DuetError('INTERNAL', `draw ${current._id} is settled before its points were taken`);
    if (!current.prizeId) {
      current = await holdPrize(current, lottery, now);
      continue;
    }
    const prize = lottery.prizes.find((p) => p.id === current.prizeId);
    if (!prize) throw new DuetError('INTERNAL', `draw ${current._id} holds prize ${current.prizeId}, not in lottery ${lottery._id}`);
    const issued = await issuePrize(current, prize, now);
    if (issued === 'skip') {
      current = await skipPrize(current, prize, now);
      continue;
    }
    const fields = { state: 'done' as const, ...issued, doneAt: now, updatedAt: now };
    if (await updateDraw(current._id, { state: 'pending', prizeId: prize.id }, fields)) {
      const done = { ...current, ...fields };
      await recordDrawEvent(done, owner);
      return done;
    }
    current = await reread(current._id);
  }
  throw new DuetError('UNAVAILABLE', `draw ${draw._id} kept moving while it was settled`);
}

async function holdPrize(draw: DrawDoc, lottery: LotteryDoc, now: Date): Promise<DrawDoc> {
  const chain = (fallbackChain(lottery.prizes, draw.picked) ?? []).filter((p) => !draw.skipped.includes(p.id));
  let held: Prize | undefined;
  for (const prize of chain) {
    if (prize.kind === 'thanks' || (await takePrizeUnit(lottery._id, prize.id, now))) {
      held = prize;
      break;
    }
  }
  if (!held) throw new DuetError('INTERNAL', `lottery ${lottery._id}: the chain from ${draw.picked} has no thanks`);
  const prize = { prizeId: held.id, kind: held.kind, title: held.title, ...(held.points ? { points: held.points } : {}) };
  if (await updateDraw(draw._id, { state: 'pending', prizeId: null }, { prizeId: held.id, prize, updatedAt: now })) {
    return { ...draw, prizeId: held.id, prize, updatedAt: now };
  }
  // Another settler (the sweep, or a retry of the call) recorded its prize first: this unit goes back.
  if (held.kind !== 'thanks') await giveBackPrizeUnit(lottery._id, held.id);
  return reread(draw._id);
}

type Issued = { couponId: string | null; claim: DrawDoc['claim'] } | 'skip';

async function issuePrize(draw: DrawDoc, prize: Prize, now: Date): Promise<Issued> {
  if (prize.kind === 'thanks') return { couponId: null, claim: null };
  if (prize.kind === 'product') return { couponId: null, claim: 'unclaimed' };
  if (prize.kind === 'points') {
    await earnPrizePoints(draw, prize.points as number, now);
    return { couponId: null, claim: null };
  }
  const template = await findTemplate(prize.templateId as string);
  if (!template) {
    log('error', { event: 'lottery.template_gone', drawId: draw._id, templateId: prize.templateId });
    return 'skip';
  }
  const coupon = newCouponDoc(template, { id: prizeCouponId(draw._id), memberId: draw.memberId, source: 'lottery', now });
  const outcome = await issueCoupon(template, coupon, now);
  if (outcome === 'sold_out') {
    log('warn', { event: 'lottery.coupon_sold_out', drawId: draw._id, templateId: template._id });
    return 'skip';
  }
  return { couponId: coupon._id, claim: null };
}

/** The held prize cannot be issued (its coupon template is empty): the unit goes back and the draw falls back further. */
async function skipPrize(draw: DrawDoc, prize: Prize, now: Date): Promise<DrawDoc> {
  const skipped = [...draw.skipped, prize.id];
  if (await updateDraw(draw._id, { state: 'pending', prizeId: prize.id }, { prizeId: null, prize: null, skipped, updatedAt: now })) {
    await giveBackPrizeUnit(draw.lotteryId, prize.id);
    return { ...draw, prizeId: null, prize: null, skipped, updatedAt: now };
  }
  return reread(draw._id);
}

async function reread(drawId: string): Promise<DrawDoc> {
  const doc = await findDraw(drawId);
  if (!doc) throw new DuetError('INTERNAL', `draw ${drawId} is gone`);
  return doc;
}

/** `lottery_draw:<draw>`, credited to the member's touches (a member who came by a share card carries its sharer). */
export function recordDrawEvent(draw: DrawDoc, owner: EventOwner): Promise<boolean> {
  return recordFunnelEvent(
    {
      _id: eventId('lottery_draw', draw._id),
      kind: 'lottery_draw',
      at: draw.doneAt ?? draw.updatedAt,
      lotteryId: draw.lotteryId,
      drawId: draw._id,
      prizeId: draw.prizeId,
      prizeKind: draw.prize?.kind ?? null,
      won: Boolean(draw.prize && draw.prize.kind !== 'thanks'),
      price: draw.price,
    },
    owner,
  );
}

/** A draw that never took its points ends `abandoned`, giving back its day slot; false when it had moved on. */
export async function abandonDraw(draw: DrawDoc, reason: string, now: Date): Promise<boolean> {
  const moved = await updateDraw(draw._id, { state: 'pending', pointsTaken: false }, { state: 'abandoned', reason, updatedAt: now });
  if (moved) await returnDaySlot(draw);
  return moved;
}
