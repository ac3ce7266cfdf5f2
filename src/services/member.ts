import { memberContract, type MemberSummary, type MemberView } from '../../core/contracts/member';
import { callCloud } from './cloud';

export function login(): Promise<MemberView> {
  return callCloud(memberContract, 'login', {});
}

export function summary(): Promise<MemberSummary> {
  return callCloud(memberContract, 'summary', {});
}
