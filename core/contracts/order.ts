import * as z from 'zod/mini';
import { defineContract } from '../contract';
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES } from '../order/price-order';
import { REFUND_STATES } from '../order/refund';
import { ORDER_STATES } from '../order/transitions';

const Id = z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const RequestId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId is 8-64 of A-Z a-z 0-9 _ -'));
const Text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/**
 * Money fields an app (or a tampered request) may send: accepted and never read — the server prices
 * every order from the database. Anything else unknown is refused.
 */
const IGNORED = z.optional(z.unknown());
const ignoredLineMoney = { price: IGNORED, unitPrice: IGNORED, lineTotal: IGNORED, discount: IGNORED, payable: IGNORED };
const ignoredOrderMoney = { total: IGNORED, subtotal: IGNORED, discount: IGNORED, payable: IGNORED, totalFee: IGNORED };

const LineInput = z.strictObject({ skuId: Id, quantity: z.int().check(z.gte(1), z.lte(MAX_LINE_QUANTITY)), ...ignoredLineMoney });
const Lines = z.array(LineInput).check(z.minLength(1), z.maxLength(MAX_ORDER_LINES));
/** "best" (default), "none", or a coupon id of the caller's. */
const CouponChoice = z.optional(z.union([z.literal('best'), z.literal('none'), Id]));

export const AddressInput = z.strictObject({
  name: Text(20),
  phone: z.string().check(z.regex(/^1\d{10}$/, 'phone is an 11-digit mobile number')),
  region: Text(60),
  detail: Text(120),
});
export type AddressInput = z.infer<typeof AddressInput>;

export const OrderLineView = z.object({
  skuId: z.string(),
  productId: z.string(),
  name: z.string(),
  specs: z.record(z.string(), z.string()),
  /** A cover image URL for the line (null when the product has none). */
  imageUrl: z.nullable(z.string()),
  unitPrice: z.int(),
  quantity: z.int(),
  lineTotal: z.int(),
  discount: z.int(),
  payable: z.int(),
});
export type OrderLineView = z.infer<typeof OrderLineView>;

export const QuoteView = z.object({
  lines: z.array(OrderLineView),
  subtotal: z.int(),
  discount: z.int(),
  payable: z.int(),
  coupon: z.nullable(z.object({ couponId: z.string(), name: z.string(), discount: z.int() })),
  /** Every coupon of the caller's that applies, the best first. */
  applicable: z.array(z.object({ couponId: z.string(), name: z.string(), discount: z.int() })),
  inapplicable: z.array(z.object({ couponId: z.string(), name: z.string(), reason: z.string(), message: z.string() })),
  /** Lines that cannot be bought as asked (create refuses while there are any), with a Chinese message. */
  problems: z.array(z.object({ skuId: z.string(), problem: z.string(), message: z.string(), available: z.optional(z.int()) })),
  /** Set when the chosen coupon does not apply (create refuses), with a Chinese message. */
  couponProblem: z.nullable(z.object({ reason: z.string(), message: z.string() })),
});
export type QuoteView = z.infer<typeof QuoteView>;

export const RefundView = z.object({
  refundId: z.string(),
  state: z.enum(REFUND_STATES),
  /** Fen. */
  amount: z.int(),
  reason: z.string(),
  createdAt: z.string(),
  succeededAt: z.nullable(z.string()),
});
export type RefundView = z.infer<typeof RefundView>;

export const OrderView = z.object({
  orderId: z.string(),
  /** 订单编号 (20 digits) for people; `orderId` is for calls. */
  orderNo: z.string(),
  state: z.enum(ORDER_STATES),
  lines: z.array(OrderLineView),
  subtotal: z.int(),
  discount: z.int(),
  payable: z.int(),
  couponId: z.nullable(z.string()),
  address: z.object({ name: z.string(), phone: z.string(), region: z.string(), detail: z.string() }),
  createdAt: z.string(),
  /** Unpaid orders are cancelled at this time (server clock). */
  payBy: z.string(),
  paidAt: z.nullable(z.string()),
  cancelledAt: z.nullable(z.string()),
  shipment: z.nullable(z.object({ carrier: z.string(), trackingNo: z.string(), shippedAt: z.string() })),
  /** A shipped order completes by itself at this time unless the member confirms first. */
  autoCompleteAt: z.nullable(z.string()),
  completedAt: z.nullable(z.string()),
  /** Fen refunded so far (succeeded refunds). */
  refunded: z.int(),
  refunds: z.array(RefundView),
  /** A group-buy order's group: while `waiting` it ships only once the group succeeds, and a failed group refunds it. */
  group: z.nullable(
    z.object({ groupId: z.string(), activityId: z.string(), state: z.enum(['waiting', 'succeeded', 'failed', 'late_refunded']) }),
  ),
  /** What the member may do now. */
  can: z.object({ pay: z.boolean(), cancel: z.boolean(), confirmReceipt: z.boolean(), requestRefund: z.boolean() }),
  /** Points paid besides `payable`: set on a points-mall exchange's order (积分 + ¥). */
  points: z.optional(z.int()),
});
export type OrderView = z.infer<typeof OrderView>;

/** What `Taro.requestPayment` takes, as cloudPay.unifiedOrder answered it. */
export const PaymentParams = z.object({
  timeStamp: z.string(),
  nonceStr: z.string(),
  package: z.string(),
  signType: z.string(),
  paySign: z.string(),
});
export type PaymentParams = z.infer<typeof PaymentParams>;

export const orderContract = defineContract('order', {
  /** Prices from the database: a price, total or discount sent by the app is never read. */
  quote: {
    input: z.strictObject({ lines: Lines, coupon: CouponChoice, ...ignoredOrderMoney }),
    output: QuoteView,
  },
  /** Reserves stock, locks the coupon, writes the order and asks WeChat Pay for a prepay; the same requestId answers the same order. */
  create: {
    input: z.strictObject({ lines: Lines, coupon: CouponChoice, requestId: RequestId, address: AddressInput, ...ignoredOrderMoney }),
    output: z.object({ order: OrderView, payment: z.nullable(PaymentParams), repeated: z.boolean() }),
  },
  /** The payment parameters of an unpaid order again (the member closed the pay sheet and taps 去支付). */
  pay: {
    input: z.strictObject({ orderId: Id }),
    output: z.object({ order: OrderView, payment: PaymentParams }),
  },
  cancel: {
    input: z.strictObject({ orderId: Id }),
    output: z.object({ order: OrderView }),
  },
  list: {
    input: z.strictObject({ state: z.optional(z.enum(ORDER_STATES)) }),
    output: z.object({ orders: z.array(OrderView), serverTime: z.string() }),
  },
  detail: {
    input: z.strictObject({ orderId: Id }),
    output: z.object({ order: OrderView, serverTime: z.string() }),
  },
  confirmReceipt: {
    input: z.strictObject({ orderId: Id }),
    output: z.object({ order: OrderView }),
  },
  /** The whole order, before shipment; after it, refunds are an operator's decision (`refundOrder`). */
  requestRefund: {
    input: z.strictObject({ orderId: Id, reason: Text(200) }),
    output: z.object({ order: OrderView, refund: RefundView }),
  },
  /** How many of the caller's orders are in each state (the member center's counts). */
  counts: {
    input: z.strictObject({}),
    output: z.object({ counts: z.record(z.string(), z.int()) }),
  },
});
export type OrderContract = typeof orderContract;
