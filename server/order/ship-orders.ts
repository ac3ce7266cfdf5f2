import { DuetError } from '../../core/errors';
import {
  autoCompleteAtFor,
  autoCompleteDaysFrom,
  decideShipment,
  MAX_AUTO_COMPLETE_DAYS,
  type ShipmentAsk,
} from '../../core/order/shipping';
import { statesAllowing } from '../../core/order/transitions';
import { orderNoticeData, writeOrderNotice } from './order-notices';
import { findOrder, findOrders, moveOrder, type OrderDoc } from './repository';

export interface ShipmentResult {
  orderId: string;
  outcome: 'shipped' | 'already_shipped' | 'refused';
  reason?: string;
}

/**
 * Days from shipment to auto-completion: `DUET_AUTO_COMPLETE_DAYS` (the function's environment
 * variable), default 7. A value that is not 1–30 refuses to ship rather than guess.
 */
export function autoCompleteDays(env: NodeJS.ProcessEnv = process.env): number {
  const days = autoCompleteDaysFrom(env.DUET_AUTO_COMPLETE_DAYS);
  if (days === null) {
    throw new DuetError(
      'FAILED_PRECONDITION',
      `DUET_AUTO_COMPLETE_DAYS is ${JSON.stringify(env.DUET_AUTO_COMPLETE_DAYS)}: set a whole number of days from 1 to ${MAX_AUTO_COMPLETE_DAYS}, or unset it for 7`,
    );
  }
  return days;
}

/**
 * Ships paid orders, one result per shipment in the order given. Each is a conditional update
 * paid → shipped (the transition table, actor admin) with the shipment and `autoCompleteAt`; the one
 * that wins writes the `order.shipped` notice. A shipment an order already carries is
 * `already_shipped` and writes nothing new (its notice is written again only if missing), so a batch
 * run twice — or concurrently — ships each order once.
 */
export async function shipOrders(shipments: ReadonlyArray<ShipmentAsk & { orderId: string }>, now: Date): Promise<ShipmentResult[]> {
  const days = autoCompleteDays();
  const known = new Map((await findOrders(shipments.map((s) => s.orderId))).map((order) => [order._id, order]));
  const results: ShipmentResult[] = [];
  for (const ask of shipments) {
    const order = known.get(ask.orderId);
    if (!order) {
      results.push({ orderId: ask.orderId, outcome: 'refused', reason: 'no such order' });
      continue;
    }
    const result = await shipOne(order, ask, now, days);
    results.push(result);
    // The same order again later in the batch sees what this row did.
    if (result.outcome === 'shipped') known.set(order._id, (await findOrder(order._id)) ?? order);
  }
  return results;
}

async function shipOne(order: OrderDoc, ask: ShipmentAsk & { orderId: string }, now: Date, days: number): Promise<ShipmentResult> {
  let current = order;
  for (let round = 0; round < 2; round += 1) {
    const decision = decideShipment(current, ask);
    if (decision.outcome === 'refused') return { orderId: ask.orderId, outcome: 'refused', reason: decision.reason };
    if (decision.outcome === 'already_shipped') {
      // Heals a notice a run that died after the state flip did not write (insert-once: usually nothing).
      await writeShippedNotice(current, now);
      return { orderId: ask.orderId, outcome: 'already_shipped' };
    }
    const shipment = { carrier: ask.carrier.trim(), trackingNo: ask.trackingNo, shippedAt: now };
    const autoCompleteAt = autoCompleteAtFor(now, days);
    if (await moveOrder(current._id, statesAllowing('ship', 'admin'), 'shipped', { shipment, autoCompleteAt })) {
      await writeShippedNotice({ ...current, shipment, autoCompleteAt }, now);
      return { orderId: ask.orderId, outcome: 'shipped' };
    }
    // Someone moved it first (another shipment, a refund, a concurrent run): decide again on what it is now.
    const fresh = await findOrder(current._id);
    if (!fresh) break;
    current = fresh;
  }
  return { orderId: ask.orderId, outcome: 'refused', reason: `the order is ${current.state} and changed while shipping; try again` };
}

function writeShippedNotice(order: OrderDoc, now: Date): Promise<boolean> {
  if (!order.shipment) return Promise.resolve(false);
  const shippedAt = new Date(order.shipment.shippedAt);
  return writeOrderNotice(
    'order.shipped',
    order._id,
    order.memberId,
    { ...orderNoticeData(order), carrier: order.shipment.carrier, trackingNo: order.shipment.trackingNo },
    shippedAt,
    now,
  );
}
