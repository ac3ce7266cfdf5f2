import { yuan } from '../../core/coupon/labels';
import { GROUP_INVITE_PAGE } from '../../core/pages';
import { insertEventOnce } from '../member/event-repository';
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

/** The funnel's group steps, once each: a group opened (its leader paid), a member joined (paid), a group succeeded. */
export function recordGroupEvent(
  kind: 'group_open' | 'group_join' | 'group_succeeded',
  key: string,
  fields: { memberId: string; groupId: string; activityId: string; orderId?: string; fen?: number; at: Date; touch?: unknown },
): Promise<boolean> {
  const { touch, ...rest } = fields;
  return insertEventOnce({ _id: `${kind}:${key}`, kind, ...rest, ...(touch ? { touch } : {}) });
}
