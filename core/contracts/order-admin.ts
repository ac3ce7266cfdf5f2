import * as z from 'zod/mini';
import { defineContract } from '../contract';
import { REFUND_STATES } from '../order/refund';
import { ORDER_STATES } from '../order/transitions';

/**
 * The `orderAdmin` function's console jobs: orders, shipping, refunds and payments that need an
 * operator. A function of its own so each console bundle stays within its budget; `npm run admin --
 * <job>` finds the function by the job's name.
 */

const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const RequestId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId is 8-64 of A-Z a-z 0-9 _ -'));
const Text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const Count = z.int();

export const OrderRow = z.object({
  id: z.string(),
  orderNo: z.string(),
  memberId: z.string(),
  state: z.enum(ORDER_STATES),
  /** Fen. */
  payable: Count,
  refunded: Count,
  /** Per line: units bought, what they cost after the coupon, and units promised to refunds so far. */
  lines: z.array(z.object({ skuId: z.string(), name: z.string(), quantity: Count, payable: Count, refundedUnits: Count })),
  couponId: z.nullable(z.string()),
  createdAt: z.string(),
  paidAt: z.nullable(z.string()),
  shipment: z.nullable(z.object({ carrier: z.string(), trackingNo: z.string(), shippedAt: z.string() })),
  /** When the scheduler completes a shipped order the member did not confirm. */
  autoCompleteAt: z.nullable(z.string()),
});

export const RefundRow = z.object({
  id: z.string(),
  orderId: z.string(),
  state: z.enum(REFUND_STATES),
  amount: Count,
  reason: z.string(),
  /** member, admin or system (a payment no order wanted). */
  requestedBy: z.string(),
  /** The member id, or the operator's openid (`console` for the cloud console). */
  requester: z.nullable(z.string()),
  attempts: Count,
  lastError: z.nullable(z.string()),
  createdAt: z.string(),
  nextAttemptAt: z.nullable(z.string()),
});

export const PaymentIssueRow = z.object({
  id: z.string(),
  kind: z.string(),
  outTradeNo: z.string(),
  /** Fen, as the callback said. */
  totalFee: Count,
  detail: z.string(),
  refundId: z.nullable(z.string()),
  createdAt: z.string(),
});

/** One order to ship: what the CLI reads from each CSV row, too. */
export const ShipmentInput = z.strictObject({
  orderId: Id,
  carrier: Text(30),
  trackingNo: z.string().check(z.regex(/^[A-Za-z0-9-]{4,40}$/, 'trackingNo is 4-40 of A-Z a-z 0-9 -')),
});

/** Shipments per call: the CLI sends a CSV in chunks of this many. */
export const MAX_SHIPMENTS_PER_CALL = 200;

export const orderAdminContract = defineContract('orderAdmin', {
  listOrders: {
    input: z.strictObject({
      state: z.optional(z.enum(ORDER_STATES)),
      memberId: z.optional(Id),
      /** The 订单编号 a member gives customer service. */
      orderNo: z.optional(z.string().check(z.regex(/^\d{20}$/, 'orderNo is the 20-digit 订单编号'))),
      limit: z.optional(z.int().check(z.gte(1), z.lte(500))),
    }),
    output: z.object({ orders: z.array(OrderRow) }),
  },
  /** Ships paid orders: one, or many (the CLI feeds a CSV in chunks; an order already shipped is reported, not changed). */
  shipOrder: {
    input: z.strictObject({
      shipments: z.array(ShipmentInput).check(z.minLength(1), z.maxLength(MAX_SHIPMENTS_PER_CALL)),
    }),
    output: z.object({
      results: z.array(
        z.object({ orderId: z.string(), outcome: z.enum(['shipped', 'already_shipped', 'refused']), reason: z.optional(z.string()) }),
      ),
    }),
  },
  /** An operator's refund: the whole order (no `lines`) or some units of some lines, in any state after payment. */
  refundOrder: {
    input: z.strictObject({
      orderId: Id,
      lines: z.optional(
        z.array(z.strictObject({ skuId: Id, quantity: z.int().check(z.gte(1), z.lte(99)) })).check(z.minLength(1), z.maxLength(50)),
      ),
      reason: Text(200),
      /** The same requestId answers the same refund. */
      requestId: RequestId,
    }),
    output: z.object({ refund: RefundRow, created: z.boolean() }),
  },
  /** Refunds not finished an hour after they were asked for, with their attempts and last error. */
  listStuckRefunds: {
    input: z.strictObject({ olderThanMinutes: z.optional(z.int().check(z.gte(0), z.lte(60 * 24 * 30))) }),
    output: z.object({ refunds: z.array(RefundRow) }),
  },
  /** Tries a refund again now (same out_refund_no) instead of waiting for its backoff. */
  retryRefund: {
    input: z.strictObject({ refundId: Id }),
    output: z.object({ refund: RefundRow }),
  },
  /** Payments that did not match an order (unknown, cancelled, wrong amount): what came and what was done. */
  listPaymentIssues: {
    input: z.strictObject({}),
    output: z.object({ issues: z.array(PaymentIssueRow) }),
  },
});
export type OrderAdminContract = typeof orderAdminContract;
