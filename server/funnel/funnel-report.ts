// WIP placeholder (issue 16).
import { DuetError } from '../../core/errors';
import type { OutputOf, ParsedInputOf } from '../../core/contract';
import type { FunnelAdminContract } from '../../core/contracts/funnel-admin';

export async function reportFunnel(_input: ParsedInputOf<FunnelAdminContract, 'funnel'>): Promise<OutputOf<FunnelAdminContract, 'funnel'>> {
  throw new DuetError('INTERNAL', 'funnel: not built yet');
}
