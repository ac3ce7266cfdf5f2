import { requestDigest } from '../ids';
import type { AddressInput, OrderView, PaymentParams } from '../../core/contracts/order';
import { DuetError } from '../../core/errors';
import { orderNoOf } from '../../core/order/order-no';
import { creditOf } from '../../core/funnel/events';
import type { OrderLineInput } from '../../core/order/price-order';
import { lockCoupon } from '../coupon/lock-coupon';
import type { Caller } from '../handler';
import { log } from '../log';
import type { MemberDoc } from '../../core/member/member';
import { memberOfCaller } from '../member/resolve-member';
import { takeSkuStock } from '../shop/repository';
import { recordOrderEvent } from './order-notices';
import { toOrderView } from './order-view';
import { paySettings, unifiedOrder } from './pay-api';
import { couponChoiceOf, priceForMember, toQuoteView } from './price-for-member';
import { abandonReserving } from './release-order';
import { groupSeatHooks } from './group-seat-hooks';
import { settlePaid } from './apply-payment';
import {
  findOrder,
  insertOrder,
  insertReservation,
  moveOrder,
  type OrderDoc,
  type OrderBargain,
  type OrderExchange,
  type OrderPrize,
  type OrderGroup,
  updateOrder,
} from './repository';

/** The payment window: an order unpaid this long after it was made is cancelled (the scheduler's `expireOrders`). */
export const PAY_WINDOW_MS = 15 * 60_000;

export interface CreateOrderInput {
  lines: OrderLineInput[];
  coupon?: string;
  requestId: string;
  address: AddressInput;
}

export interface CreatedOrder {
  order: OrderView;
  payment: PaymentParams | null;
  repeated: boolean;
}

/**
 * The order's id, and its WeChat Pay `out_trade_no`: a hash of the member and the app's request id,
 * so a retried create finds the order it made (32 characters of [0-9a-f], within WeChat's 6-32).
 */
export function orderIdOf(memberId: string, requestId: string): string {
  return requestDigest(memberId, requestId).slice(0, 32);
}

/**
 * Creates an order from server prices. Steps, each safe to repeat: (1) write the order `reserving`
 * (its `_id` dedupes the request); (2) lock the coupon; (3) take each SKU's stock with a conditional
 * decrement and record a reservation; (4) move to `created`; (5) ask WeChat Pay for a prepay outside
 * any transaction and keep its parameters. A refusal at (2)–(3) gives back what was taken and
 * cancels the order; a crash leaves a `reserving` order the scheduler sweeps.
 */
export async function createOrder(caller: Caller, input: CreateOrderInput, now: Date): Promise<CreatedOrder> {
  // Refuse before anything is reserved when payments are not set up (README: deploy).
  paySettings();
  return placeOrder(await memberOfCaller(caller, now), input, {}, now);
}

/** What another feature's order adds to a plain one (group-buy: the group price, the hold as the payment window, the seat). */
export interface PlaceOrderOptions {
  /** Prices by SKU id that replace the SKUs' own, read from the database by the caller. */
  unitPrices?: ReadonlyMap<string, number>;
  /** The payment window's end, when shorter than the usual 15 minutes. */
  payBy?: Date;
  /** The group seat the order holds: taken first while reserving, released with the order (`group-seat-hooks.ts`). */
  group?: OrderGroup;
  /** A points-mall exchange: the points were taken already; `unitPrices` hold the cash part (0: nothing to pay). */
  exchange?: OrderExchange;
  /** A lottery's product prize: `unitPrices` hold 0, so the order is paid at once with nothing to pay. */
  prize?: OrderPrize;
  /** A bargain's order: `unitPrices` hold the task's price, computed on the server from the task. */
  bargain?: OrderBargain;
}

