import * as z from 'zod/mini';
import { defineContract } from '../contract';
import { TASK_STATES } from '../fission/bargain';
import { ORDER_STATES } from '../order/transitions';
import { AddressInput, OrderView, PaymentParams } from './order';

const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
/** Money an app (or a tampered request) may send: accepted and never read — the price comes from the task. */
const IGNORED = z.optional(z.unknown());
const ignoredMoney = { price: IGNORED, unitPrice: IGNORED, payable: IGNORED, total: IGNORED, totalFee: IGNORED };

/** A bargain as a reader sees it before starting: the whole schedule of cuts is here, before anyone shares. */
export const BargainOfferView = z.object({
  bargainId: z.string(),
  title: z.string(),
  productId: z.string(),
  productName: z.string(),
  imageUrl: z.nullable(z.string()),
  skuId: z.string(),
  /** 颜色：红 / 尺码：M: the SKU's specs in one line ('' when it has none). */
  specsText: z.string(),
  /** The price a task starts at and the floor it ends at (fen). */
  price: z.int(),
  floor: z.int(),
  friends: z.int(),
  /** Every cut in order (fen): N − 1 equal ones and the last with the remainder. */
  cuts: z.array(z.int()),
  /** The rule in one line: 5 位好友帮砍，每人砍 ¥3.00，最后一位砍 ¥3.04，最低 ¥59.00. */
  rule: z.string(),
  taskHours: z.int(),
  startAt: z.string(),
  endAt: z.string(),
  phase: z.enum(['upcoming', 'running', 'ended']),
  /** Tasks that may still start (null: no limit). */
  stockLeft: z.nullable(z.int()),
  perMemberLimit: z.int(),
});
export type BargainOfferView = z.infer<typeof BargainOfferView>;

export const CutterView = z.object({
  /** A short name (never an id) and its first character for the avatar circle. */
  nickname: z.string(),
  initial: z.string(),
  /** Fen this friend's cut took off. */
  fen: z.int(),
});

export const TaskView = z.object({
  taskId: z.string(),
  bargainId: z.string(),
  state: z.enum(TASK_STATES),
  owner: z.object({ nickname: z.string(), initial: z.string() }),
  price: z.int(),
  floor: z.int(),
  /** The price now (fen): price − the cuts so far. */
  current: z.int(),
  friends: z.int(),
  cuts: z.int(),
  /** The next friend's cut (fen), or null when no cut is left. */
  nextCut: z.nullable(z.int()),
  cutters: z.array(CutterView),
  /** Cuts and purchases end at this time (server clock). */
  expiresAt: z.string(),
  me: z.object({
    role: z.enum(['owner', 'friend', 'visitor']),
    /** Fen the caller's own cut took off, when they cut this task. */
    cut: z.nullable(z.int()),
    canCut: z.boolean(),
    canBuy: z.boolean(),
    /** The owner's current order at the task's price (null: none), and its state. */
    orderId: z.nullable(z.string()),
    orderState: z.nullable(z.enum(ORDER_STATES)),
  }),
});
export type TaskView = z.infer<typeof TaskView>;

export const bargainContract = defineContract('bargain', {
  /** Running bargains (the storefront's 砍价 entry). */
  list: {
    input: z.strictObject({}),
    output: z.object({ offers: z.array(BargainOfferView), serverTime: z.string() }),
  },
  /** The caller's tasks, newest first (empty for a visitor), each with its bargain. */
  mine: {
    input: z.strictObject({}),
    output: z.object({ tasks: z.array(z.object({ task: TaskView, offer: BargainOfferView })), serverTime: z.string() }),
  },
  /** One bargain and the caller's live task in it (null: none, or a visitor). */
  offer: {
    input: z.strictObject({ bargainId: Id }),
    output: z.object({
      offer: BargainOfferView,
      myTask: z.nullable(TaskView),
      /** Whether the caller may start a task now, and if not why (Chinese, null when they may). */
      canStart: z.boolean(),
      blocked: z.nullable(z.string()),
      serverTime: z.string(),
    }),
  },
  /** Starts the caller's task (or answers the live one they have): once per member up to the bargain's limit. */
  start: {
    input: z.strictObject({ bargainId: Id }),
    output: z.object({ task: TaskView, offer: BargainOfferView, repeated: z.boolean(), serverTime: z.string() }),
  },
  /** One task as its owner, a friend who opened the card, or a visitor sees it. */
  task: {
    input: z.strictObject({ taskId: Id }),
    output: z.object({ task: TaskView, offer: BargainOfferView, serverTime: z.string() }),
  },
  /** A friend's cut: the next fixed amount, once per person per task, never by the owner, never past N. */
  cut: {
    input: z.strictObject({ taskId: Id }),
    output: z.object({
      task: TaskView,
      /** Fen this cut took off (the earlier one's when repeated). */
      fen: z.int(),
      repeated: z.boolean(),
      serverTime: z.string(),
    }),
  },
  /**
   * Buys the task's SKU at the task's current price (computed on the server), quantity 1, through the
   * order path; while an unpaid order of the task is open the same order answers (so a retry needs no
   * request id: the task's purchase attempt is the order's key). Coupons do not apply.
   */
  buy: {
    input: z.strictObject({ taskId: Id, address: AddressInput, coupon: IGNORED, ...ignoredMoney }),
    output: z.object({ order: OrderView, payment: z.nullable(PaymentParams), repeated: z.boolean() }),
  },
});
export type BargainContract = typeof bargainContract;
