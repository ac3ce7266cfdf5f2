import type { Credit } from '../../core/funnel/events';
import type { PricedLine } from '../../core/order/price-order';
import type { OrderState } from '../../core/order/transitions';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, findByIds, insertOnce, MAX_PER_QUERY, updatedCount } from '../documents';

/**
 * `orders` and `stock_reservations` (stock itself is taken in `skus` by the shop's repository). Each line an order holds is a reservation document whose state flips once
 * (held → confirmed | released), so a release gives stock back once however often it runs.
 */
const ORDERS = COLLECTIONS.orders;
const RESERVATIONS = COLLECTIONS.stockReservations;

export interface ReservationDoc {
  _id: string;
  orderId: string;
  skuId: string;
  quantity: number;
  /** held → confirmed (paid) | released (given back); `returned`: a refund's marker for units of it put back in stock. */
  state: 'held' | 'confirmed' | 'released' | 'returned';
  createdAt: Date;
  settledAt?: Date;
}

/** A group-buy order's seat: the group it holds a seat in, and how the group ended for it. */
export interface OrderGroup {
  activityId: string;
  groupId: string;
  leader: boolean;
  /** The member's display name, shown on the seat. */
  name: string;
  /** waiting (the group runs) → succeeded | failed; late_refunded: the payment lost its seat and is refunded. */
  state: 'waiting' | 'succeeded' | 'failed' | 'late_refunded';
  /** A late payment being placed into this group (written before the seat is taken, so a retry resumes it). */
  placing?: string;
  /** The group the payment was first meant for, when it was placed into another. */
  placedFrom?: string;
}

export interface OrderDoc {
  _id: string;
  memberId: string;
  requestId: string;
  /** 订单编号: what people read (core/order/order-no.ts). */
  orderNo: string;
  state: OrderState;
  /** The lines as priced when the order was made, with the product's first image (a cloud file id). */
  lines: Array<PricedLine & { imageFileId: string | null }>;
  subtotal: number;
  discount: number;
  payable: number;
  couponId: string | null;
  address: { name: string; phone: string; region: string; detail: string };
  createdAt: Date;
  payBy: Date;
  paidAt?: Date;
  /** When the money moved, as WeChat Pay says (`time_end`); the callback may arrive later. */
  payTime?: Date;
  cancelledAt?: Date;
  cancelReason?: string;
  /** What `Taro.requestPayment` takes, kept so 去支付 later answers the same prepay. */
  payment?: Record<string, string>;
  transactionId?: string | null;
  shipment?: { carrier: string; trackingNo: string; shippedAt: Date };
  autoCompleteAt?: Date;
  completedAt?: Date;
  /**
   * Set with the completion, removed once its `review.invite` notice is written: a completion whose call died
   * before the notice still gets it from the auto-complete job.
   */
  reviewInviteAt?: Date;
  /** Refunds: units of each line and fen promised to refunds so far (written in the refund's transaction). */
  refundedUnits?: Record<string, number>;
  refundReserved?: number;
  /** Every refund of the order, oldest first (their count is WeChat's 50-refund limit). */
  refundIds?: string[];
  /** Fen of refunds that succeeded. */
  refunded?: number;
  /** Set when a cancelled order's stock and coupon were given back. */
  releasedAt?: Date;
  /** Set when WeChat Pay confirmed a cancelled order's prepay closed: no payment can come any more. */
  prepayClosedAt?: Date;
  /** Set when the order's follow-ups after payment (coupon, stock, notice, member) are all done. */
  paidSettledAt?: Date;
  /** Set for a group-buy order: it holds a seat (`group-seat-hooks.ts`). */
  group?: OrderGroup;
  /** Set for a points-mall exchange's order: the points paid besides `payable` (no purchase points, no refund of points here). */
  exchange?: OrderExchange;
  /** Set for a lottery's product prize: delivered at no cash (nothing to pay, no purchase points, nothing to refund). */
  prize?: OrderPrize;
  /** Set for a bargain's order: the task whose price it was bought at (server/fission/bargain). */
  bargain?: OrderBargain;
  /** The member's touches when the order was made: its funnel events (paid, refunded) are credited to them. */
  credit?: Credit;
}

export interface OrderPrize {
  lotteryId: string;
  drawId: string;
}

export interface OrderExchange {
  exchangeId: string;
  points: number;
}

/** A bargain's order: its task, and the price the task started at and the fen its friends' cuts took off. */
export interface OrderBargain {
  bargainId: string;
  taskId: string;
  price: number;
  cut: number;
}

export function insertReservation(doc: ReservationDoc): Promise<boolean> {
  return insertOnce(RESERVATIONS, doc);
}

export async function findReservations(orderId: string): Promise<ReservationDoc[]> {
  const result = (await database().collection(RESERVATIONS).where({ orderId }).limit(100).get()) as unknown as { data: ReservationDoc[] };
  return result.data;
}

