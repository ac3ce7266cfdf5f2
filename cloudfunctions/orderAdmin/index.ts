import '../../server/groupbuy/install';
import { orderAdminContract } from '../../core/contracts/order-admin';
import { authorized } from '../../server/admin/authorize-admin';
import { listOrders } from '../../server/admin/list-orders';
import { listPaymentIssues } from '../../server/admin/list-payment-issues';
import { listStuckRefunds } from '../../server/admin/list-stuck-refunds';
import { refundOrder } from '../../server/admin/refund-order';
import { retryRefund } from '../../server/admin/retry-refund';
import { shipOrder } from '../../server/admin/ship-order';
import { createHandler } from '../../server/handler';

// Order console jobs (shipping, operator refunds, stuck refunds, payment issues), authorized like `admin`'s.
export const main = createHandler(
  orderAdminContract,
  authorized<typeof orderAdminContract>({
    listOrders: (input) => listOrders(input),
    shipOrder: (input) => shipOrder(input, new Date()),
    refundOrder: (input, ctx) => refundOrder(input, ctx, new Date()),
    listStuckRefunds: (input) => listStuckRefunds(input, new Date()),
    retryRefund: (input) => retryRefund(input, new Date()),
    listPaymentIssues: () => listPaymentIssues(),
  }),
  {
    audience: {
      listOrders: 'any',
      shipOrder: 'any',
      refundOrder: 'any',
      listStuckRefunds: 'any',
      retryRefund: 'any',
      listPaymentIssues: 'any',
    },
  },
);
