import * as z from 'zod/mini';
import { defineContract } from '../contract';
import { MAX_BARGAIN_LIMIT, MAX_BARGAIN_STOCK, MAX_FRIENDS, MAX_TASK_HOURS, MIN_FRIENDS, MIN_TASK_HOURS } from '../fission/bargain';
import { MAX_PRICE_FEN } from '../product/product';
import { hostedJobsInput, JobRun } from './scheduler';

/**
 * The `bargainAdmin` function's console jobs: 砍价 with fixed steps. `npm run admin -- <job>` finds it
 * by the job's name.
 */
const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const Time = z.iso.datetime({ offset: true });

export const BargainInput = z.strictObject({
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(30)),
  /** The SKU sold; a task starts at the SKU's price when the bargain is created. */
  skuId: Id,
  /** The lowest price (fen) a task reaches after all its friends' cuts; price − floorPrice ≥ friends. */
  floorPrice: z.int().check(z.gte(1), z.lte(MAX_PRICE_FEN)),
  /** Friends it takes to reach the floor; each cuts the same fixed amount (the last one the remainder). */
  friends: z.int().check(z.gte(MIN_FRIENDS), z.lte(MAX_FRIENDS)),
  startAt: Time,
  endAt: Time,
  /** How long one task takes cuts and may buy (hours; never past endAt). */
  taskHours: z.int().check(z.gte(MIN_TASK_HOURS), z.lte(MAX_TASK_HOURS)),
  /** Tasks that may be started in all (each buys at most one unit); absent: no limit but the SKU's stock. */
  stock: z.optional(z.int().check(z.gte(1), z.lte(MAX_BARGAIN_STOCK))),
  /** Tasks one member may start (default 1). */
  perMemberLimit: z.optional(z.int().check(z.gte(1), z.lte(MAX_BARGAIN_LIMIT))),
});
export type BargainInput = z.infer<typeof BargainInput>;

export const BargainRow = z.object({
  id: z.string(),
  title: z.string(),
  productId: z.string(),
  skuId: z.string(),
  price: z.int(),
  floorPrice: z.int(),
  friends: z.int(),
  /** Every cut in order (fen). */
  cuts: z.array(z.int()),
  rule: z.string(),
  startAt: z.string(),
  endAt: z.string(),
  taskHours: z.int(),
  stock: z.nullable(z.int()),
  stockLeft: z.nullable(z.int()),
  perMemberLimit: z.int(),
  /** Tasks started so far. */
  started: z.int(),
  createdAt: z.string(),
});
export type BargainRow = z.infer<typeof BargainRow>;

export const bargainAdminContract = defineContract('bargainAdmin', {
  /**
   * Creates a bargain; every problem is reported at once and nothing is written when there is one.
   * The same id with the same settings again changes nothing (created: false).
   */
  createBargain: {
    input: z.strictObject({ id: z.optional(Id), bargain: BargainInput }),
    output: z.object({ bargain: BargainRow, created: z.boolean() }),
  },
  /** Bargains newest first, or one by id. */
  listBargains: {
    input: z.strictObject({ bargainId: z.optional(Id) }),
    output: z.object({ bargains: z.array(BargainRow) }),
  },
  /** The scheduler's bargain job (`reconcileBargainStock`: units a crashed start stranded go back); the console may run it too. */
  runBargainJobs: {
    input: hostedJobsInput('bargainAdmin'),
    output: z.object({ jobs: z.array(JobRun) }),
  },
});
export type BargainAdminContract = typeof bargainAdminContract;
