import * as z from 'zod/mini';
import { defineContract } from '../contract';

/** A template or coupon id as the app sends it back: printable, no operators (`$…`), no spaces. */
const Id = z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
/** The app makes one per tap (e.g. 16+ random base36 chars); a retry of that tap sends it again. */
const RequestId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId is 8-64 of A-Z a-z 0-9 _ -'));

export const TermsView = z.object({
  kind: z.enum(['amount_off', 'threshold_off', 'percent_off', 'no_threshold']),
  amountOff: z.optional(z.int()),
  threshold: z.optional(z.int()),
  percentOff: z.optional(z.int()),
  cap: z.optional(z.int()),
});
export type TermsView = z.infer<typeof TermsView>;

const ScopeView = z.object({
  all: z.boolean(),
  /** How many products the coupon applies to when not all. */
  productCount: z.int(),
});

const ValidityView = z.union([
  z.object({ type: z.literal('fixed'), startsAt: z.string(), endsAt: z.string() }),
  z.object({ type: z.literal('days_after_claim'), days: z.int() }),
]);

export const TEMPLATE_STATES = ['available', 'claimed', 'sold_out', 'not_started', 'ended', 'not_eligible', 'paused'] as const;

/** A template in a coupon center, with its state for the caller. Times are ISO strings. */
export const TemplateCard = z.object({
  templateId: z.string(),
  name: z.string(),
  terms: TermsView,
  scope: ScopeView,
  validity: ValidityView,
  claimStartsAt: z.string(),
  claimEndsAt: z.string(),
  totalStock: z.int(),
  stockLeft: z.int(),
  perMemberLimit: z.int(),
  /** Coupons of this template the caller ever claimed. */
  claimedByMe: z.int(),
  state: z.enum(TEMPLATE_STATES),
});
export type TemplateCard = z.infer<typeof TemplateCard>;

export const COUPON_STATES = ['usable', 'locked', 'used', 'expired'] as const;

export const CouponView = z.object({
  couponId: z.string(),
  templateId: z.string(),
  name: z.string(),
  terms: TermsView,
  scope: ScopeView,
  validFrom: z.string(),
  validUntil: z.string(),
  /** As the member sees it now: past its validity a coupon is `expired` even before the sweep marks it. */
  state: z.enum(COUPON_STATES),
  /** Usable and in its last 3 days. */
  expiringSoon: z.boolean(),
  source: z.enum(['claim', 'pack', 'grant', 'exchange', 'help', 'lottery']),
  claimedAt: z.string(),
  usedAt: z.nullable(z.string()),
});
export type CouponView = z.infer<typeof CouponView>;

const CampaignRef = z.nullable(z.object({ id: z.string(), name: z.string() }));

/** What one wallet tab shows at most; older used and expired coupons are not listed. */
export const WALLET_TAB_LIMIT = 100;

export const couponContract = defineContract('coupon', {
  /** A campaign's coupon center; without `campaign`, the coupons claimable now on the storefront. */
  center: {
    input: z.strictObject({ campaign: z.optional(Id) }),
    output: z.object({ campaign: CampaignRef, templates: z.array(TemplateCard), serverTime: z.string() }),
  },
  claim: {
    input: z.strictObject({ templateId: Id, requestId: RequestId }),
    output: z.object({
      coupon: CouponView,
      /** The template's state for the caller after this claim (已领取 at the limit). */
      template: TemplateCard,
      /** True when this `requestId` had claimed before: the first result, nothing new issued. */
      repeated: z.boolean(),
    }),
  },
  wallet: {
    input: z.strictObject({}),
    output: z.object({
      /** Usable and locked, soonest expiry first. */
      usable: z.array(CouponView),
      /** Most recently used first. */
      used: z.array(CouponView),
      /** Most recently expired first. */
      expired: z.array(CouponView),
      serverTime: z.string(),
    }),
  },
  detail: {
    input: z.strictObject({ couponId: Id }),
    output: z.object({ coupon: CouponView, campaign: CampaignRef, perMemberLimit: z.int(), serverTime: z.string() }),
  },
});
export type CouponContract = typeof couponContract;
