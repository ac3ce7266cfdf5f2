import type { CampaignDoc } from '../content/repository';

/** A campaign as coupon answers name it: id and display name (never the id in its place). */
export function campaignRef(campaign: CampaignDoc | null): { id: string; name: string } | null {
  return campaign ? { id: campaign._id, name: campaign.name ?? campaign.title ?? '' } : null;
}
