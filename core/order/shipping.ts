import type { OrderState } from './transitions';
import { decideTransition } from './transitions';

/**
 * Shipping: who may ship which order, what a repeated shipment answers, and when a shipped order
 * completes by itself if the member never taps 确认收货.
 */

/** Days after shipment the scheduler completes an order (WeChat's own shops use 7–15). */
export const DEFAULT_AUTO_COMPLETE_DAYS = 7;
export const MAX_AUTO_COMPLETE_DAYS = 30;

/**
 * The auto-complete delay from its setting (`DUET_AUTO_COMPLETE_DAYS`): the default when unset or
 * empty, null when it is not a whole number of days from 1 to 30 (a misconfiguration to report,
 * never to guess around).
 */
export function autoCompleteDaysFrom(setting: string | undefined): number | null {
  if (setting === undefined || setting.trim() === '') return DEFAULT_AUTO_COMPLETE_DAYS;
  if (!/^\d+$/.test(setting.trim())) return null;
  const days = Number(setting.trim());
  return days >= 1 && days <= MAX_AUTO_COMPLETE_DAYS ? days : null;
}

export function autoCompleteAtFor(shippedAt: Date, days: number): Date {
  return new Date(shippedAt.getTime() + days * 24 * 3600_000);
}

export interface ShipmentAsk {
  carrier: string;
  trackingNo: string;
}

export type ShipmentDecision = { outcome: 'ship' } | { outcome: 'already_shipped' } | { outcome: 'refused'; reason: string };

/**
 * What shipping `order` with `ask` does. An order that carries the same shipment is
 * `already_shipped` whatever its state now (completed, refunding…), so a CSV run again changes
 * nothing; another shipment is refused, never overwritten. Only a paid order ships (the transition
 * table, actor admin); an order whose whole refund is open (refunding) is refused.
 */
export function decideShipment(
  order: { state: OrderState; shipment?: { carrier: string; trackingNo: string } | null; group?: { state: string } },
  ask: ShipmentAsk,
): ShipmentDecision {
  if (order.shipment) {
    if (sameShipment(order.shipment, ask)) return { outcome: 'already_shipped' };
    return {
      outcome: 'refused',
      reason: `already shipped as ${order.shipment.carrier} ${order.shipment.trackingNo}; a shipment is not changed`,
    };
  }
  if (order.group && order.group.state !== 'succeeded') {
    return { outcome: 'refused', reason: `a group-buy order ships once its group succeeded (the group is ${order.group.state})` };
  }
  if (decideTransition(order.state, 'ship', 'admin').ok) return { outcome: 'ship' };
  return { outcome: 'refused', reason: SHIP_REFUSALS[order.state] ?? `the order is ${order.state}: only a paid order ships` };
}

const SHIP_REFUSALS: Partial<Record<OrderState, string>> = {
  reserving: 'the order is still being created: not paid',
  created: 'the order is not paid yet',
  cancelled: 'the order was cancelled',
  refunding: 'the order is being refunded (a refund of the whole order is open)',
  refunded: 'the order was refunded',
};

/** Carriers compare without surrounding spaces, tracking numbers without case (SF123 = sf123). */
export function sameShipment(a: ShipmentAsk, b: ShipmentAsk): boolean {
  return a.carrier.trim() === b.carrier.trim() && a.trackingNo.toUpperCase() === b.trackingNo.toUpperCase();
}
