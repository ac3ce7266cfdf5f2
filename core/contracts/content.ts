import { z } from 'zod';
import { defineContract } from '../contract';

export const ArticleView = z.object({
  _id: z.string(),
  title: z.string(),
  url: z.string().nullable(),
});

export const CampaignView = z.object({
  _id: z.string(),
  name: z.string(),
  description: z.string(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  /** Whether the campaign runs now (server clock). */
  active: z.boolean(),
});
export type CampaignView = z.infer<typeof CampaignView>;

export const contentContract = defineContract('content', {
  campaign: {
    input: z.object({ id: z.string().trim().min(1).max(64), article: z.string().trim().min(1).max(64).optional() }).strict(),
    output: z.object({ campaign: CampaignView, article: ArticleView.nullable() }),
  },
});
