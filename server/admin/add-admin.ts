import { DuetError } from '../../core/errors';
import type { Caller } from '../handler';
import { findCurrentMember } from '../member/resolve-member';
import { insertAdmin } from '../member/admin-repository';

/** `addAdmin`: puts a member on the admin list (`admins`, `_id` = member id). Idempotent. */
export async function addAdmin(memberId: string, caller: Caller, now: Date): Promise<{ memberId: string; created: boolean }> {
  // A merged-away id names the member it became: that is the one who logs in from now on.
  const member = await findCurrentMember(memberId);
  if (!member) throw new DuetError('NOT_FOUND', `member ${memberId} does not exist`);
  const created = await insertAdmin({
    _id: member._id,
    memberId: member._id,
    addedAt: now,
    addedBy: caller.openid ? `member:${caller.openid}` : caller.source || 'console',
  });
  return { memberId: member._id, created };
}
