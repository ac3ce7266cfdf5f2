import { contentContract } from '../../core/contracts/content';
import { callCloud } from './cloud';

export function getCampaign(id: string, article?: string) {
  return callCloud(contentContract, 'campaign', article ? { id, article } : { id });
}
