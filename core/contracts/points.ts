import * as z from 'zod/mini';
import { defineContract } from '../contract';
import { EXCHANGE_STATES, MALL_ITEM_KINDS, MALL_ITEM_STATES } from '../points/mall';
import { LEDGER_SOURCES } from '../points/ledger';
import { AddressInput, PaymentParams } from './order';

const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const RequestId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId is 8-64 of A-Z a-z 0-9 _ -'));
/** Points or money an app (or a tampered request) may send: accepted and never read. */
const IGNORED = z.optional(z.unknown());

export const CalendarDay = z.object({
  /** Asia/Shanghai calendar day, YYYY-MM-DD. */
  day: z.string(),
  /** What the app prints under the cell: 今天, 明天 or 12/05. */
  label: z.string(),
  /** Points a check-in on that day gives (the streak bonus included on the bonus day). */
  points: z.int(),
  done: z.boolean(),
  today: z.boolean(),
  bonus: z.boolean(),
});
export type CalendarDay = z.infer<typeof CalendarDay>;

export const PointsSummary = z.object({
  balance: z.int(),
  /** The soonest points to expire within 30 days, or null: "120 积分将于 12月31日 过期". */
  expiring: z.nullable(z.object({ points: z.int(), at: z.string(), text: z.string() })),
  checkIn: z.object({
    /** Checked in today (Asia/Shanghai), in the mini-program or by sending 签到 to the 公众号. */
    done: z.boolean(),
    /** Consecutive days up to today (or up to yesterday when today is not done yet). */
    streak: z.int(),
    /** The 7-day calendar of the current streak cycle. */
    calendar: z.array(CalendarDay),
    /** One line: 连续签到 7 天额外 +20 积分. */
    rule: z.string(),
  }),
  /** How points are earned, one line each, in Chinese. */
  rules: z.array(z.string()),
  serverTime: z.string(),
});
export type PointsSummary = z.infer<typeof PointsSummary>;

export const LedgerEntryView = z.object({
  /** Stable key for lists (not shown). */
  key: z.string(),
  delta: z.int(),
  source: z.enum(LEDGER_SOURCES),
  /** 每日签到, 购物奖励, 兑换 5元券, 积分过期 …: what the member reads. */
  title: z.string(),
  at: z.string(),
  balanceAfter: z.int(),
});
export type LedgerEntryView = z.infer<typeof LedgerEntryView>;

export const MallItemView = z.object({
  itemId: z.string(),
  kind: z.enum(MALL_ITEM_KINDS),
  title: z.string(),
  /** One line under the title: 满99可用 · 领取后7天有效, 包邮到家, 积分+现金. */
  subtitle: z.string(),
  imageUrl: z.nullable(z.string()),
  points: z.int(),
  /** The cash part (fen), 0 when the item is points only. */
  cash: z.int(),
  /** The product's own price (fen) shown struck through, for product items. */
  originalPrice: z.nullable(z.int()),
  stockLeft: z.int(),
  perMemberLimit: z.int(),
  /** How many the caller has exchanged (0 for a visitor). */
  mine: z.int(),
  startAt: z.string(),
  endAt: z.string(),
  /** What the main button says: available 立即兑换, or why not. */
  state: z.enum(MALL_ITEM_STATES),
  /** Whether the exchange ships (asks for an address). */
  needsAddress: z.boolean(),
});
export type MallItemView = z.infer<typeof MallItemView>;

export const ExchangeView = z.object({
  exchangeId: z.string(),
  itemId: z.string(),
  kind: z.enum(MALL_ITEM_KINDS),
  title: z.string(),
  imageUrl: z.nullable(z.string()),
  points: z.int(),
  cash: z.int(),
  state: z.enum(EXCHANGE_STATES),
  /** 已兑换, 待支付, 已发货 …: the state in the member's words. */
  stateText: z.string(),
  createdAt: z.string(),
  /** The coupon issued (coupon items), for 去使用. */
  couponId: z.nullable(z.string()),
  /** The order (product and points + cash items), for the order page and 去支付. */
  orderId: z.nullable(z.string()),
});
export type ExchangeView = z.infer<typeof ExchangeView>;

export const pointsContract = defineContract('points', {
  summary: { input: z.strictObject({}), output: PointsSummary },
  /** The caller's history, newest first; `cursor` is the previous page's `nextCursor`. */
  ledger: {
    input: z.strictObject({
      cursor: z.optional(z.string().check(z.maxLength(200))),
      limit: z.optional(z.int().check(z.gte(1), z.lte(50))),
    }),
    output: z.object({ entries: z.array(LedgerEntryView), nextCursor: z.nullable(z.string()) }),
  },
  /** Today's check-in (once per person per day, shared with 签到 in the 公众号 chat). */
  checkIn: {
    input: z.strictObject({}),
    output: z.object({
      /** False when today's check-in was already done (here or in the 公众号): nothing was added. */
      checkedIn: z.boolean(),
      awarded: z.int(),
      bonus: z.boolean(),
      summary: PointsSummary,
    }),
  },
  mall: { input: z.strictObject({}), output: z.object({ items: z.array(MallItemView), balance: z.int() }) },
  item: { input: z.strictObject({ itemId: Id }), output: z.object({ item: MallItemView, balance: z.int() }) },
  /**
   * Exchanges points (and the cash part, through the order path) for an item, atomically; the same
   * requestId answers the same exchange. Items that ship need an address. `points` and `cash` sent
   * by the app are never read.
   */
  exchange: {
    input: z.strictObject({ itemId: Id, requestId: RequestId, address: z.optional(AddressInput), points: IGNORED, cash: IGNORED }),
    output: z.object({
      exchange: ExchangeView,
      /** Payment parameters when the item has a cash part and the order awaits payment. */
      payment: z.nullable(PaymentParams),
      balance: z.int(),
      repeated: z.boolean(),
    }),
  },
  /** The caller's exchanges, newest first. */
  exchanges: { input: z.strictObject({}), output: z.object({ exchanges: z.array(ExchangeView) }) },
});
export type PointsContract = typeof pointsContract;
