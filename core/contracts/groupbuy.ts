import * as z from 'zod/mini';
import { defineContract } from '../contract';
import { GROUP_STATES, INVITE_ACTIONS } from '../groupbuy/group-state';
import { ORDER_STATES } from '../order/transitions';
import { AddressInput, OrderView, PaymentParams, QuoteView } from './order';

const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const RequestId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId is 8-64 of A-Z a-z 0-9 _ -'));
/** "best" (default), "none", or a coupon id of the caller's (only when the activity allows coupons). */
const CouponChoice = z.optional(z.union([z.literal('best'), z.literal('none'), Id]));
/** Money an app (or a tampered request) may send: accepted and never read. */
const IGNORED = z.optional(z.unknown());
const ignoredMoney = { price: IGNORED, groupPrice: IGNORED, payable: IGNORED, total: IGNORED, totalFee: IGNORED };

export const GroupSkuView = z.object({
  skuId: z.string(),
  specs: z.record(z.string(), z.string()),
  /** The SKU's own price (fen), shown struck through. */
  price: z.int(),
  groupPrice: z.int(),
  /** The SKU's live stock (0: 已售罄). */
  stock: z.int(),
});

export const ActivityView = z.object({
  activityId: z.string(),
  title: z.string(),
  productId: z.string(),
  productName: z.string(),
  imageUrl: z.nullable(z.string()),
  skus: z.array(GroupSkuView),
  /** The lowest group price and the original price of that SKU (fen). */
  groupPrice: z.int(),
  originalPrice: z.int(),
  size: z.int(),
  fillHours: z.int(),
  holdMinutes: z.int(),
  startAt: z.string(),
  endAt: z.string(),
  phase: z.enum(['upcoming', 'running', 'ended']),
  /** Units the activity can still sell (0: 已抢光). */
  stockLeft: z.int(),
  perMemberLimit: z.int(),
  leaderNewMembersOnly: z.boolean(),
  couponsAllowed: z.boolean(),
  /** The rule in one line: 满 N 人成团，超时未成团自动退款. */
  rule: z.string(),
});
export type ActivityView = z.infer<typeof ActivityView>;

export const SeatView = z.object({
  /** A short name (never an id) and the first character for the avatar circle. */
  nickname: z.string(),
  initial: z.string(),
  leader: z.boolean(),
  /** False while the seat is held for payment. */
  paid: z.boolean(),
});

export const GroupView = z.object({
  groupId: z.string(),
  activityId: z.string(),
  state: z.enum(GROUP_STATES),
  size: z.int(),
  paid: z.int(),
  /** Seats nobody holds: 还差 N 人 counts seats not yet paid (size − paid). */
  free: z.int(),
  missing: z.int(),
  seats: z.array(SeatView),
  /** The group fails at this time unless it fills (server clock). */
  deadline: z.string(),
  /** Set when the group succeeded without filling (模拟成团). */
  simulated: z.boolean(),
  me: z.object({
    seat: z.enum(['none', 'held', 'paid']),
    leader: z.boolean(),
    /** The caller's order in this group, when they hold or paid a seat. */
    orderId: z.nullable(z.string()),
    /** The hold runs out at this time (server clock) when the seat is held. */
    payBy: z.nullable(z.string()),
    action: z.enum(INVITE_ACTIONS),
    /** What the main button says. */
    label: z.string(),
  }),
});
export type GroupView = z.infer<typeof GroupView>;

/** An open group as the activity page and the storefront list it: who is in and how long is left. */
export const GroupCard = z.object({
  groupId: z.string(),
  leader: z.string(),
  initials: z.array(z.string()),
  missing: z.int(),
  free: z.int(),
  deadline: z.string(),
});
export type GroupCard = z.infer<typeof GroupCard>;

export const ActivityCard = z.object({
  activity: ActivityView,
  /** Up to three open groups a reader could join, the closest to filling first. */
  groups: z.array(GroupCard),
  openGroups: z.int(),
});
export type ActivityCard = z.infer<typeof ActivityCard>;

export const MyGroupView = z.object({
  group: GroupView,
  activity: ActivityView,
  /**
   * The state of the caller's order in the group (null: none found). A failed group's refund takes a
   * while: 拼团失败·退款中 until the order is `refunded`, so the list never claims money moved early.
   */
  orderState: z.nullable(z.enum(ORDER_STATES)),
});
export type MyGroupView = z.infer<typeof MyGroupView>;

const SeatInput = {
  skuId: Id,
  requestId: RequestId,
  address: AddressInput,
  coupon: CouponChoice,
  /** The share that brought the caller (the invite card's sharer): recorded as their touch. */
  sharer: z.optional(Id),
  ...ignoredMoney,
};

const SeatResult = z.object({
  group: GroupView,
  order: OrderView,
  /** Null when the payment could not be prepared now (去支付 asks again). */
  payment: z.nullable(PaymentParams),
  repeated: z.boolean(),
});

export const groupbuyContract = defineContract('groupbuy', {
  /** Running activities with their open groups: the storefront's 拼团 section and the list page. */
  list: {
    input: z.strictObject({}),
    output: z.object({ activities: z.array(ActivityCard), serverTime: z.string() }),
  },
  /** One activity with the open groups a reader could join. */
  activity: {
    input: z.strictObject({ activityId: Id }),
    output: z.object({ activity: ActivityView, groups: z.array(GroupCard), serverTime: z.string() }),
  },
  /** The price of one seat at the group price, with the caller's coupons when the activity allows them. */
  quote: {
    input: z.strictObject({ activityId: Id, skuId: Id, coupon: CouponChoice, ...ignoredMoney }),
    output: QuoteView,
  },
  /** Opens a group as its leader: holds the first seat and creates the order at the group price. */
  open: {
    input: z.strictObject({ activityId: Id, ...SeatInput }),
    output: SeatResult,
  },
  /** Holds a seat in an open group and creates the order; the same requestId answers the same seat. */
  join: {
    input: z.strictObject({ groupId: Id, ...SeatInput }),
    output: SeatResult,
  },
  /** One group as the invite page shows it, with the caller's place in it. */
  group: {
    input: z.strictObject({ groupId: Id }),
    output: z.object({ group: GroupView, activity: ActivityView, serverTime: z.string() }),
  },
  /** The caller's groups, newest first. */
  mine: {
    input: z.strictObject({}),
    output: z.object({ groups: z.array(MyGroupView), serverTime: z.string() }),
  },
});
export type GroupbuyContract = typeof groupbuyContract;
