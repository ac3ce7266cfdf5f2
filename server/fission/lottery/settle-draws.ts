import { elapsedMs } from '../../clock';
import { log } from '../../log';
import {
  countPrizeHolders,
  type DrawDoc,
  findLottery,
  findStaleDraws,
  findStockToReconcile,
  type LotteryDoc,
  settlePrizeStock,
} from './repository';
import { abandonDraw, settleDraw } from './settle-draw';

/** Longer than a function can run (60 s): a draw this old and still `pending` was cut off. */
export const DRAW_STALE_MS = 2 * 60_000;
const BATCH = 50;

export interface SettleDrawsReport {
  completed: number;
  abandoned: number;
  /** Units of prize stock a crash had stranded (taken, held by no draw), given back. */
  returned: number;
  more: boolean;
}

/**
 * The draws' sweep (the scheduler's `settleDraws`, hosted by `lotteryAdmin`). A `pending` draw
 * older than a function's life was cut off: one whose points were taken is completed exactly as
 * the call would have (same roll, same chain, the prize issued once by its key); one whose points
 * were never taken is abandoned (its day slot given back) — the conditional update on
 * `pointsTaken: false` and the points transaction's own check of the draw make the two exclusive.
 * Then prize stock that has been quiet is reconciled: units taken but held by no draw go back.
 */
export async function settleDraws(now: Date, budgetMs: number): Promise<SettleDrawsReport> {
  const started = performance.now();
  const report: SettleDrawsReport = { completed: 0, abandoned: 0, returned: 0, more: false };
  const staleBefore = new Date(now.getTime() - DRAW_STALE_MS);
  const stale = await findStaleDraws(staleBefore, BATCH);
  const lotteries = new Map<string, LotteryDoc | null>();
  for (const draw of stale) {
    if (elapsedMs(started) > budgetMs) return { ...report, more: true };
    if (!lotteries.has(draw.lotteryId)) lotteries.set(draw.lotteryId, await findLottery(draw.lotteryId));
    await settleStale(draw, lotteries.get(draw.lotteryId) ?? null, now, report);
  }
  report.returned = await reconcilePrizeStock(now, staleBefore);
  report.more = stale.length === BATCH;
  return report;
}

async function settleStale(draw: DrawDoc, lottery: LotteryDoc | null, now: Date, report: SettleDrawsReport): Promise<void> {
  if (!draw.pointsTaken) {
    if (await abandonDraw(draw, 'interrupted', now)) report.abandoned += 1;
    return;
  }
  if (!lottery) {
    log('error', { event: 'lottery.draw_without_lottery', drawId: draw._id, lotteryId: draw.lotteryId });
    return;
  }
  const settled = await settleDraw(draw, lottery, { memberId: draw.memberId }, now);
  if (settled.state === 'done') report.completed += 1;
}

/** Units a crash stranded (taken, held by no draw) go back, with a compare-and-set on the stock counted against. */
async function reconcilePrizeStock(now: Date, quietBefore: Date): Promise<number> {
  let returned = 0;
  for (const stock of await findStockToReconcile(quietBefore, 20)) {
    const holders = await countPrizeHolders(stock.lotteryId, stock.prizeId);
    const units = stock.stock - stock.stockLeft - holders;
    if (units < 0) {
      log('error', { event: 'lottery.prize_over_taken', stockId: stock._id, holders, taken: stock.stock - stock.stockLeft });
      continue;
    }
    if (await settlePrizeStock(stock, units, now)) returned += units;
  }
  return returned;
}
