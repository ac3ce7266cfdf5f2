import { requestDigest } from '../ids';
import type { AddressInput, PaymentParams } from '../../core/contracts/order';
import { DuetError } from '../../core/errors';
import { newCouponDoc } from '../../core/coupon/coupon';
import type { MemberDoc } from '../../core/member/member';
import { MALL_STATE_MESSAGES, mallItemState, needsAddress } from '../../core/points/mall';
import { findTemplate } from '../coupon/repository';
import { issueCoupon } from '../coupon/issue-coupon';
import type { Caller } from '../handler';
import { memberOfCaller } from '../member/resolve-member';
import { orderIdOf, placeOrder } from '../order/create-order';
import { findOrder } from '../order/repository';
import { log } from '../log';
import {
  countMine,
  type ExchangeDoc,
  findExchange,
  findItem,
  insertExchange,
  type MallItemDoc,
  spendForExchange,
  takeItemStock,
  updateExchange,
} from './repository';
import { abandonExchange, undoExchange } from './undo-exchange';

export interface ExchangeInput {
  itemId: string;
  requestId: string;
  address?: AddressInput;
}

export interface ExchangeOutcome {
  exchange: ExchangeDoc;
  payment: PaymentParams | null;
  repeated: boolean;
}

/** The exchange's id: the member and the app's request id, so a retry finds the exchange it made. */
export function exchangeIdOf(memberId: string, requestId: string): string {
  return `x${requestDigest(memberId, requestId).slice(0, 31)}`;
}

/** The order a product exchange places: its request id is derived from the exchange, so its id is known before it exists. */
export function exchangeOrderRequestId(exchangeId: string): string {
  return `exchange-${exchangeId}`;
}

