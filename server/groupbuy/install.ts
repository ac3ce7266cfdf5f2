import { installGroupSeatHooks } from '../order/group-seat-hooks';
import type { OrderDoc } from '../order/repository';
import { writeGroupNotice } from './group-notices';
import { releaseSeat } from './release-seat';
import { settleSeat } from './settle-seat';
import { takeSeat } from './take-seat';

/**
 * Imported for its effect by every function that creates, pays, cancels or sweeps orders (order,
 * payNotify, scheduler, orderAdmin, groupbuy): the order path then handles group seats.
 */
installGroupSeatHooks({
  takeSeat,
  settleSeat,
  releaseSeat,
  // The payment came after its order was cancelled: the order path refunds it; the member is told why.
  latePaymentRefunded: (order: OrderDoc, now: Date) =>
    writeGroupNotice('group.late_refund', order._id, order, order.group!.groupId, now).then(() => undefined),
});
