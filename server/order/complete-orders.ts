import { elapsedMs } from '../clock';
import { completeOrder } from './confirm-receipt';
import { findOrdersDue } from './repository';

const BATCH = 100;

/** The scheduler's auto-complete: shipped orders past their `autoCompleteAt` (N days after shipment) → completed. */
export async function completeShippedOrders(now: Date, budgetMs: number): Promise<{ completed: number; more: boolean }> {
  const started = performance.now();
  const due = await findOrdersDue('shipped', 'autoCompleteAt', now, BATCH);
  let completed = 0;
  for (const order of due) {
    if (elapsedMs(started) >= budgetMs) return { completed, more: true };
    if (await completeOrder(order._id, 'system', now)) completed += 1;
  }
  return { completed, more: due.length === BATCH };
}
