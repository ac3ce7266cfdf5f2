import * as z from 'zod/mini';
import { defineContract } from '../contract';

export const ArticleView = z.object({
  _id: z.string(),
  title: z.string(),
  url: z.nullable(z.string()),
});

export const CampaignView = z.object({
  _id: z.string(),
  name: z.string(),
  description: z.string(),
  startsAt: z.nullable(z.string()),
  endsAt: z.nullable(z.string()),
  /** Whether the campaign runs now (server clock). */
  active: z.boolean(),
});
export type CampaignView = z.infer<typeof CampaignView>;

const Id = z.string().check(z.trim(), z.minLength(1), z.maxLength(64));

export const contentContract = defineContract('content', {
  campaign: {
    input: z.strictObject({ id: Id, article: z.optional(Id) }),
    output: z.object({ campaign: CampaignView, article: z.nullable(ArticleView) }),
  },
  /** Campaigns running now (server clock), ending soonest first: the storefront's 进行中的活动. */
  campaigns: {
    input: z.strictObject({}),
    output: z.object({ campaigns: z.array(CampaignView) }),
  },
});
export type ContentContract = typeof contentContract;
