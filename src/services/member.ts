import type { MemberSummary, MemberView } from '../../core/contracts/member';
import { callCloud } from './cloud';

export function login(): Promise<MemberView> {
  return callCloud('member', 'login', {});
}

export function summary(): Promise<MemberSummary> {
  return callCloud('member', 'summary', {});
}
