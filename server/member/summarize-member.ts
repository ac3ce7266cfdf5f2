import type { MemberSummary } from '../../core/contracts/member';
import { assert } from '../../core/errors';
import { database } from '../cloud';
import type { Caller } from '../handler';
import { resolveMember } from './resolve-member';

/** `member.summary`: the counts behind the member center's coupon and order entries. */
export async function summarizeMember(caller: Caller, now: Date): Promise<MemberSummary> {
  assert(caller.openid, 'UNAUTHENTICATED', 'summary needs an OPENID');
  const member = await resolveMember({ appid: caller.appid ?? 'mini', openid: caller.openid, unionid: caller.unionid }, now);
  const db = database();
  const [coupons, orders] = await Promise.all([
    db.collection('coupons').where({ memberId: member._id, state: 'usable' }).count(),
    db.collection('orders').where({ memberId: member._id }).count(),
  ]);
  return { usableCoupons: (coupons as { total: number }).total, orders: (orders as { total: number }).total };
}
