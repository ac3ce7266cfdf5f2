import { findUnfinishedRefunds } from '../order/refund-repository';
import { refundRow } from './order-rows';

const DEFAULT_OLDER_THAN_MINUTES = 60;
const MAX_ROWS = 200;

/** `listStuckRefunds`: refunds asked for over an hour ago (or `olderThanMinutes`) and not finished, oldest first. */
export async function listStuckRefunds(request: { olderThanMinutes?: number }, now: Date) {
  const minutes = request.olderThanMinutes ?? DEFAULT_OLDER_THAN_MINUTES;
  const refunds = await findUnfinishedRefunds(new Date(now.getTime() - minutes * 60_000), MAX_ROWS);
  return { refunds: refunds.map(refundRow) };
}
