import { elapsedMs } from '../clock';
import { findCoupon } from '../coupon/repository';
import { log } from '../log';
import { findOrders, type OrderDoc } from '../order/repository';
import { abandonExchange, undoExchange } from './undo-exchange';
import {
  countStockHolders,
  type ExchangeDoc,
  findExchangesToSettle,
  findItemsToReconcile,
  settleItemStock,
  updateExchange,
} from './repository';

/** Longer than a function can run (60 s): an exchange this old and still `pending` was cut off. */
export const EXCHANGE_STALE_MS = 2 * 60_000;
const BATCH = 50;

export interface SettleReport {
  finished: number;
  undone: number;
  paid: number;
  cancelled: number;
  /** Units of mall stock that a crash had stranded, given back. */
  returned: number;
  more: boolean;
}

/**
 * The exchanges' sweep. A `pending` exchange older than a function's life was cut off: one that
 * never took its points is failed (its unit given back); one that did is finished when its coupon
 * or order exists, else undone (points and unit back). An `awaiting_payment` exchange follows its
 * order: paid → done; cancelled unpaid → cancelled with the points back. Then items whose stock
 * has been quiet are reconciled: units taken but held by no exchange go back.
 */
export async function settleExchanges(now: Date, budgetMs: number): Promise<SettleReport> {
  const started = performance.now();
  const report: SettleReport = { finished: 0, undone: 0, paid: 0, cancelled: 0, returned: 0, more: false };
  const staleBefore = new Date(now.getTime() - EXCHANGE_STALE_MS);
  const stale = await findExchangesToSettle(['pending'], staleBefore, BATCH);
  const awaiting = await findExchangesToSettle(['awaiting_payment'], now, BATCH);
  const orders = await findOrders([...stale, ...awaiting].map((x) => x.orderId).filter((id): id is string => Boolean(id)));
  const orderOf = new Map(orders.map((order) => [order._id, order]));
  for (const exchange of stale) {
    if (elapsedMs(started) > budgetMs) return { ...report, more: true };
    await settleStale(exchange, exchange.orderId ? (orderOf.get(exchange.orderId) ?? null) : null, now, report);
  }
  for (const exchange of awaiting) {
    if (elapsedMs(started) > budgetMs) return { ...report, more: true };
    await followOrder(exchange, exchange.orderId ? (orderOf.get(exchange.orderId) ?? null) : null, now, report);
  }
  report.returned = await reconcileItemStock(now, staleBefore);
  report.more = stale.length === BATCH || awaiting.length === BATCH;
  return report;
}

async function settleStale(exchange: ExchangeDoc, order: OrderDoc | null, now: Date, report: SettleReport): Promise<void> {
  if (!exchange.pointsTaken) {
    await abandonExchange(exchange, 'interrupted', now);
    report.undone += 1;
    return;
  }
  if (exchange.kind === 'coupon') {
    const coupon = await findCoupon(`exchange:${exchange._id}`);
    if (coupon) {
      if (await updateExchange(exchange._id, { state: 'pending' }, { state: 'done', couponId: coupon._id, updatedAt: now }))
        report.finished += 1;
      return;
    }
    await undoExchange(exchange, 'failed', 'interrupted', now);
    report.undone += 1;
    return;
  }
  if (order && order.state === 'reserving') return; // The order's own sweep settles it first.
  if (order && order.state !== 'cancelled') {
    const state = order.state === 'created' ? 'awaiting_payment' : 'done';
    if (await updateExchange(exchange._id, { state: 'pending' }, { state, updatedAt: now })) report.finished += 1;
    return;
  }
  await undoExchange(exchange, 'failed', order ? 'order_cancelled' : 'interrupted', now);
  report.undone += 1;
}

/** An exchange waiting for its cash part follows its order. */
export async function followOrder(exchange: ExchangeDoc, order: OrderDoc | null, now: Date, report?: SettleReport): Promise<ExchangeDoc> {
  if (!order || order.state === 'created' || order.state === 'reserving') return exchange;
  if (order.state === 'cancelled') {
    await undoExchange(exchange, 'cancelled', order.cancelReason ?? 'unpaid', now);
    if (report) report.cancelled += 1;
    log('info', { event: 'points.exchange_cancelled', exchangeId: exchange._id, orderId: order._id });
    return { ...exchange, state: 'cancelled' };
  }
  if ((await updateExchange(exchange._id, { state: 'awaiting_payment' }, { state: 'done', updatedAt: now })) && report) report.paid += 1;
  return { ...exchange, state: 'done' };
}

/** Units a crash stranded (taken, held by no exchange) go back, with a compare-and-set on the stock counted against. */
async function reconcileItemStock(now: Date, quietBefore: Date): Promise<number> {
  let returned = 0;
  for (const item of await findItemsToReconcile(quietBefore, 20)) {
    const holders = await countStockHolders(item._id);
    const units = item.stock - item.stockLeft - holders;
    if (units < 0) {
      log('error', { event: 'points.mall_over_taken', itemId: item._id, holders, taken: item.stock - item.stockLeft });
      continue;
    }
    if (await settleItemStock(item, units, now)) returned += units;
  }
  return returned;
}
