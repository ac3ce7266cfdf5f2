import type { MemberView } from '../../core/contracts/member';
import { assert } from '../../core/errors';
import { toMemberView } from '../../core/member/member';
import type { Caller } from '../handler';
import { resolveMember } from './resolve-member';

/** `member.login`: the caller's member from `getWXContext()` alone (OPENID, APPID, UNIONID). */
export async function loginMember(caller: Caller, now: Date): Promise<MemberView> {
  assert(caller.openid, 'UNAUTHENTICATED', 'login needs an OPENID');
  const member = await resolveMember({ appid: caller.appid ?? 'mini', openid: caller.openid, unionid: caller.unionid }, now);
  return toMemberView(member);
}
