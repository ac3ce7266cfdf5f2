import { elapsedMs } from '../clock';
import { completeOrder, inviteMissedReviews } from './confirm-receipt';
import { findOrdersDue } from './repository';

const BATCH = 100;

/**
 * The scheduler's auto-complete: shipped orders past their `autoCompleteAt` (N days after shipment) → completed;
 * then the review invites of completions whose call died before writing theirs.
 */
export async function completeShippedOrders(now: Date, budgetMs: number): Promise<{ completed: number; invited: number; more: boolean }> {
  const started = performance.now();
  const due = await findOrdersDue('shipped', 'autoCompleteAt', now, BATCH);
  let completed = 0;
  for (const order of due) {
    if (elapsedMs(started) >= budgetMs) return { completed, invited: 0, more: true };
    if (await completeOrder(order._id, 'system', now)) completed += 1;
  }
  const invited = await inviteMissedReviews(now, BATCH);
  return { completed, invited, more: due.length === BATCH || invited === BATCH };
}
