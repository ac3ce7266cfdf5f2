import { takeBackPoints } from '../../core/points/account';
import { pointsOwedForRefund, purchasePoints } from '../../core/points/rules';
import { log } from '../log';
import { finalMemberId } from '../member/resolve-member';
import { earnPointsOnce } from './earn-points';
import { findEntriesByRef, findEntry, findPointsRules, postEntry, sumRefundAmounts } from './repository';

/** The order facts the purchase rule reads (an order document, without importing the order feature). */
export interface PaidOrder {
  _id: string;
  memberId: string;
  payable: number;
  /** Set on a points-mall exchange's order: paid with points, it earns none. */
  exchange?: { exchangeId: string } | null;
  /** The order's refunds, in the order they were made. */
  refundIds?: string[];
}

/** Purchase points for a paid order, once (`order:<orderId>`), within the daily cap. */
export async function earnOrderPoints(order: PaidOrder, now: Date): Promise<number> {
  if (order.exchange || order.payable <= 0) return 0;
  const rules = await findPointsRules();
  const points = purchasePoints(rules, order.payable);
  if (points <= 0) return 0;
  const posted = await earnPointsOnce(
    { memberId: order.memberId, source: 'order', key: `order:${order._id}`, points, ref: { orderId: order._id }, now },
    rules,
  );
  return posted && !posted.repeated ? posted.entry.delta : 0;
}

/** What the refunds of the order made before `refundId` refund (fen): where its share of the points starts. */
async function refundedBefore(order: PaidOrder, refundId: string): Promise<number> {
  const ids = order.refundIds ?? [];
  const at = ids.indexOf(refundId);
  if (at <= 0) return 0;
  return sumRefundAmounts(ids.slice(0, at));
}

/**
 * Takes back, once per refund (`refund:<refundId>`), the share of the order's purchase points that
 * the refund is of what was paid (counted on top of the order's earlier refunds, so the shares add
 * up to what the order earned). Points the member already spent are not taken below zero: the
 * entry records them as `unrecovered` (forgiven), and the order's later refunds count them as owed
 * already, so an order never takes back more than it earned.
 */
export async function takeBackRefundPoints(order: PaidOrder, refund: { _id: string; fee: number }, now: Date): Promise<number> {
  const earned = await findEntry(`order:${order._id}`);
  if (!earned || earned.delta <= 0) return 0;
  const memberId = await finalMemberId(earned.memberId);
  const earlier = await findEntriesByRef(memberId, 'refund', 'orderId', order._id);
  const alreadyOwed = earlier
    .filter((entry) => entry._id !== `ledger:refund:${refund._id}`)
    .reduce((sum, entry) => sum - entry.delta + Number(entry.unrecovered ?? 0), 0);
  const owed = pointsOwedForRefund(earned.delta, order.payable, refund.fee, alreadyOwed, await refundedBefore(order, refund._id));
  if (owed <= 0) return 0;
  const posted = await postEntry(memberId, `refund:${refund._id}`, { source: 'refund', now }, (view) => {
    const back = takeBackPoints(view.account, owed);
    return {
      delta: -back.taken,
      account: back.account,
      entry: {
        lots: back.consumed,
        ref: { orderId: order._id, refundId: refund._id },
        ...(back.unrecovered > 0 ? { unrecovered: back.unrecovered } : {}),
      },
    };
  });
  if (!posted.repeated && posted.entry.unrecovered) {
    log('info', { event: 'points.refund_unrecovered', orderId: order._id, refundId: refund._id, unrecovered: posted.entry.unrecovered });
  }
  return posted.repeated ? 0 : -posted.entry.delta;
}