/** held → `to`, once: true when this call flipped it (a release gives the stock back only then). */
export async function flipReservation(id: string, to: 'confirmed' | 'released', now: Date): Promise<boolean> {
  const result = await database()
    .collection(RESERVATIONS)
    .where({ _id: id, state: 'held' })
    .update({ data: { state: to, settledAt: now } });
  return updatedCount(result) === 1;
}

export function insertOrder(doc: OrderDoc): Promise<boolean> {
  return insertOnce(ORDERS, doc);
}

export function findOrder(id: string): Promise<OrderDoc | null> {
  return findById<OrderDoc>(ORDERS, id);
}

/** Orders by id in one query (missing ones are simply absent). */
export function findOrders(ids: readonly string[]): Promise<OrderDoc[]> {
  return findByIds<OrderDoc>(ORDERS, ids);
}

/** Orders newest first, optionally one member's and/or in one state (what the console lists). */
export async function findRecentOrders(
  filter: { state?: OrderState; memberId?: string; orderNo?: string },
  limit: number,
): Promise<OrderDoc[]> {
  const where: Record<string, unknown> = {};
  if (filter.orderNo) where.orderNo = filter.orderNo;
  if (filter.memberId) where.memberId = filter.memberId;
  if (filter.state) where.state = filter.state;
  const result = (await database()
    .collection(ORDERS)
    .where(where)
    .orderBy('createdAt', 'desc')
    .limit(Math.min(limit, MAX_PER_QUERY))
    .get()) as unknown as { data: OrderDoc[] };
  return result.data;
}

/** Moves an order from one of `from` to `to` with `fields`: true when this call moved it. */
export async function moveOrder(
  id: string,
  from: readonly OrderState[],
  to: OrderState,
  fields: Record<string, unknown>,
): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(ORDERS)
    .where({ _id: id, state: from.length === 1 ? from[0] : _.in([...from]) })
    .update({ data: { ...fields, state: to } });
  return updatedCount(result) === 1;
}

/** The completion's `review.invite` is written: the order leaves the sweep's list. */
export async function clearReviewInvite(id: string): Promise<void> {
  await database()
    .collection(ORDERS)
    .doc(id)
    .update({ data: { reviewInviteAt: database().command.remove() } });
}

export async function updateOrder(id: string, fields: Record<string, unknown>): Promise<void> {
  await database().collection(ORDERS).doc(id).update({ data: fields });
}

/** A member's orders, newest first (at most 100), optionally in one state. */
export async function listMemberOrders(memberId: string, state?: OrderState): Promise<OrderDoc[]> {
  const where: Record<string, unknown> = { memberId };
  if (state) where.state = state;
  const result = (await database().collection(ORDERS).where(where).orderBy('createdAt', 'desc').limit(100).get()) as unknown as {
    data: OrderDoc[];
  };
  return result.data;
}

/** Orders in `state` whose `field` (a date) is before `before`, oldest first: what the scheduler's sweeps pick. */
export async function findOrdersDue(
  state: OrderState,
  field: 'payBy' | 'createdAt' | 'autoCompleteAt' | 'reviewInviteAt',
  before: Date,
  limit: number,
): Promise<OrderDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(ORDERS)
    .where({ state, [field]: _.lt(before) })
    .orderBy(field, 'asc')
    .limit(limit)
    .get()) as unknown as { data: OrderDoc[] };
  return result.data;
}

export interface PaymentIssueDoc {
  /** `<kind>:<out_trade_no>:<transaction id>`: a callback delivered again records nothing new. */
  _id: string;
  kind: 'unknown_order' | 'paid_after_cancel' | 'amount_mismatch';
  outTradeNo: string;
  transactionId: string | null;
  totalFee: number;
  feeType: string;
  detail: string;
  /** The refund that gives the money back, when one does. */
  refundId: string | null;
  createdAt: Date;
}

export function insertPaymentIssue(doc: PaymentIssueDoc): Promise<boolean> {
  return insertOnce(COLLECTIONS.paymentIssues, doc);
}

export async function listPaymentIssues(limit: number): Promise<PaymentIssueDoc[]> {
  const result = (await database()
    .collection(COLLECTIONS.paymentIssues)
    .orderBy('createdAt', 'desc')
    .limit(Math.min(limit, MAX_PER_QUERY))
    .get()) as unknown as { data: PaymentIssueDoc[] };
  return result.data;
}

/** Paid orders whose follow-ups (coupon, stock, notice, member) did not finish: a crash after the state moved. */
export async function findUnsettledPaidOrders(before: Date, limit: number): Promise<OrderDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(ORDERS)
    .where({ paidAt: _.lt(before), paidSettledAt: _.exists(false) })
    .limit(limit)
    .get()) as unknown as { data: OrderDoc[] };
  return result.data;
}

/** How many of a member's orders are in each state (one aggregate). */
export async function countMemberOrders(memberId: string): Promise<Record<string, number>> {
  const $ = database().command.aggregate;
  const result = (await database()
    .collection(ORDERS)
    .aggregate()
    .match({ memberId })
    .group({ _id: '$state', count: $.sum(1) })
    .end()) as unknown as { list: Array<{ _id: string; count: number }> };
  return Object.fromEntries(result.list.map((row) => [row._id, row.count]));
}

