import { helpContract } from '../../core/contracts/help';
import { giveHelp } from '../../server/fission/help/give-help';
import { listHelp, showCampaign, showTask } from '../../server/fission/help/show-help';
import { startTask } from '../../server/fission/help/start-task';
import { createHandler } from '../../server/handler';

export const main = createHandler(
  helpContract,
  {
    list: (_input, { caller }) => listHelp(caller, new Date()),
    campaign: (input, { caller }) => showCampaign(caller, input.campaignId, new Date()),
    start: (input, { caller }) => startTask(caller, input.campaignId, new Date()),
    task: (input, { caller }) => showTask(caller, input.taskId, new Date()),
    help: (input, { caller }) => giveHelp(caller, input.taskId, new Date()),
  },
  { audience: { list: 'any' } },
);
