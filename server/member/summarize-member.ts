import type { MemberSummary } from '../../core/contracts/member';
import { assert } from '../../core/errors';
import type { Caller } from '../handler';
import { countMemberHoldings } from './repository';
import { resolveMember } from './resolve-member';

/** `member.summary`: the counts behind the member center's coupon and order entries. */
export async function summarizeMember(caller: Caller, now: Date): Promise<MemberSummary> {
  assert(caller.openid, 'UNAUTHENTICATED', 'summary needs an OPENID');
  const member = await resolveMember({ appid: caller.appid ?? 'mini', openid: caller.openid, unionid: caller.unionid }, now);
  return countMemberHoldings(member._id);
}
