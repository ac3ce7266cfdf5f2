import { elapsedMs } from '../clock';
import { log } from '../log';
import { applyPayment, settlePaid } from './apply-payment';
import { cancelOrder, closePrepay } from './cancel-order';
import { queryOrder } from './pay-api';
import { abandonReserving, releaseHoldings } from './release-order';
import {
  findCancelledWithOpenPrepay,
  findOrdersDue,
  findUnreleasedCancelledOrders,
  findUnsettledPaidOrders,
  type OrderDoc,
} from './repository';

const BATCH = 50;
/** A create takes seconds; an order still `reserving` after this crashed midway. */
const RESERVING_STALE_MS = 2 * 60_000;
/** A paid order whose follow-ups are not done this long after payment lost its callback's retries. */
const SETTLE_STALE_MS = 60_000;

export interface ExpireOrdersResult {
  swept: number;
  /** Cancelled orders whose prepay was closed again (the close at the cancel had failed). */
  reclosed: number;
  expired: number;
  paidByQuery: number;
  settled: number;
  errors: number;
  more: boolean;
}

/**
 * The scheduler's order sweep, safe to run twice at once (every step is a conditional update):
 * orders stuck `reserving` give back what they hold; cancelled orders whose prepay could not be
 * closed are closed again; unpaid orders past their window are first
 * asked about (`queryOrder`: a lost callback), then closed and cancelled; paid orders whose
 * follow-ups did not finish are settled.
 */
export async function expireOrders(now: Date, budgetMs: number): Promise<ExpireOrdersResult> {
  const started = performance.now();
  const result: ExpireOrdersResult = { swept: 0, reclosed: 0, expired: 0, paidByQuery: 0, settled: 0, errors: 0, more: false };
  const within = () => elapsedMs(started) < budgetMs;

  for (const order of await findOrdersDue('reserving', 'createdAt', new Date(now.getTime() - RESERVING_STALE_MS), BATCH)) {
    if (!within()) return { ...result, more: true };
    if (await abandonReserving(order, 'reserve_abandoned', now)) result.swept += 1;
  }

  // Cancelled orders whose holdings were not given back (a crash right after the cancel).
  for (const order of await findUnreleasedCancelledOrders(new Date(now.getTime() - SETTLE_STALE_MS), BATCH)) {
    if (!within()) return { ...result, more: true };
    await releaseHoldings(order, now, true);
    result.swept += 1;
  }

  // Cancelled orders whose prepay WeChat Pay did not confirm closed: close again, so a payment made
  // meanwhile (its callbacks lost) is found and refunded.
  for (const order of await findCancelledWithOpenPrepay(new Date(now.getTime() - SETTLE_STALE_MS), BATCH)) {
    if (!within()) return { ...result, more: true };
    await closePrepay(order, now);
    result.reclosed += 1;
  }

  const overdue = await findOrdersDue('created', 'payBy', now, BATCH);
  for (const order of overdue) {
    if (!within()) return { ...result, more: true };
    try {
      const outcome = await expireOne(order, now);
      if (outcome === 'paid') result.paidByQuery += 1;
      else if (outcome === 'expired') result.expired += 1;
    } catch (error) {
      // WeChat Pay did not answer: the order stays as it is and the next run asks again.
      result.errors += 1;
      log('warn', { event: 'expire order failed', orderId: order._id, error: error instanceof Error ? error.message : String(error) });
    }
  }

  for (const order of await findUnsettledPaidOrders(new Date(now.getTime() - SETTLE_STALE_MS), BATCH)) {
    if (!within()) return { ...result, more: true };
    await settlePaid(order, now);
    result.settled += 1;
  }
  return { ...result, more: overdue.length === BATCH };
}

async function expireOne(order: OrderDoc, now: Date): Promise<'paid' | 'expired' | 'none'> {
  if (order.payment) {
    const answer = await queryOrder(order._id);
    if (answer.ok && (answer.value.tradeState === 'SUCCESS' || answer.value.tradeState === 'REFUND')) {
      const outcome = await applyPayment({ outTradeNo: order._id, ...answer.value }, now);
      return outcome === 'paid' ? 'paid' : 'none';
    }
    if (!answer.ok && answer.kind !== 'not_found') throw new Error(`queryOrder ${order._id}: ${answer.errCodeDes}`);
  }
  return (await cancelOrder(order, 'expire', 'system', now)) ? 'expired' : 'none';
}
