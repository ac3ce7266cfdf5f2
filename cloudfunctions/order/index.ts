import '../../server/groupbuy/install';
import { orderContract } from '../../core/contracts/order';
import { createHandler } from '../../server/handler';
import { cancelOwnOrder } from '../../server/order/cancel-order';
import { confirmReceipt } from '../../server/order/confirm-receipt';
import { createOrder } from '../../server/order/create-order';
import { quoteOrder } from '../../server/order/quote-order';
import { requestRefund } from '../../server/order/request-refund';
import { countOrders, listOrders, payOrder, showOrder } from '../../server/order/show-orders';

export const main = createHandler(orderContract, {
  quote: (input, { caller }) => quoteOrder(caller, input, new Date()),
  create: (input, { caller }) => createOrder(caller, input, new Date()),
  pay: (input, { caller }) => payOrder(caller, input, new Date()),
  cancel: (input, { caller }) => cancelOwnOrder(caller, input, new Date()),
  list: (input, { caller }) => listOrders(caller, input, new Date()),
  detail: (input, { caller }) => showOrder(caller, input, new Date()),
  confirmReceipt: (input, { caller }) => confirmReceipt(caller, input, new Date()),
  requestRefund: (input, { caller }) => requestRefund(caller, input, new Date()),
  counts: (_input, { caller }) => countOrders(caller, new Date()),
});
