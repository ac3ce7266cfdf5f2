import { pointsContract } from '../../core/contracts/points';
import { createHandler } from '../../server/handler';
import { checkIn, exchange, showExchanges, showItem, showLedger, showMall, showSummary } from '../../server/points/show-points';

export const main = createHandler(pointsContract, {
  summary: (_input, { caller }) => showSummary(caller, new Date()),
  ledger: (input, { caller }) => showLedger(caller, input, new Date()),
  checkIn: (_input, { caller }) => checkIn(caller, new Date()),
  mall: (_input, { caller }) => showMall(caller, new Date()),
  item: (input, { caller }) => showItem(caller, input.itemId, new Date()),
  exchange: (input, { caller }) => exchange(caller, input, new Date()),
  exchanges: (_input, { caller }) => showExchanges(caller, new Date()),
});
