import type { MemberView } from '../../core/contracts/member';
import { toMemberView } from '../../core/member/member';
import type { Caller } from '../handler';
import { memberOfCaller } from '../member/resolve-member';
import { grantNewMemberPack } from './grant-new-member-pack';

/** `member.login`: the caller's member (from `getWXContext()` alone), with the new-member pack on its first login. */
export async function loginMember(caller: Caller, now: Date): Promise<MemberView> {
  const member = await memberOfCaller(caller, now);
  await grantNewMemberPack(member, 'login', now);
  return toMemberView(member);
}
