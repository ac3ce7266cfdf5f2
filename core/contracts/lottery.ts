import * as z from 'zod/mini';
import { defineContract } from '../contract';
import { CLAIM_STATES, DRAW_STATES, LOTTERY_STATES, PRIZE_KINDS } from '../fission/lottery';
import { AddressInput } from './order';

const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const RequestId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId is 8-64 of A-Z a-z 0-9 _ -'));
/** A prize or a result an app (or a tampered request) may send: accepted and never read. */
const IGNORED = z.optional(z.unknown());

export const PrizeView = z.object({
  prizeId: z.string(),
  kind: z.enum(PRIZE_KINDS),
  title: z.string(),
  /** One line under the title: 满99减20 · 领取后7天有效, 直接到账, 包邮到家. */
  subtitle: z.string(),
  /** Published odds in parts per 10,000, and as printed (2.50%). */
  odds: z.int(),
  oddsText: z.string(),
  /** Out of stock now: a draw landing on it gets its fallback (shown as 已抽完). */
  soldOut: z.boolean(),
  /** What it becomes when out of stock (the fallback's title), or null for thanks. */
  fallbackTitle: z.nullable(z.string()),
});
export type PrizeView = z.infer<typeof PrizeView>;

export const LotteryView = z.object({
  lotteryId: z.string(),
  title: z.string(),
  description: z.string(),
  price: z.int(),
  perMemberDaily: z.int(),
  totalDaily: z.nullable(z.int()),
  startAt: z.string(),
  endAt: z.string(),
  state: z.enum(LOTTERY_STATES),
  prizes: z.array(PrizeView),
  /** The rules, one line each, in Chinese (price, limits, fallbacks, how prizes arrive). */
  rules: z.array(z.string()),
});
export type LotteryView = z.infer<typeof LotteryView>;

export const DrawView = z.object({
  drawId: z.string(),
  lotteryId: z.string(),
  lotteryTitle: z.string(),
  state: z.enum(DRAW_STATES),
  /** The prize won (after any fallback), or null while pending or when abandoned. */
  prize: z.nullable(z.object({ prizeId: z.string(), kind: z.enum(PRIZE_KINDS), title: z.string() })),
  /** True unless the prize is thanks. */
  won: z.boolean(),
  /** Points paid for the draw. */
  price: z.int(),
  /** 已发放到卡包, 积分已到账, 待填写地址, 已安排发货, 谢谢参与 …: what the member reads. */
  stateText: z.string(),
  couponId: z.nullable(z.string()),
  orderId: z.nullable(z.string()),
  /** Product prizes: the address step. */
  claim: z.nullable(z.enum(CLAIM_STATES)),
  createdAt: z.string(),
});
export type DrawView = z.infer<typeof DrawView>;

const Facts = {
  balance: z.int(),
  /** Draws the member has left today by the daily limit. */
  drawsLeftToday: z.int(),
};

/** The `lottery` function: the points lottery, the same in the mini-program and from the 公众号's menu and 抽奖 card. */
export const lotteryContract = defineContract('lottery', {
  /** A lottery (the newest open one without `lotteryId`), with the caller's balance and draws left today. */
  show: {
    input: z.strictObject({ lotteryId: z.optional(Id) }),
    output: z.object({ lottery: z.nullable(LotteryView), ...Facts, serverTime: z.string() }),
  },
  /**
   * One draw for the price: the points are taken once, the prize drawn on the server and issued
   * once. The same requestId answers the same draw. A prize or result the app sends is never read.
   */
  draw: {
    input: z.strictObject({ lotteryId: Id, requestId: RequestId, prizeId: IGNORED, roll: IGNORED }),
    output: z.object({ draw: DrawView, ...Facts, repeated: z.boolean() }),
  },
  /** The caller's draws, newest first (all lotteries, or one). */
  mine: {
    input: z.strictObject({ lotteryId: z.optional(Id), onlyWon: z.optional(z.boolean()) }),
    output: z.object({ draws: z.array(DrawView) }),
  },
  /** A product prize's address: the order is placed (at no cash) once; a second claim answers the same order. */
  claim: {
    input: z.strictObject({ drawId: Id, address: AddressInput }),
    output: z.object({ draw: DrawView, repeated: z.boolean() }),
  },
});
export type LotteryContract = typeof lotteryContract;
