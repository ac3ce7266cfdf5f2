import type { ExchangeDoc } from './repository';
import { giveBackItemStock, returnExchangePoints, updateExchange } from './repository';

/** An exchange whose points were never taken: `failed`, and its unit back if it took one. */
export async function abandonExchange(doc: ExchangeDoc, reason: string, now: Date): Promise<void> {
  if (await updateExchange(doc._id, { state: 'pending', pointsTaken: false }, { state: 'failed', reason, updatedAt: now })) {
    await releaseUnit(doc);
  }
}

/** An exchange whose points were taken: the points back (once), the move to `to`, and the unit back unless it was delivered. */
export async function undoExchange(doc: ExchangeDoc, to: 'failed' | 'cancelled', reason: string, now: Date): Promise<void> {
  await returnExchangePoints(doc, to, reason, now);
  await releaseUnit(doc);
}

/** Gives the item's unit back once: the flag flips first, so two sweeps give back one unit. */
async function releaseUnit(doc: ExchangeDoc): Promise<void> {
  if (await updateExchange(doc._id, { stockTaken: true, stockReturned: false }, { stockReturned: true }))
    await giveBackItemStock(doc.itemId);
}
