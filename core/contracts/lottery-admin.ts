import * as z from 'zod/mini';
import { defineContract } from '../contract';
import {
  MAX_DAILY_DRAWS,
  MAX_DRAW_PRICE,
  MAX_PRIZE_POINTS,
  MAX_PRIZE_STOCK,
  MAX_PRIZES,
  MAX_TOTAL_DAILY,
  ODDS_TOTAL,
  PRIZE_KINDS,
} from '../fission/lottery';
import { hostedJobsInput, JobRun } from './scheduler';

/**
 * The `lotteryAdmin` function's console jobs: create a lottery, pause or resume it, its report,
 * and the lottery's scheduler job (the sweep of draws a crash left pending).
 */
const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const Time = z.iso.datetime({ offset: true });
const Title = z.string().check(z.trim(), z.minLength(1), z.maxLength(30));

export const PrizeInput = z.strictObject({
  /** Short key within the lottery: `top`, `p2`, `thanks`. */
  id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,16}$/, 'a prize id is 1-16 of A-Z a-z 0-9 _ -')),
  kind: z.enum(PRIZE_KINDS),
  title: Title,
  /** Parts per 10,000 (250 = 2.50%); all prizes' odds sum to exactly 10,000. */
  odds: z.int().check(z.gte(0), z.lte(ODDS_TOTAL)),
  /** Units that may be won in all (not on thanks). */
  stock: z.optional(z.int().check(z.gte(0), z.lte(MAX_PRIZE_STOCK))),
  /** What this prize becomes when out of stock: another prize's id; absent → thanks. */
  fallback: z.optional(z.string().check(z.minLength(1), z.maxLength(16))),
  templateId: z.optional(Id),
  points: z.optional(z.int().check(z.gte(1), z.lte(MAX_PRIZE_POINTS))),
  skuId: z.optional(Id),
});
export type PrizeInput = z.infer<typeof PrizeInput>;

export const LotteryInput = z.strictObject({
  title: Title,
  description: z.optional(z.string().check(z.trim(), z.maxLength(200))),
  /** Points one draw costs. */
  price: z.int().check(z.gte(1), z.lte(MAX_DRAW_PRICE)),
  /** Draws per member per day (Asia/Shanghai). */
  perMemberDaily: z.int().check(z.gte(1), z.lte(MAX_DAILY_DRAWS)),
  /** Optional: draws per day for everyone together. */
  totalDaily: z.optional(z.int().check(z.gte(1), z.lte(MAX_TOTAL_DAILY))),
  startAt: Time,
  endAt: Time,
  prizes: z.array(PrizeInput).check(z.minLength(2), z.maxLength(MAX_PRIZES)),
});
export type LotteryInput = z.infer<typeof LotteryInput>;

export const PrizeRow = z.object({
  id: z.string(),
  kind: z.enum(PRIZE_KINDS),
  title: z.string(),
  odds: z.int(),
  oddsText: z.string(),
  stock: z.nullable(z.int()),
  stockLeft: z.nullable(z.int()),
  fallback: z.nullable(z.string()),
  templateId: z.nullable(z.string()),
  points: z.nullable(z.int()),
  skuId: z.nullable(z.string()),
  /** Draws that ended with this prize (after fallbacks). */
  won: z.int(),
});

export const LotteryRow = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  price: z.int(),
  perMemberDaily: z.int(),
  totalDaily: z.nullable(z.int()),
  startAt: z.string(),
  endAt: z.string(),
  paused: z.boolean(),
  prizes: z.array(PrizeRow),
  /** Draws by state. */
  draws: z.record(z.string(), z.int()),
  /** Points taken by finished draws in all. */
  pointsTaken: z.int(),
  /** Product prizes won and still waiting for the winner's address. */
  unclaimed: z.int(),
  createdAt: z.string(),
});
export type LotteryRow = z.infer<typeof LotteryRow>;

export const lotteryAdminContract = defineContract('lotteryAdmin', {
  /**
   * A lottery with its prize table. Hostile tables are refused with every problem and its path.
   * Optional `id`: generated when absent; the same id again changes nothing (`created: false`).
   */
  createLottery: {
    input: z.strictObject({ id: z.optional(Id), lottery: LotteryInput }),
    output: z.object({ lottery: LotteryRow, created: z.boolean() }),
  },
  /** Pauses or resumes draws (the odds, prizes and price never change once published). */
  pauseLottery: {
    input: z.strictObject({ lotteryId: Id, paused: z.boolean() }),
    output: z.object({ lottery: LotteryRow }),
  },
  /** Lotteries with stock left per prize, draws by state and prizes won; one with `lotteryId`. */
  lotteryReport: {
    input: z.strictObject({ lotteryId: z.optional(Id) }),
    output: z.object({ lotteries: z.array(LotteryRow) }),
  },
  /** The scheduler's lottery job (the scheduler calls this every minute; the console may too). */
  runLotteryJobs: {
    input: hostedJobsInput('lotteryAdmin'),
    output: z.object({ jobs: z.array(JobRun) }),
  },
});
export type LotteryAdminContract = typeof lotteryAdminContract;
