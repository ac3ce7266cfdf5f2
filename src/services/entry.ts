import type { VisitInput } from '../../core/contracts/member';
import { memberContract } from '../../core/contracts/member';
import type { z } from 'zod';
import { callCloud } from './cloud';

export function visit(request: z.input<typeof VisitInput>) {
  return callCloud(memberContract, 'visit', request);
}
