import { callCloud } from './cloud';

/** The campaigns running now, for the storefront. */
export function listRunningCampaigns() {
  return callCloud('content', 'campaigns', {});
}

export function getCampaign(id: string, article?: string) {
  return callCloud('content', 'campaign', article ? { id, article } : { id });
}
