import { earnPoints, spendPoints } from '../../../core/points/account';
import { expiryOf } from '../../../core/points/rules';
import { DRAW_REFUSAL_MESSAGES, type DrawState, type LotteryRules, type Prize } from '../../../core/fission/lottery';
import type { ClaimState } from '../../../core/fission/lottery';
import { database } from '../../cloud';
import { COLLECTIONS } from '../../collections';
import { findById, findByIds, insertOnce, MAX_PER_QUERY, updatedCount } from '../../documents';
import { txFind } from '../../transaction';
import { findPointsRules, type Posted, postEntry } from '../../ledger/repository';

const LOTTERIES = COLLECTIONS.lotteries;
const STOCK = COLLECTIONS.lotteryStock;
const DRAWS = COLLECTIONS.lotteryDraws;
const LIMITS = COLLECTIONS.lotteryLimits;
const DAYS = COLLECTIONS.lotteryDays;
const MEMBERS = COLLECTIONS.members;

/** A prize as stored: the table's fields and what the page prints under it. */
export interface StoredPrize extends Prize {
  subtitle: string;
  imageFileId: string | null;
}

/** A lottery: its rules and prize table, fixed once published (only `paused` changes). */
export interface LotteryDoc extends LotteryRules {
  _id: string;
  title: string;
  description: string;
  prizes: StoredPrize[];
  createdAt: Date;
  updatedAt: Date;
}

/** One prize's stock, `_id` `<lottery>:<prize>`: taken by a conditional decrement, never below zero. */
export interface PrizeStockDoc {
  _id: string;
  lotteryId: string;
  prizeId: string;
  stock: number;
  stockLeft: number;
  lastTakeAt?: Date;
  reconciledAt?: Date;
}

/**
 * One draw, `_id` from the member and the app's requestId (a retry finds it). The roll is drawn
 * (crypto.randomInt) before anything is taken and kept, so whoever settles the draw — the call or
 * the sweep — settles the same outcome. Flags: `pointsTaken` (the ledger entry `lottery:<id>` and
 * the member's daily count, in one transaction), `slotTaken` (a unit of the day's total, when the
 * lottery has one) and `slotReturned`; `prizeId` once a unit of a prize is held (or thanks).
 */
export interface DrawDoc {
  _id: string;
  lotteryId: string;
  lotteryTitle: string;
  memberId: string;
  requestId: string;
  /** The Shanghai day it counts on. */
  day: string;
  roll: number;
  /** The prize the roll landed on (before any fallback). */
  picked: string;
  price: number;
  state: DrawState;
  reason?: string;
  pointsTaken: boolean;
  slotTaken: boolean;
  slotReturned?: boolean;
  /** Prizes skipped after a unit was held (a coupon template emptied under it): their unit given back. */
  skipped: string[];
  prizeId: string | null;
  prize: { prizeId: string; kind: Prize['kind']; title: string; points?: number } | null;
  couponId: string | null;
  orderId: string | null;
  claim: ClaimState | null;
  createdAt: Date;
  updatedAt: Date;
  doneAt?: Date;
}

export function stockId(lotteryId: string, prizeId: string): string {
  return `${lotteryId}:${prizeId}`;
}

export function limitId(lotteryId: string, memberId: string, day: string): string {
  return `llim:${lotteryId}:${memberId}:${day}`;
}

function dayId(lotteryId: string, day: string): string {
  return `lday:${lotteryId}:${day}`;
}

export function findLottery(id: string): Promise<LotteryDoc | null> {
  return findById<LotteryDoc>(LOTTERIES, id);
}

export function insertLottery(doc: LotteryDoc): Promise<boolean> {
  return insertOnce(LOTTERIES, doc);
}

export async function listLotteries(limit = 50): Promise<LotteryDoc[]> {
  const result = (await database().collection(LOTTERIES).orderBy('createdAt', 'desc').limit(limit).get()) as unknown as {
    data: LotteryDoc[];
  };
  return result.data;
}

export async function setLotteryPaused(id: string, paused: boolean, now: Date): Promise<boolean> {
  const result = await database()
    .collection(LOTTERIES)
    .where({ _id: id })
    .update({ data: { paused, updatedAt: now } });
  return updatedCount(result) === 1 || (await findLottery(id)) !== null;
}

export function insertPrizeStock(doc: PrizeStockDoc): Promise<boolean> {
  return insertOnce(STOCK, doc);
}

export async function findPrizeStock(lotteryId: string): Promise<PrizeStockDoc[]> {
  const result = (await database().collection(STOCK).where({ lotteryId }).limit(100).get()) as unknown as { data: PrizeStockDoc[] };
  return result.data;
}

