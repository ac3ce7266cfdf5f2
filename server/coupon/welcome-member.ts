import type { MemberView } from '../../core/contracts/member';
import { eventId } from '../../core/funnel/events';
import { toMemberView } from '../../core/member/member';
import { shanghaiDay } from '../../core/points/rules';
import type { Caller } from '../handler';
import { recordFunnelEvent } from '../member/event-repository';
import { updateMember } from '../member/repository';
import { memberOfCaller } from '../member/resolve-member';
import { grantNewMemberPack } from './grant-new-member-pack';

/**
 * `member.login`: the caller's member (from `getWXContext()` alone), with the new-member pack on its
 * first login. The funnel's `login` is one per member and Shanghai day (`login:<memberId>:<day>`):
 * the app logs in on every launch, and a day's active members are what a report counts. The day's
 * first login writes the event, then `loginDay` on the member, so the day's later logins write
 * nothing (a crash between the two: the next login inserts the event again, which its `_id` refuses).
 */
export async function loginMember(caller: Caller, now: Date): Promise<MemberView> {
  const member = await memberOfCaller(caller, now);
  await grantNewMemberPack(member, 'login', now);
  const day = shanghaiDay(now);
  if (member.loginDay !== day) {
    await recordFunnelEvent({ _id: eventId('login', member._id, day), kind: 'login', at: now, day }, { member });
    await updateMember(member._id, { loginDay: day });
  }
  return toMemberView(member);
}
