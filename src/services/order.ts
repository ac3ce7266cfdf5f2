import type { AddressInput } from '../../core/contracts/order';
import type { OrderState } from '../../core/order/transitions';
import { callCloud } from './cloud';

export { newRequestId } from './request-id';

export interface OrderLineInput {
  skuId: string;
  quantity: number;
}

/** "best" lets the server pick; "none" buys without; otherwise one of the member's coupon ids. */
export type CouponChoice = 'best' | 'none' | (string & {});

/** Prices from the server: what the page shows is what create will charge. */
export function quote(lines: OrderLineInput[], coupon: CouponChoice) {
  return callCloud('order', 'quote', { lines, coupon });
}

/** The same requestId answers the same order (`repeated`), so a retried create never orders twice. */
export function create(input: { lines: OrderLineInput[]; coupon: CouponChoice; requestId: string; address: AddressInput }) {
  return callCloud('order', 'create', input);
}

/** The payment parameters of an unpaid order again. */
export function pay(orderId: string) {
  return callCloud('order', 'pay', { orderId });
}

export function cancel(orderId: string) {
  return callCloud('order', 'cancel', { orderId });
}

export function list(state?: OrderState) {
  return callCloud('order', 'list', state ? { state } : {});
}

export function detail(orderId: string) {
  return callCloud('order', 'detail', { orderId });
}

export function confirmReceipt(orderId: string) {
  return callCloud('order', 'confirmReceipt', { orderId });
}

export function requestRefund(orderId: string, reason: string) {
  return callCloud('order', 'requestRefund', { orderId, reason });
}

export function counts() {
  return callCloud('order', 'counts', {});
}