/** One unit of a prize with a conditional decrement: false when none is left (stock never goes below zero). */
export async function takePrizeUnit(lotteryId: string, prizeId: string, now: Date): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(STOCK)
    .where({ _id: stockId(lotteryId, prizeId), stockLeft: _.gte(1) })
    .update({ data: { stockLeft: _.inc(-1), lastTakeAt: now } });
  return updatedCount(result) === 1;
}

export async function giveBackPrizeUnit(lotteryId: string, prizeId: string): Promise<void> {
  await database()
    .collection(STOCK)
    .doc(stockId(lotteryId, prizeId))
    .update({ data: { stockLeft: database().command.inc(1) } });
}

/**
 * A unit of the day's total for everyone, by a conditional increment of the day's counter (made
 * at 0 on first use): false when the day's total is reached.
 */
export async function takeDaySlot(lotteryId: string, day: string, total: number): Promise<boolean> {
  await insertOnce(DAYS, { _id: dayId(lotteryId, day), lotteryId, day, count: 0 });
  const _ = database().command;
  const result = await database()
    .collection(DAYS)
    .where({ _id: dayId(lotteryId, day), count: _.lt(total) })
    .update({ data: { count: _.inc(1) } });
  return updatedCount(result) === 1;
}

/** Gives a draw's day slot back once: the flag flips first, the counter follows. */
export async function returnDaySlot(draw: DrawDoc): Promise<void> {
  const result = await database()
    .collection(DRAWS)
    .where({ _id: draw._id, slotTaken: true, slotReturned: database().command.neq(true) })
    .update({ data: { slotReturned: true } });
  if (updatedCount(result) !== 1) return;
  await database()
    .collection(DAYS)
    .doc(dayId(draw.lotteryId, draw.day))
    .update({ data: { count: database().command.inc(-1) } });
}

export function insertDraw(doc: DrawDoc): Promise<boolean> {
  return insertOnce(DRAWS, doc);
}

export function findDraw(id: string): Promise<DrawDoc | null> {
  return findById<DrawDoc>(DRAWS, id);
}

/** A conditional update: true when the draw matched `where` (its current state and fields). */
export async function updateDraw(id: string, where: Record<string, unknown>, fields: Record<string, unknown>): Promise<boolean> {
  const result = await database()
    .collection(DRAWS)
    .where({ _id: id, ...where })
    .update({ data: fields });
  return updatedCount(result) === 1;
}

export async function listMemberDraws(memberId: string, filter: { lotteryId?: string; onlyWon?: boolean }, limit = 50): Promise<DrawDoc[]> {
  const _ = database().command;
  const where: Record<string, unknown> = { memberId, ...(filter.lotteryId ? { lotteryId: filter.lotteryId } : {}) };
  if (filter.onlyWon) Object.assign(where, { state: 'done', 'prize.kind': _.neq('thanks') });
  const result = (await database().collection(DRAWS).where(where).orderBy('createdAt', 'desc').limit(limit).get()) as unknown as {
    data: DrawDoc[];
  };
  return result.data;
}

/** Draws still `pending` last changed before `before`, oldest first (the sweep's work). */
export async function findStaleDraws(before: Date, limit: number): Promise<DrawDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(DRAWS)
    .where({ state: 'pending', updatedAt: _.lt(before) })
    .orderBy('updatedAt', 'asc')
    .limit(limit)
    .get()) as unknown as { data: DrawDoc[] };
  return result.data;
}

/** Draws of a lottery that hold a unit of a prize (settled with it, or pending holding it). */
export async function countPrizeHolders(lotteryId: string, prizeId: string): Promise<number> {
  const result = (await database().collection(DRAWS).where({ lotteryId, prizeId }).count()) as { total: number };
  return result.total;
}

/** Prize stock that moved since its last reconcile and has been quiet since `quietBefore`. */
export async function findStockToReconcile(quietBefore: Date, limit: number): Promise<PrizeStockDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(STOCK)
    .where({ lastTakeAt: _.lt(quietBefore) })
    .limit(limit)
    .get()) as unknown as { data: PrizeStockDoc[] };
  return result.data.filter(
    (doc) => !doc.reconciledAt || new Date(doc.reconciledAt).getTime() < new Date(doc.lastTakeAt as Date).getTime(),
  );
}

/** Gives back `units` with a compare-and-set on the value counted against: false when it moved meanwhile. */
export async function settlePrizeStock(doc: PrizeStockDoc, units: number, now: Date): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(STOCK)
    .where({ _id: doc._id, stockLeft: doc.stockLeft, lastTakeAt: doc.lastTakeAt })
    .update({ data: { stockLeft: _.inc(units), reconciledAt: now } });
  return updatedCount(result) === 1;
}

