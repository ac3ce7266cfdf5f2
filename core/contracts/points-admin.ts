import * as z from 'zod/mini';
import { defineContract } from '../contract';
import { MAX_POINTS_DELTA } from '../points/account';
import { MALL_ITEM_KINDS, MAX_ITEM_LIMIT, MAX_ITEM_POINTS, MAX_ITEM_STOCK } from '../points/mall';
import { MAX_EXPIRY_DAYS, MAX_RULE_POINTS } from '../points/rules';
import { MAX_PRICE_FEN } from '../product/product';
import { hostedJobsInput, JobRun } from './scheduler';

/**
 * The `pointsAdmin` function's console jobs: earning rules, the points mall, grants and the audit.
 * `npm run admin -- <job>` finds it by the job's name.
 */
const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const RequestId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId is 8-64 of A-Z a-z 0-9 _ -'));
const Time = z.iso.datetime({ offset: true });
const Points = z.int().check(z.gte(0), z.lte(MAX_RULE_POINTS));

export const PointsRulesInput = z.strictObject({
  checkIn: z.optional(z.strictObject({ points: Points, streakBonus: Points })),
  follow: z.optional(z.strictObject({ points: Points })),
  purchase: z.optional(z.strictObject({ pointsPerYuan: z.int().check(z.gte(0), z.lte(100)), dailyCap: Points })),
  invite: z.optional(z.strictObject({ points: Points, dailyCap: Points })),
  expiry: z.optional(
    z.union([
      z.strictObject({ mode: z.literal('never') }),
      z.strictObject({ mode: z.literal('days'), days: z.int().check(z.gte(1), z.lte(MAX_EXPIRY_DAYS)) }),
      z.strictObject({ mode: z.literal('next_year_end') }),
    ]),
  ),
});

export const PointsRulesView = z.object({
  checkIn: z.object({ points: z.int(), streakBonus: z.int() }),
  follow: z.object({ points: z.int() }),
  purchase: z.object({ pointsPerYuan: z.int(), dailyCap: z.int() }),
  invite: z.object({ points: z.int(), dailyCap: z.int() }),
  expiry: z.object({ mode: z.string(), days: z.optional(z.int()) }),
});

const Title = z.string().check(z.trim(), z.minLength(1), z.maxLength(30));

export const MallItemInput = z.strictObject({
  kind: z.enum(MALL_ITEM_KINDS),
  title: Title,
  points: z.int().check(z.gte(1), z.lte(MAX_ITEM_POINTS)),
  /** Fen, only for `points_cash` (≥ 1 there). */
  cash: z.optional(z.int().check(z.gte(0), z.lte(MAX_PRICE_FEN))),
  /** `coupon` items: the coupon template issued. */
  templateId: z.optional(Id),
  /** `product` and `points_cash` items: the SKU shipped. */
  skuId: z.optional(Id),
  stock: z.int().check(z.gte(1), z.lte(MAX_ITEM_STOCK)),
  perMemberLimit: z.optional(z.int().check(z.gte(1), z.lte(MAX_ITEM_LIMIT))),
  startAt: Time,
  endAt: Time,
});
export type MallItemInput = z.infer<typeof MallItemInput>;

export const MallItemRow = z.object({
  id: z.string(),
  kind: z.enum(MALL_ITEM_KINDS),
  title: z.string(),
  points: z.int(),
  cash: z.int(),
  templateId: z.nullable(z.string()),
  skuId: z.nullable(z.string()),
  stock: z.int(),
  stockLeft: z.int(),
  perMemberLimit: z.int(),
  startAt: z.string(),
  endAt: z.string(),
  paused: z.boolean(),
  /** Exchanges by state. */
  exchanges: z.record(z.string(), z.int()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MallItemRow = z.infer<typeof MallItemRow>;

export const pointsAdminContract = defineContract('pointsAdmin', {
  /** Sets the earning rules; omitted parts keep their current (or default) values. */
  setPointsRules: { input: PointsRulesInput, output: z.object({ rules: PointsRulesView }) },
  getPointsRules: { input: z.strictObject({}), output: z.object({ rules: PointsRulesView }) },
  createMallItem: {
    input: z.strictObject({
      /** Optional: generated when absent. The same id with the same item again changes nothing. */
      id: z.optional(Id),
      item: MallItemInput,
    }),
    output: z.object({ item: MallItemRow, created: z.boolean() }),
  },
  /** What may change while members exchange: title, window end, stock added, limit, pause; kind and price never. */
  updateMallItem: {
    input: z.strictObject({
      itemId: Id,
      title: z.optional(Title),
      endAt: z.optional(Time),
      addStock: z.optional(z.int().check(z.gte(1), z.lte(MAX_ITEM_STOCK))),
      perMemberLimit: z.optional(z.int().check(z.gte(1), z.lte(MAX_ITEM_LIMIT))),
      paused: z.optional(z.boolean()),
    }),
    output: z.object({ item: MallItemRow }),
  },
  listMallItems: { input: z.strictObject({ itemId: z.optional(Id) }), output: z.object({ items: z.array(MallItemRow) }) },
  /** Grants (delta > 0) or deducts (delta < 0) points by hand, with the reason; the operator is recorded. Once per requestId. */
  adjustPoints: {
    input: z.strictObject({
      memberId: Id,
      delta: z.int().check(
        z.gte(-MAX_POINTS_DELTA),
        z.lte(MAX_POINTS_DELTA),
        z.refine((value) => value !== 0, 'delta is not 0'),
      ),
      reason: z.string().check(z.trim(), z.minLength(2), z.maxLength(60)),
      requestId: RequestId,
    }),
    output: z.object({ memberId: z.string(), delta: z.int(), balance: z.int(), repeated: z.boolean() }),
  },
  /** The scheduler's points jobs (the scheduler calls this every minute; the console may too). */
  runPointsJobs: {
    input: hostedJobsInput('pointsAdmin'),
    output: z.object({ jobs: z.array(JobRun) }),
  },
  /** Recomputes balances from the ledger and reports differences; `fix: true` makes each balance the ledger's sum. */
  auditPoints: {
    input: z.strictObject({ fix: z.optional(z.boolean()), memberId: z.optional(Id) }),
    output: z.object({
      checked: z.int(),
      mismatched: z.array(z.object({ memberId: z.string(), balance: z.int(), ledger: z.int(), lots: z.int(), fixed: z.boolean() })),
      /** False when the run stopped at its time budget: run it again to go on. */
      complete: z.boolean(),
    }),
  },
});
export type PointsAdminContract = typeof pointsAdminContract;
