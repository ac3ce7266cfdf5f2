import { identityKey, newMemberDoc, toMemberView } from '../../core/member/member';
import type { MemberView } from '../../core/contracts/member';
import { assert, DuetError } from '../../core/errors';
import type { Caller } from '../handler';
import { newId } from '../ids';
import { findIdentity, findMember, insertIdentity, insertMember } from './repository';

const MAX_MERGE_HOPS = 8;

/**
 * Finds or creates the caller's member. The identity (`appid:openid`) is claimed first with an
 * insert that only one concurrent login can win; every login then creates the member the
 * identity points to with an insert that tolerates "already exists", so concurrent first
 * logins of one person always meet on one member.
 */
export async function loginMember(caller: Caller, now: Date): Promise<MemberView> {
  assert(caller.openid, 'UNAUTHENTICATED', 'login needs an OPENID');
  const appid = caller.appid ?? 'mini';
  const key = identityKey(appid, caller.openid);

  let identity = await findIdentity(key);
  if (!identity) {
    const claimed = { _id: key, memberId: newId(), appid, openid: caller.openid, createdAt: now };
    const won = await insertIdentity(claimed);
    identity = won ? claimed : await findIdentity(key);
    if (!identity) throw new Error(`identity ${key} vanished after a duplicate insert`);
  }

  let member = await findMember(identity.memberId);
  if (!member) {
    await insertMember(newMemberDoc(identity.memberId, caller.openid, caller.unionid, now));
    member = await findMember(identity.memberId);
  }
  // A merged-away member keeps resolving to the one it was merged into.
  for (let hops = 0; member?.mergedInto && hops < MAX_MERGE_HOPS; hops += 1) {
    member = await findMember(member.mergedInto);
  }
  if (!member) throw new DuetError('INTERNAL', `member ${identity.memberId} of identity ${key} not found`);
  return toMemberView(member);
}
