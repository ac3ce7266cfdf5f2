import type { MemberSummary } from '../../core/contracts/member';
import type { Caller } from '../handler';
import { countMemberHoldings } from './repository';
import { memberOfCaller } from './resolve-member';

/** `member.summary`: the counts behind the member center's coupon and order entries. */
export async function summarizeMember(caller: Caller, now: Date): Promise<MemberSummary> {
  const member = await memberOfCaller(caller, now);
  return countMemberHoldings(member._id, now);
}
