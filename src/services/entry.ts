import type { VisitRequest } from '../../core/contracts/member';
import { callCloud } from './cloud';

export function visit(request: VisitRequest) {
  return callCloud('member', 'visit', request);
}