/** `createOrder` for a member already resolved, with another feature's options. */
export async function placeOrder(member: MemberDoc, input: CreateOrderInput, options: PlaceOrderOptions, now: Date): Promise<CreatedOrder> {
  paySettings();
  const orderId = orderIdOf(member._id, input.requestId);
  const existing = await findOrder(orderId);
  if (existing) return answerExisting(existing, now);

  const price = await priceForMember(member._id, input.lines, couponChoiceOf(input.coupon), now, false, options.unitPrices);
  const quote = toQuoteView(price, () => null);
  const problem = quote.problems[0];
  if (problem) {
    throw new DuetError('FAILED_PRECONDITION', `sku ${problem.skuId} cannot be ordered: ${problem.problem}`, {
      reason: problem.problem,
      message: problem.message,
    });
  }
  if (quote.couponProblem) {
    throw new DuetError('FAILED_PRECONDITION', `coupon ${input.coupon} does not apply: ${quote.couponProblem.reason}`, quote.couponProblem);
  }
  const { priced } = price;
  const doc: OrderDoc = {
    _id: orderId,
    memberId: member._id,
    requestId: input.requestId,
    orderNo: orderNoOf(orderId, now),
    state: 'reserving',
    lines: priced.lines.map((line) => ({ ...line, imageFileId: price.imageOf.get(line.skuId) ?? null })),
    subtotal: priced.subtotal,
    discount: priced.discount,
    payable: priced.payable,
    couponId: priced.coupon?.couponId ?? null,
    address: input.address,
    createdAt: now,
    payBy: options.payBy ?? new Date(now.getTime() + PAY_WINDOW_MS),
    ...(options.group ? { group: options.group } : {}),
    ...(options.exchange ? { exchange: options.exchange } : {}),
    ...(options.prize ? { prize: options.prize } : {}),
    ...(options.bargain ? { bargain: options.bargain } : {}),
    credit: creditOf(member),
  };
  if (!(await insertOrder(doc))) {
    const raced = await findOrder(orderId);
    if (!raced) throw new DuetError('INTERNAL', `order ${orderId} exists and cannot be read`);
    return answerExisting(raced, now);
  }

  await reserve(doc, now);
  if (!(await moveOrder(orderId, ['reserving'], 'created', {}))) {
    // The sweep gave up on this order while we worked (it took minutes): it holds nothing now.
    throw new DuetError('UNAVAILABLE', `order ${orderId} was swept while reserving`);
  }
  doc.state = 'created';
  await recordOrderEvent('order_created', orderId, doc, {
    fen: doc.payable,
    at: now,
    ...(doc.group ? { groupId: doc.group.groupId } : {}),
  });
  if (isPaidInPoints(doc)) return { order: await toOrderView(await payInPoints(doc, now), now, []), payment: null, repeated: false };
  const payment = await requestPrepay(doc);
  // A new order has no refunds: its view needs no read of them.
  return { order: await toOrderView(doc, now, []), payment, repeated: false };
}

async function reserve(doc: OrderDoc, now: Date): Promise<void> {
  try {
    // The seat first: a refusal (full, limit, sold out) costs the coupon and stock nothing.
    if (doc.group) await groupSeatHooks(doc).takeSeat(doc, now);
    if (doc.couponId) await lockCoupon({ couponId: doc.couponId, memberId: doc.memberId, orderId: doc._id }, now);
    for (const line of doc.lines) {
      if (!(await takeSkuStock(line.skuId, line.quantity, now))) {
        throw new DuetError('FAILED_PRECONDITION', `sku ${line.skuId} has fewer than ${line.quantity} left`, {
          reason: 'insufficient_stock',
          message: `${line.name}库存不足`,
        });
      }
      await insertReservation({
        _id: `res:${doc._id}:${line.skuId}`,
        orderId: doc._id,
        skuId: line.skuId,
        quantity: line.quantity,
        state: 'held',
        createdAt: now,
      });
    }
  } catch (error) {
    await abandonReserving(doc, 'reserve_failed', now);
    throw error;
  }
}

/** A create sent again (a retry, a double tap): the same order, and its payment if it still awaits one. */
async function answerExisting(order: OrderDoc, now: Date): Promise<CreatedOrder> {
  if (order.state === 'reserving') throw new DuetError('CONFLICT', `order ${order._id} is still being created`);
  if (order.state === 'created' && isPaidInPoints(order))
    return { order: await toOrderView(await payInPoints(order, now), now), payment: null, repeated: true };
  const payment = order.state === 'created' && new Date(order.payBy).getTime() > now.getTime() ? await requestPrepay(order) : null;
  return { order: await toOrderView(order, now), payment, repeated: true };
}

/** An exchange's order with no cash part (the points paid it), or a lottery prize's: WeChat Pay has nothing to take. */
function isPaidInPoints(order: OrderDoc): boolean {
  return Boolean(order.exchange || order.prize) && order.payable === 0;
}

/** created → paid without a payment (the points were taken by the exchange), then everything payment implies. */
async function payInPoints(order: OrderDoc, now: Date): Promise<OrderDoc> {
  const fields = { paidAt: now, transactionId: null, payTime: now };
  if (await moveOrder(order._id, ['created'], 'paid', fields)) {
    const paid = { ...order, ...fields, state: 'paid' as const };
    await settlePaid(paid, now);
    return paid;
  }
  return (await findOrder(order._id)) ?? order;
}

/**
 * The prepay's parameters: kept on the order the first time, so a repeat answers without calling
 * WeChat Pay; a call that failed is tried again on the next ask (same out_trade_no and content, so
 * WeChat Pay answers the same prepay).
 */
export async function requestPrepay(order: OrderDoc): Promise<PaymentParams | null> {
  if (order.payment) return order.payment as unknown as PaymentParams;
  const answer = await unifiedOrder({ outTradeNo: order._id, totalFee: order.payable, body: payBody(order) });
  if (!answer.ok) {
    log('warn', { event: 'unifiedOrder refused', orderId: order._id, kind: answer.kind, errCodeDes: answer.errCodeDes });
    return null;
  }
  await updateOrder(order._id, { payment: answer.value });
  return answer.value;
}

/** WeChat Pay's `body` (≤ 128 bytes): the brand's shop and the first line's name. */
function payBody(order: OrderDoc): string {
  const first = order.lines[0]?.name ?? '商品';
  const more = order.lines.length > 1 ? `等${order.lines.length}件` : '';
  let body = `Duet商城-${first}${more}`;
  while (Buffer.byteLength(body, 'utf8') > 128) body = body.slice(0, -1);
  return body;
}
