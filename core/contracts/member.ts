import * as z from 'zod/mini';
import { defineContract } from '../contract';

const TouchView = z.object({
  scene: z.nullable(z.string()),
  article: z.nullable(z.string()),
  campaign: z.nullable(z.string()),
  channel: z.string(),
  sharer: z.nullable(z.string()),
  at: z.string(),
});
export type TouchView = z.infer<typeof TouchView>;

/** A member as the app sees it. Times are ISO strings: results travel as JSON. */
export const MemberView = z.object({
  _id: z.string(),
  /** Present only when the mini-program is bound to an Open Platform account. */
  unionid: z.nullable(z.string()),
  nickname: z.string(),
  /** What the member sees as 会员号 (10 digits); `_id` stays for links and shares. */
  memberNo: z.string(),
  followsMp: z.boolean(),
  points: z.int(),
  createdAt: z.string(),
  firstTouch: z.optional(z.nullable(TouchView)),
});
export type MemberView = z.infer<typeof MemberView>;

/** App page path: no leading slash, no query (as WeChat's page paths). */
const PagePath = z
  .string()
  .check(z.maxLength(256), z.regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'a page path like packages/campaign/detail/index'));
const Key = z.string().check(z.trim(), z.minLength(1), z.maxLength(64));

export const VisitInput = z.strictObject({
  /** `query.scene` of the landing page or of the launch options, as received (maybe URL-encoded). */
  scene: z.optional(z.string().check(z.maxLength(256))),
  /** Share cards: the sharer's member id, the campaign and article shared, and the page shared. */
  sharer: z.optional(Key),
  campaign: z.optional(Key),
  article: z.optional(Key),
  to: z.optional(PagePath),
  /** The shared page's own id (the group of an invite card): passed on to that page as its `id`. */
  id: z.optional(Key),
  /** A notice's landing marker (core/notice/dispatch.ts markLanding): `notice_sub` | `notice_mp` and the notice kind. */
  from: z.optional(Key),
  nk: z.optional(Key),
  /** The app's id for this arrival: a retried call records one visit. */
  requestId: z.optional(Key),
});
export type VisitRequest = z.input<typeof VisitInput>;

export const VisitResult = z.object({
  /** Where the app goes next (no leading slash) and with which query. */
  page: z.string(),
  params: z.record(z.string(), z.string()),
  /** A gentle Chinese message when the code is unknown or expired; null otherwise. */
  notice: z.nullable(z.string()),
  attributed: z.boolean(),
});
export type VisitResult = z.infer<typeof VisitResult>;

/** Counts for the member center's entries. */
export const MemberSummary = z.object({
  usableCoupons: z.int().check(z.nonnegative()),
  orders: z.int().check(z.nonnegative()),
});
export type MemberSummary = z.infer<typeof MemberSummary>;

export const memberContract = defineContract('member', {
  login: {
    input: z.strictObject({}),
    output: MemberView,
  },
  visit: {
    input: VisitInput,
    output: VisitResult,
  },
  summary: {
    input: z.strictObject({}),
    output: MemberSummary,
  },
});
export type MemberContract = typeof memberContract;
