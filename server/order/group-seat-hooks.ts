import { DuetError } from '../../core/errors';
import type { OrderDoc } from './repository';

/**
 * What the order path asks of group-buy for an order that holds a group seat (`order.group`). The
 * group-buy feature sits above orders (it creates orders), so orders cannot import it: it installs
 * these hooks instead (`server/groupbuy/install.ts`), in every function that pays, cancels or sweeps
 * orders. A group order met where they were not installed is an error, never a silent skip.
 */
export interface GroupSeatHooks {
  /** Takes what the seat needs (limit, activity stock, the seat itself) while the order is `reserving`; throws a refusal. */
  takeSeat(order: OrderDoc, now: Date): Promise<void>;
  /** After payment: confirm the order's seat, or treat the payment as late (placed elsewhere or refunded). Idempotent. */
  settleSeat(order: OrderDoc, paidAt: Date, now: Date): Promise<void>;
  /** The order was cancelled or abandoned: free its seat and what it took. Idempotent. */
  releaseSeat(order: OrderDoc, now: Date): Promise<void>;
  /** A payment came for the cancelled order and is being refunded: tell the member. Idempotent. */
  latePaymentRefunded(order: OrderDoc, now: Date): Promise<void>;
}

let installed: GroupSeatHooks | null = null;

export function installGroupSeatHooks(hooks: GroupSeatHooks): void {
  installed = hooks;
}

export function groupSeatHooks(order: Pick<OrderDoc, '_id'>): GroupSeatHooks {
  if (!installed)
    throw new DuetError('INTERNAL', `order ${order._id} holds a group seat, but this function did not install the group-buy hooks`);
  return installed;
}
