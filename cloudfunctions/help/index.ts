import { helpContract } from '../../core/contracts/help';
import { giveHelp } from '../../server/fission/help/give-help';
import { showCampaign, showTask } from '../../server/fission/help/show-help';
import { startTask } from '../../server/fission/help/start-task';
import { createHandler } from '../../server/handler';

export const main = createHandler(helpContract, {
  campaign: (input, { caller }) => showCampaign(caller, input.campaignId, new Date()),
  start: (input, { caller }) => startTask(caller, input.campaignId, new Date()),
  task: (input, { caller }) => showTask(caller, input.taskId, new Date()),
  help: (input, { caller }) => giveHelp(caller, input.taskId, new Date()),
});
