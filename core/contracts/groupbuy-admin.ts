import * as z from 'zod/mini';
import { defineContract } from '../contract';
import { GROUP_STATES } from '../groupbuy/group-state';
import {
  LATE_PAYMENT_POLICIES,
  MAX_ACTIVITY_SKUS,
  MAX_ACTIVITY_STOCK,
  MAX_FILL_HOURS,
  MAX_GROUP_SIZE,
  MAX_HOLD_MINUTES,
  MAX_MEMBER_LIMIT,
  MIN_FILL_HOURS,
  MIN_GROUP_SIZE,
} from '../groupbuy/rules';
import { MAX_PRICE_FEN } from '../product/product';

/**
 * The `groupbuyAdmin` function's console jobs: group-buy activities. A function of its own so each
 * console bundle stays within its budget; `npm run admin -- <job>` finds it by the job's name.
 */
const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const Time = z.iso.datetime({ offset: true });
const Title = z.string().check(z.trim(), z.minLength(1), z.maxLength(30));

const GroupSkuInput = z.strictObject({ skuId: Id, groupPrice: z.int().check(z.gte(1), z.lte(MAX_PRICE_FEN)) });

export const ActivityInput = z.strictObject({
  title: Title,
  productId: Id,
  /** The SKUs sold in the activity, each at its group price (fen). */
  skus: z.array(GroupSkuInput).check(z.minLength(1), z.maxLength(MAX_ACTIVITY_SKUS)),
  size: z.int().check(z.gte(MIN_GROUP_SIZE), z.lte(MAX_GROUP_SIZE)),
  fillHours: z.int().check(z.gte(MIN_FILL_HOURS), z.lte(MAX_FILL_HOURS)),
  startAt: Time,
  endAt: Time,
  /** Units the whole activity may sell, across its SKUs. */
  stock: z.int().check(z.gte(1), z.lte(MAX_ACTIVITY_STOCK)),
  /** Seats one member may hold or have paid across the activity's groups (default 1). */
  perMemberLimit: z.optional(z.int().check(z.gte(1), z.lte(MAX_MEMBER_LIMIT))),
  /** Only members who never paid an order may open a group (default false). */
  leaderNewMembersOnly: z.optional(z.boolean()),
  /** 模拟成团: at the deadline a group with at least this many paid members succeeds anyway (default off). */
  simulateMinPaid: z.optional(z.nullable(z.int().check(z.gte(1), z.lte(MAX_GROUP_SIZE - 1)))),
  /** Minutes a seat is held for payment (default 10). */
  holdMinutes: z.optional(z.int().check(z.gte(1), z.lte(MAX_HOLD_MINUTES))),
  /** A payment that lost its seat: `place` in another open group if one has a seat, else refund (default); `refund`: always refund. */
  latePayment: z.optional(z.enum(LATE_PAYMENT_POLICIES)),
  /** Whether members' coupons apply to group orders (default false). */
  couponsAllowed: z.optional(z.boolean()),
});
export type ActivityInput = z.infer<typeof ActivityInput>;

export const ActivityRow = z.object({
  id: z.string(),
  title: z.string(),
  productId: z.string(),
  skus: z.array(z.object({ skuId: z.string(), groupPrice: z.int() })),
  size: z.int(),
  fillHours: z.int(),
  startAt: z.string(),
  endAt: z.string(),
  stock: z.int(),
  stockLeft: z.int(),
  perMemberLimit: z.int(),
  leaderNewMembersOnly: z.boolean(),
  simulateMinPaid: z.nullable(z.int()),
  holdMinutes: z.int(),
  latePayment: z.enum(LATE_PAYMENT_POLICIES),
  couponsAllowed: z.boolean(),
  paused: z.boolean(),
  /** Groups by state, paid seats and the fen they brought (refunds of failed groups not counted). */
  groups: z.record(z.enum(GROUP_STATES), z.int()),
  paidSeats: z.int(),
  revenue: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ActivityRow = z.infer<typeof ActivityRow>;

export const groupbuyAdminContract = defineContract('groupbuyAdmin', {
  createGroupBuy: {
    input: z.strictObject({
      /** Optional: generated when absent. The same id with the same activity again changes nothing. */
      id: z.optional(Id),
      activity: ActivityInput,
    }),
    output: z.object({ activity: ActivityRow, created: z.boolean() }),
  },
  /** Changes what may change while groups run: title, window end, stock added, limit, pause; size and prices never. */
  updateGroupBuy: {
    input: z.strictObject({
      activityId: Id,
      title: z.optional(Title),
      endAt: z.optional(Time),
      addStock: z.optional(z.int().check(z.gte(1), z.lte(MAX_ACTIVITY_STOCK))),
      perMemberLimit: z.optional(z.int().check(z.gte(1), z.lte(MAX_MEMBER_LIMIT))),
      simulateMinPaid: z.optional(z.nullable(z.int().check(z.gte(1), z.lte(MAX_GROUP_SIZE - 1)))),
      latePayment: z.optional(z.enum(LATE_PAYMENT_POLICIES)),
      /** A paused activity opens no new groups; groups already open go on. */
      paused: z.optional(z.boolean()),
    }),
    output: z.object({ activity: ActivityRow }),
  },
  listGroupBuys: {
    input: z.strictObject({ activityId: z.optional(Id) }),
    output: z.object({ activities: z.array(ActivityRow) }),
  },
});
export type GroupbuyAdminContract = typeof groupbuyAdminContract;
