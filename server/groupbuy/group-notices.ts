import { yuan } from '../../core/coupon/labels';
import { GROUP_INVITE_PAGE } from '../../core/pages';
import { eventId } from '../../core/funnel/events';
import { recordFunnelEvent } from '../member/event-repository';
import { writeNoticeOnce } from '../notice-repository';
import type { OrderDoc } from '../order/repository';

/** A group notice stays worth sending this long. */
const NOTICE_TTL_MS = 3 * 24 * 3600_000;

export type GroupNoticeKind = 'group.succeeded' | 'group.failed' | 'group.placed' | 'group.late_refund';

/**
 * Writes a group notice once (`_id` `<kind>:<key>`): `group.succeeded` / `group.failed` per group
 * and member, `group.placed` / `group.late_refund` per order (a payment that lost its seat).
 */
export function writeGroupNotice(kind: GroupNoticeKind, key: string, order: OrderDoc, groupId: string, now: Date): Promise<boolean> {
  const first = order.lines[0]?.name ?? '商品';
  return writeNoticeOnce(
    {
      kind,
      key,
      memberId: order.memberId,
      data: { orderId: order._id, groupId, goods: first, amount: yuan(order.payable), page: `${GROUP_INVITE_PAGE}?id=${groupId}` },
      dueAt: now,
      expiresAt: new Date(now.getTime() + NOTICE_TTL_MS),
    },
    now,
  );
}

/**
 * The funnel's group steps, once each: a group opened (its leader paid: `group_opened:<groupId>`), a
 * member joined (paid: `group_joined:<groupId>:<memberId>`) — both credited as their order is — and a
 * group succeeded (`group_succeeded:<groupId>`, the leader's, credited to the leader's touches now).
 */
export function recordGroupEvent(
  kind: 'group_opened' | 'group_joined' | 'group_succeeded',
  group: { _id: string; activityId: string; leaderId: string },
  at: Date,
  order?: OrderDoc,
): Promise<boolean> {
  const key = kind === 'group_joined' && order ? eventId(kind, group._id, order.memberId) : eventId(kind, group._id);
  const fields = order ? { orderId: order._id, fen: order.payable } : {};
  return recordFunnelEvent(
    { _id: key, kind, at, groupId: group._id, activityId: group.activityId, ...fields },
    order ? { memberId: order.memberId, credit: order.credit } : { memberId: group.leaderId },
  );
}
