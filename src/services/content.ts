import { callCloud } from './cloud';

export function getCampaign(id: string, article?: string) {
  return callCloud('content', 'campaign', article ? { id, article } : { id });
}