/** A lottery's draws by state, prizes won, points taken and unclaimed product prizes, for the console. */
export async function tallyDraws(lotteryId: string): Promise<{
  byState: Record<string, number>;
  wonByPrize: Record<string, number>;
  pointsTaken: number;
  unclaimed: number;
}> {
  const db = database();
  const $ = db.command.aggregate;
  const byState: Record<string, number> = {};
  const wonByPrize: Record<string, number> = {};
  let pointsTaken = 0;
  const states = (await db
    .collection(DRAWS)
    .aggregate()
    .match({ lotteryId })
    .group({ _id: { state: '$state', prizeId: '$prizeId', pointsTaken: '$pointsTaken' }, count: $.sum(1), price: $.sum('$price') })
    .limit(MAX_PER_QUERY)
    .end()) as { list: Array<{ _id: { state: string; prizeId: string | null; pointsTaken: boolean }; count: number; price: number }> };
  for (const row of states.list) {
    byState[row._id.state] = (byState[row._id.state] ?? 0) + row.count;
    if (row._id.state === 'done' && row._id.prizeId) wonByPrize[row._id.prizeId] = (wonByPrize[row._id.prizeId] ?? 0) + row.count;
    if (row._id.pointsTaken) pointsTaken += row.price;
  }
  const unclaimed = (await db.collection(DRAWS).where({ lotteryId, claim: 'unclaimed' }).count()) as { total: number };
  return { byState, wonByPrize, pointsTaken, unclaimed: unclaimed.total };
}

/** The member's draws today (Shanghai) of a lottery, as counted against the daily limit. */
export async function countDrawnToday(lotteryId: string, memberId: string, day: string): Promise<number> {
  const doc = await findById<{ count: number }>(LIMITS, limitId(lotteryId, memberId, day));
  return Number(doc?.count ?? 0);
}

/**
 * Takes a draw's points in one transaction with what depends on them: the ledger entry
 * (`lottery:<drawId>`), the member's count against the daily limit, and `pointsTaken` on the draw
 * (only while it is `pending`: a sweep that abandoned it first wins). Refuses before writing
 * anything when the balance or the daily limit is short, so a refused transaction holds no
 * document another one waits for.
 */
export function spendForDraw(draw: DrawDoc, perMemberDaily: number, now: Date): Promise<Posted> {
  return postEntry(
    draw.memberId,
    `lottery:${draw._id}`,
    { source: 'lottery', title: `积分抽奖 ${draw.lotteryTitle}`, now },
    (view) => {
      const spent = spendPoints(view.account, draw.price);
      if (!spent) return { refused: 'insufficient_points', message: DRAW_REFUSAL_MESSAGES.insufficient_points };
      return {
        delta: -draw.price,
        account: spent.account,
        entry: { lots: spent.consumed, ref: { drawId: draw._id, lotteryId: draw.lotteryId } },
      };
    },
    async (tx) => {
      const current = await txFind<DrawDoc>(tx, DRAWS, draw._id);
      if (current?.state !== 'pending' || current.pointsTaken)
        return { refused: 'draw_moved', message: '抽奖已结束，请刷新后重试', code: 'CONFLICT' };
      const limit = await txFind<{ count: number }>(tx, LIMITS, limitId(draw.lotteryId, draw.memberId, draw.day));
      const count = Number(limit?.count ?? 0);
      if (count >= perMemberDaily)
        return { refused: 'daily_limit', message: DRAW_REFUSAL_MESSAGES.daily_limit, code: 'RESOURCE_EXHAUSTED' };
      const member = await txFind<{ points?: number }>(tx, MEMBERS, draw.memberId);
      if (Number(member?.points ?? 0) < draw.price)
        return { refused: 'insufficient_points', message: DRAW_REFUSAL_MESSAGES.insufficient_points };
      await tx
        .collection(LIMITS)
        .doc(limitId(draw.lotteryId, draw.memberId, draw.day))
        .set({ data: { lotteryId: draw.lotteryId, memberId: draw.memberId, day: draw.day, count: count + 1 } });
      await tx
        .collection(DRAWS)
        .doc(draw._id)
        .update({ data: { pointsTaken: true, updatedAt: now } });
      return null;
    },
  );
}

/** A points prize, once per draw (`lottery_prize:<drawId>`), expiring as the earning rules say. */
export async function earnPrizePoints(draw: DrawDoc, points: number, now: Date): Promise<Posted> {
  const rules = await findPointsRules();
  const expiresAt = expiryOf(rules.expiry, now);
  return postEntry(
    draw.memberId,
    `lottery_prize:${draw._id}`,
    { source: 'lottery_prize', title: `抽奖奖励 ${draw.lotteryTitle}`, now },
    (view) => ({
      delta: points,
      account: earnPoints(view.account, points, expiresAt),
      entry: { expiresAt, ref: { drawId: draw._id, lotteryId: draw.lotteryId } },
    }),
  );
}

export function findDrawsByIds(ids: string[]): Promise<DrawDoc[]> {
  return findByIds<DrawDoc>(DRAWS, ids);
}