export async function findUnreleasedCancelledOrders(before: Date, limit: number): Promise<OrderDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(ORDERS)
    .where({ state: 'cancelled', cancelledAt: _.lt(before), releasedAt: _.exists(false) })
    .limit(limit)
    .get()) as unknown as { data: OrderDoc[] };
  return result.data;
}

/**
 * What the reservations of one SKU say about its stock: units held or sold (`live`), units refunds
 * put back (`returned`), and whether any reservation was written or settled since `since` (then a
 * give-back may still be on its way and the SKU is not counted this time).
 */
export async function summarizeSkuReservations(skuId: string, since: Date): Promise<{ live: number; returned: number; recent: boolean }> {
  const _ = database().command;
  const $ = _.aggregate;
  const result = (await database()
    .collection(RESERVATIONS)
    .aggregate()
    .match({ skuId })
    .group({ _id: '$state', units: $.sum('$quantity') })
    .end()) as unknown as { list: Array<{ _id: string; units: number }> };
  const units = (state: string) => result.list.find((row) => row._id === state)?.units ?? 0;
  const recent = (await database()
    .collection(RESERVATIONS)
    .where(
      _.or([
        { skuId, createdAt: _.gte(since) },
        { skuId, settledAt: _.gte(since) },
      ]),
    )
    .count()) as { total: number };
  return { live: units('held') + units('confirmed'), returned: units('returned'), recent: recent.total > 0 };
}

/** Cancelled orders with a prepay WeChat Pay has not confirmed closed (the close failed): a payment may still come. */
export async function findCancelledWithOpenPrepay(before: Date, limit: number): Promise<OrderDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(ORDERS)
    .where({ state: 'cancelled', cancelledAt: _.lt(before), payment: _.exists(true), prepayClosedAt: _.exists(false) })
    .limit(limit)
    .get()) as unknown as { data: OrderDoc[] };
  return result.data;
}

/** A group order's outcome, once: from `waiting`, while it still holds its seat in `groupId`. True when this call moved it. */
export async function updateOrderGroupState(orderId: string, groupId: string, state: 'succeeded' | 'failed'): Promise<boolean> {
  const result = await database()
    .collection(ORDERS)
    .where({ _id: orderId, 'group.groupId': groupId, 'group.state': 'waiting' })
    .update({ data: { 'group.state': state } });
  return updatedCount(result) === 1;
}

/**
 * A late payment's fate, decided on the order itself so that runs of the same payment at once (its
 * callback delivered twice, the sweep) agree: each step is conditional, and a run that loses a step
 * reads the order again and follows what won. While the seat is `waiting` in `from` (the group it
 * lost its seat in):
 * - `begin` names the group it is being placed into (only when none is named yet);
 * - `abandon` clears that name (that group had no room);
 * - `finish` moves the order's seat there (`placedFrom` keeps where it came from);
 * - `refund` gives up placing: `late_refunded` (only when no placement is named).
 * A placement that was finished, or a refund decided, excludes every other step.
 */
export async function markOrderPlacing(
  orderId: string,
  step: 'begin' | 'abandon' | 'finish' | 'refund',
  from: string,
  target: string | null,
): Promise<boolean> {
  const _ = database().command;
  const unnamed = { _id: orderId, 'group.state': 'waiting', 'group.groupId': from, 'group.placing': _.exists(false) };
  const named = { _id: orderId, 'group.state': 'waiting', 'group.groupId': from, 'group.placing': target };
  const [where, data] =
    step === 'begin'
      ? [unnamed, { 'group.placing': target }]
      : step === 'refund'
        ? [unnamed, { 'group.state': 'late_refunded' }]
        : step === 'abandon'
          ? [named, { 'group.placing': _.remove() }]
          : [named, { 'group.placing': _.remove(), 'group.groupId': target, 'group.leader': false, 'group.placedFrom': from }];
  const result = await database().collection(ORDERS).where(where).update({ data });
  return updatedCount(result) === 1;
}

/** Fen paid for an activity's group orders and not refunded, per activity (one aggregate): its revenue. */
export async function sumGroupRevenue(activityIds: readonly string[]): Promise<Map<string, number>> {
  if (activityIds.length === 0) return new Map();
  const _ = database().command;
  const $ = _.aggregate;
  const result = (await database()
    .collection(ORDERS)
    .aggregate()
    .match({ 'group.activityId': _.in([...activityIds]), paidAt: _.exists(true) })
    .group({ _id: '$group.activityId', paid: $.sum('$payable'), refunded: $.sum('$refunded') })
    .end()) as unknown as { list: Array<{ _id: string; paid: number; refunded: number }> };
  return new Map(result.list.map((row) => [row._id, row.paid - (row.refunded ?? 0)]));
}
