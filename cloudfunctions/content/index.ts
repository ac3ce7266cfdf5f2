import { contentContract } from '../../core/contracts/content';
import { getCampaign, listRunningCampaigns } from '../../server/content/get-campaign';
import { createHandler } from '../../server/handler';

export const main = createHandler(contentContract, {
  campaign: (input) => getCampaign(input.id, input.article, new Date()),
  campaigns: () => listRunningCampaigns(new Date()),
});
