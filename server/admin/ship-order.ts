import { shipOrders } from '../order/ship-orders';

/**
 * `shipOrder`: paid orders → shipped with their carrier and tracking number, one result per row
 * (`shipped`, `already_shipped` or `refused` with a reason); the CLI feeds a CSV in chunks.
 */
export async function shipOrder(request: { shipments: Array<{ orderId: string; carrier: string; trackingNo: string }> }, now: Date) {
  return { results: await shipOrders(request.shipments, now) };
}
