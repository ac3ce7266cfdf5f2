import * as z from 'zod/mini';
import { defineContract } from '../contract';
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES } from '../order/price-order';
import { ORDER_STATES } from '../order/transitions';

const Id = z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const RequestId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId is 8-64 of A-Z a-z 0-9 _ -'));
const Text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

const LineInput = z.strictObject({ skuId: Id, quantity: z.int().check(z.gte(1), z.lte(MAX_LINE_QUANTITY)) });
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
  unitPrice: z.int(),
  quantity: z.int(),
  lineTotal: z.int(),
  discount: z.int(),
  payable: z.int(),
});

export const QuoteView = z.object({
  lines: z.array(OrderLineView),
  subtotal: z.int(),
  discount: z.int(),
  payable: z.int(),
  coupon: z.nullable(z.object({ couponId: z.string(), discount: z.int() })),
  applicable: z.array(z.object({ couponId: z.string(), name: z.string(), discount: z.int() })),
  inapplicable: z.array(z.object({ couponId: z.string(), name: z.string(), reason: z.string(), message: z.string() })),
  problems: z.array(z.object({ skuId: z.string(), problem: z.string(), message: z.string(), available: z.optional(z.int()) })),
});
export type QuoteView = z.infer<typeof QuoteView>;

export const OrderView = z.object({
  orderId: z.string(),
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
});
export type OrderView = z.infer<typeof OrderView>;

/** What `Taro.requestPayment` takes, as cloudPay.unifiedOrder answered it. */
const PaymentParams = z.object({
  timeStamp: z.string(),
  nonceStr: z.string(),
  package: z.string(),
  signType: z.string(),
  paySign: z.string(),
});

export const orderContract = defineContract('order', {
  /** Prices from the database: a price, total or discount sent by the app is never read. */
  quote: {
    input: z.strictObject({ lines: Lines, coupon: CouponChoice }),
    output: QuoteView,
  },
  /** Reserves stock, locks the coupon, writes the order and asks WeChat Pay for a prepay; the same requestId answers the same order. */
  create: {
    input: z.strictObject({ lines: Lines, coupon: CouponChoice, requestId: RequestId, address: AddressInput }),
    output: z.object({ order: OrderView, payment: z.nullable(PaymentParams), repeated: z.boolean() }),
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
});
export type OrderContract = typeof orderContract;