/** An exchange as it starts: `pending`, holding nothing yet; a product's order id fixed before the order is placed. */
export function newExchangeDoc(memberId: string, requestId: string, item: MallItemDoc, now: Date): ExchangeDoc {
  const exchangeId = exchangeIdOf(memberId, requestId);
  return {
    _id: exchangeId,
    memberId,
    requestId,
    itemId: item._id,
    kind: item.kind,
    title: item.title,
    imageFileId: item.imageFileId,
    points: item.points,
    cash: item.cash,
    state: 'pending',
    stockTaken: false,
    pointsTaken: false,
    stockReturned: false,
    couponId: null,
    orderId: item.kind === 'coupon' ? null : orderIdOf(memberId, exchangeOrderRequestId(exchangeId)),
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Exchanges points for a mall item: atomically the points, a unit of stock and the item — or
 * nothing. Steps, each safe to repeat: (1) the exchange is written `pending` (its `_id` dedupes
 * the request); (2) a unit of the item's stock with a conditional decrement; (3) the points, the
 * member's limit count and `pointsTaken` in one transaction; (4) the item: a coupon through the
 * coupon path, or an order through the order path (paid by the points when there is no cash part).
 * A refusal at (2)–(4) gives back what was taken; a crash leaves a `pending` exchange that the
 * scheduler's `settleExchanges` finishes or undoes.
 */
export async function exchangeItem(caller: Caller, input: ExchangeInput, now: Date): Promise<ExchangeOutcome> {
  const member = await memberOfCaller(caller, now);
  const exchangeId = exchangeIdOf(member._id, input.requestId);
  const existing = await findExchange(exchangeId);
  if (existing) return { exchange: existing, payment: null, repeated: true };
  const item = await findItem(input.itemId);
  if (!item) throw new DuetError('NOT_FOUND', `mall item ${input.itemId} does not exist`);
  const state = mallItemState(item, {
    stockLeft: item.stockLeft,
    mine: await countMine(item._id, member._id),
    balance: Number(member.points ?? 0),
    now,
  });
  if (state !== 'available') {
    throw new DuetError(
      state === 'sold_out' || state === 'limit_reached' ? 'RESOURCE_EXHAUSTED' : 'FAILED_PRECONDITION',
      `item ${item._id} is ${state}`,
      {
        reason: state,
        message: MALL_STATE_MESSAGES[state],
      },
    );
  }
  if (needsAddress(item.kind) && !input.address) {
    throw new DuetError('INVALID_ARGUMENT', `item ${item._id} ships: an address is needed`, {
      reason: 'address_required',
      message: '请填写收货地址',
    });
  }
  const doc = newExchangeDoc(member._id, input.requestId, item, now);
  if (!(await insertExchange(doc))) {
    const raced = await findExchange(exchangeId);
    if (!raced) throw new DuetError('INTERNAL', `exchange ${exchangeId} exists and cannot be read`);
    return { exchange: raced, payment: null, repeated: true };
  }
  if (!(await takeItemStock(item._id, now))) {
    await abandonExchange(doc, 'sold_out', now);
    throw new DuetError('RESOURCE_EXHAUSTED', `item ${item._id} is sold out`, {
      reason: 'sold_out',
      message: MALL_STATE_MESSAGES.sold_out,
    });
  }
  doc.stockTaken = true;
  await updateExchange(exchangeId, { state: 'pending' }, { stockTaken: true });
  try {
    await spendForExchange(doc, item.perMemberLimit, now);
  } catch (error) {
    await abandonExchange(doc, (error as DuetError).refusal?.reason ?? 'points_failed', now);
    throw error;
  }
  doc.pointsTaken = true;
  return fulfil(doc, item, member, input.address, now);
}

/** Issues what the points paid for; a refusal on the way gives the points and the unit back. */
async function fulfil(
  doc: ExchangeDoc,
  item: MallItemDoc,
  member: MemberDoc,
  address: AddressInput | undefined,
  now: Date,
): Promise<ExchangeOutcome> {
  try {
    if (item.kind === 'coupon') {
      const couponId = await issueExchangeCoupon(doc, item, now);
      return { exchange: await finishExchange(doc, 'done', { couponId }, now), payment: null, repeated: false };
    }
    const placed = await placeOrder(
      member,
      {
        lines: [{ skuId: item.skuId as string, quantity: 1 }],
        coupon: 'none',
        requestId: exchangeOrderRequestId(doc._id),
        address: address as AddressInput,
      },
      { unitPrices: new Map([[item.skuId as string, item.cash]]), exchange: { exchangeId: doc._id, points: doc.points } },
      now,
    );
    const paid = placed.order.state !== 'created';
    return {
      exchange: await finishExchange(doc, paid ? 'done' : 'awaiting_payment', { orderId: placed.order.orderId }, now),
      payment: placed.payment,
      repeated: false,
    };
  } catch (error) {
    const reason = error instanceof DuetError ? (error.refusal?.reason ?? error.code) : 'fulfil_failed';
    if (doc.orderId && (await followPlacedOrder(doc, now))) {
      log('warn', { event: 'points.exchange_follows_order', exchangeId: doc._id, orderId: doc.orderId, reason });
      throw error;
    }
    log('warn', { event: 'points.exchange_undone', exchangeId: doc._id, reason });
    await undoExchange(doc, 'failed', reason, now);
    throw error;
  }
}

/**
 * An order placed before the failure (its prepay failed after it was created) can still be paid
 * from the order page: the exchange keeps its points and follows the order, as the sweep does for
 * one cut off (created → awaiting_payment, paid → done, still reserving → left to the sweep).
 * False when there is no such order, or it was cancelled: then the exchange is undone.
 */
async function followPlacedOrder(doc: ExchangeDoc, now: Date): Promise<boolean> {
  const order = await findOrder(doc.orderId as string);
  if (!order || order.state === 'cancelled') return false;
  if (order.state !== 'reserving') await finishExchange(doc, order.state === 'created' ? 'awaiting_payment' : 'done', {}, now);
  return true;
}

/** The coupon a coupon item gives, `_id` `exchange:<exchange>` (issued once whatever the retries). */
export async function issueExchangeCoupon(doc: ExchangeDoc, item: MallItemDoc, now: Date): Promise<string> {
  const template = await findTemplate(item.templateId as string);
  if (!template) throw new DuetError('NOT_FOUND', `coupon template ${item.templateId} of item ${item._id} is gone`);
  const coupon = newCouponDoc(template, { id: `exchange:${doc._id}`, memberId: doc.memberId, source: 'exchange', now });
  const outcome = await issueCoupon(template, coupon, now);
  if (outcome === 'sold_out') {
    throw new DuetError('RESOURCE_EXHAUSTED', `coupon template ${template._id} is sold out`, {
      reason: 'coupon_sold_out',
      message: '优惠券已发完',
    });
  }
  return coupon._id;
}

async function finishExchange(
  doc: ExchangeDoc,
  state: 'done' | 'awaiting_payment',
  fields: Record<string, unknown>,
  now: Date,
): Promise<ExchangeDoc> {
  await updateExchange(doc._id, { state: 'pending' }, { state, ...fields, updatedAt: now });
  return { ...doc, state, ...fields, updatedAt: now } as ExchangeDoc;
}
