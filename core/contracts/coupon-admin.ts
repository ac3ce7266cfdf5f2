import * as z from 'zod/mini';
import { MAX_STOCK } from '../coupon/template';
import { SEGMENTS } from '../funnel/segments';
import { defineContract } from '../contract';

/**
 * The `couponAdmin` function's console jobs: coupon templates, the new-member pack, grants and the
 * stock reconcile. A function of their own (not `admin`'s) so each console bundle stays within the
 * 150 KB budget as features add jobs; `npm run admin -- <job>` finds the function by the job's name.
 */

const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const Count = z.int();

/** A coupon template as operators see it: terms, windows, and live counts. */
export const CouponTemplateRow = z.object({
  id: z.string(),
  name: z.string(),
  campaign: z.nullable(z.string()),
  listed: z.boolean(),
  status: z.enum(['active', 'paused', 'ended']),
  /** The terms in words, e.g. 满99减20元. */
  terms: z.string(),
  totalStock: Count,
  stockLeft: Count,
  /** Issued so far (claims, the new-member pack and grants). */
  claimed: Count,
  used: Count,
  perMemberLimit: Count,
  claimStartsAt: z.string(),
  claimEndsAt: z.string(),
  createdAt: z.string(),
});

const ReconcileReport = z.object({
  checked: Count,
  returned: z.array(z.object({ templateId: z.string(), units: Count })),
  overIssued: z.array(z.object({ templateId: z.string(), coupons: Count, taken: Count })),
  busy: z.array(z.string()),
});

export const couponAdminContract = defineContract('couponAdmin', {
  createCouponTemplate: {
    input: z.strictObject({
      /** Optional: generated when absent. The same id with the same template again changes nothing. */
      id: z.optional(Id),
      /** The campaign whose coupon center lists it; absent: the storefront's. */
      campaign: z.optional(Id),
      /** False: only the new-member pack and grants hand it out (no coupon center lists it). */
      listed: z._default(z.boolean(), true),
      /** name, terms, validity, totalStock, perMemberLimit, claimWindow, eligibility, scope (see docs/admin-jobs.md). */
      template: z.record(z.string(), z.unknown()),
    }),
    output: z.object({ template: CouponTemplateRow, created: z.boolean() }),
  },
  updateCouponTemplate: {
    input: z.strictObject({
      templateId: Id,
      /** Units added to both the total and what is left. */
      addStock: z.optional(z.int().check(z.gte(1), z.lte(MAX_STOCK))),
      /** pause and resume stop and restart claiming; end stops it for good. (Not `action`: that names the job.) */
      change: z.optional(z.enum(['pause', 'resume', 'end'])),
    }),
    output: z.object({ template: CouponTemplateRow }),
  },
  listCouponTemplates: {
    input: z.strictObject({ campaign: z.optional(Id) }),
    output: z.object({ templates: z.array(CouponTemplateRow) }),
  },
  setNewMemberPack: {
    input: z.strictObject({
      /** Templates granted once to every member who joins from now on; [] turns the pack off. */
      templateIds: z.array(Id).check(z.maxLength(5)),
      trigger: z._default(z.enum(['login', 'follow']), 'login'),
    }),
    output: z.object({ templateIds: z.array(z.string()), trigger: z.enum(['login', 'follow']), activeFrom: z.string() }),
  },
  grantCoupons: {
    input: z.strictObject({
      templateId: Id,
      /** Names the grant: each member gets one coupon per batch, however often it runs. */
      batchId: Id,
      /** The members (ids from the members collection); needed on the first run of a batch only. */
      memberIds: z.optional(z.array(Id).check(z.minLength(1), z.maxLength(10_000))),
      /** Or every member of a segment (funnelAdmin.segments), listed on the first run and kept: not both. */
      segment: z.optional(z.enum(SEGMENTS)),
      chunkSize: z.optional(z.int().check(z.gte(1), z.lte(10_000))),
    }),
    output: z.object({
      batchId: z.string(),
      templateId: z.string(),
      total: Count,
      done: Count,
      remaining: Count,
      granted: Count,
      /** Already granted in this batch (a re-run, or two ids of one merged member). */
      already: Count,
      unknownMembers: z.array(z.string()),
      /** Why the batch stopped before the end: the template ran out (add stock), is paused (resume it) or has ended. Then run again. */
      stoppedBy: z.nullable(z.enum(['sold_out', 'paused', 'ended'])),
      finishedAt: z.nullable(z.string()),
    }),
  },
  reconcileCoupons: {
    input: z.strictObject({ templateId: z.optional(Id) }),
    output: ReconcileReport,
  },
});

export type CouponAdminContract = typeof couponAdminContract;
