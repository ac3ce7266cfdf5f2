import { memberContract, type MemberView } from '../../core/contracts/member';
import { callCloud } from './cloud';

export function login(): Promise<MemberView> {
  return callCloud(memberContract, 'login', {});
}
