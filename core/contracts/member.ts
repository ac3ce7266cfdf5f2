import { z } from 'zod';
import { defineContract } from '../contract';

const TouchView = z.object({
  scene: z.string().nullable(),
  article: z.string().nullable(),
  campaign: z.string().nullable(),
  channel: z.string(),
  sharer: z.string().nullable(),
  at: z.string(),
});
export type TouchView = z.infer<typeof TouchView>;

/** A member as the app sees it. Times are ISO strings: results travel as JSON. */
export const MemberView = z.object({
  _id: z.string(),
  /** Present only when the mini-program is bound to an Open Platform account. */
  unionid: z.string().nullable(),
  nickname: z.string(),
  followsMp: z.boolean(),
  points: z.number().int(),
  createdAt: z.string(),
  firstTouch: TouchView.nullable().optional(),
});
export type MemberView = z.infer<typeof MemberView>;

/** App page path: no leading slash, no query (as WeChat's page paths). */
const PagePath = z.string().regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'a page path like packages/campaign/detail/index');
const Key = z.string().trim().min(1).max(64);

export const VisitInput = z
  .object({
    /** `query.scene` of the landing page or of the launch options, as received (maybe URL-encoded). */
    scene: z.string().max(256).optional(),
    /** Share cards: the sharer's member id, the campaign and article shared, and the page shared. */
    sharer: Key.optional(),
    campaign: Key.optional(),
    article: Key.optional(),
    to: PagePath.optional(),
  })
  .strict();

export const VisitResult = z.object({
  /** Where the app goes next (no leading slash) and with which query. */
  page: z.string(),
  params: z.record(z.string(), z.string()),
  /** A gentle Chinese message when the code is unknown or expired; null otherwise. */
  notice: z.string().nullable(),
  attributed: z.boolean(),
});
export type VisitResult = z.infer<typeof VisitResult>;

/** Counts for the member center's entries. */
export const MemberSummary = z.object({
  usableCoupons: z.number().int().nonnegative(),
  orders: z.number().int().nonnegative(),
});
export type MemberSummary = z.infer<typeof MemberSummary>;

export const memberContract = defineContract('member', {
  login: {
    input: z.object({}).strict(),
    output: MemberView,
  },
  visit: {
    input: VisitInput,
    output: VisitResult,
  },
  summary: {
    input: z.object({}).strict(),
    output: MemberSummary,
  },
});
