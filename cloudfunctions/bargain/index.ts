import { bargainContract } from '../../core/contracts/bargain';
import { buyAtTaskPrice } from '../../server/fission/bargain/buy-at-task-price';
import { cutTask } from '../../server/fission/bargain/cut-task';
import { listBargainOffers, showMyTasks, showOffer, showTask } from '../../server/fission/bargain/show-bargains';
import { startTask } from '../../server/fission/bargain/start-task';
import { createHandler } from '../../server/handler';

export const main = createHandler(
  bargainContract,
  {
    list: () => listBargainOffers(new Date()),
    mine: (_input, { caller }) => showMyTasks(caller, new Date()),
    offer: (input, { caller }) => showOffer(caller, input.bargainId, new Date()),
    start: (input, { caller }) => startTask(caller, input.bargainId, new Date()),
    task: (input, { caller }) => showTask(caller, input.taskId, new Date()),
    cut: (input, { caller }) => cutTask(caller, input.taskId, new Date()),
    buy: (input, { caller }) => buyAtTaskPrice(caller, { taskId: input.taskId, address: input.address }, new Date()),
  },
  { audience: { list: 'any', mine: 'any', offer: 'any', task: 'any' } },
);
