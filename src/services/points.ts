import type { AddressInput } from '../../core/contracts/order';
import { callCloud } from './cloud';

export { newRequestId } from './request-id';

/** A page of the caller's history; the ledger answers newest first. */
export const LEDGER_PAGE_SIZE = 20;

/** Balance, today's check-in and its 7-day calendar, points expiring soon and how points are earned. */
export function summary() {
  return callCloud('points', 'summary', {});
}

/** The caller's history, newest first; `cursor` is the previous page's `nextCursor`. */
export function ledger(cursor?: string, limit = LEDGER_PAGE_SIZE) {
  return callCloud('points', 'ledger', cursor ? { cursor, limit } : { limit });
}

/** Today's check-in; done already (here or in the 公众号) answers `checkedIn: false` and adds nothing. */
export function checkIn() {
  return callCloud('points', 'checkIn', {});
}

/** The mall's items, each in the state it has for the caller, and the caller's balance. */
export function mall() {
  return callCloud('points', 'mall', {});
}

export function item(itemId: string) {
  return callCloud('points', 'item', { itemId });
}

/**
 * Exchanges points (and the cash part, through an order) for an item. The same requestId answers the
 * same exchange (`repeated`), so a retry never spends twice; the server prices it, never the app.
 */
export function exchange(input: { itemId: string; requestId: string; address?: AddressInput }) {
  return callCloud('points', 'exchange', input);
}

/** The caller's exchanges, newest first. */
export function exchanges() {
  return callCloud('points', 'exchanges', {});
}
