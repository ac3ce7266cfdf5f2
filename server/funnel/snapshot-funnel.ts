// WIP placeholder (issue 16).
import { DuetError } from '../../core/errors';
import type { OutputOf, ParsedInputOf } from '../../core/contract';
import type { FunnelAdminContract } from '../../core/contracts/funnel-admin';

export async function snapshotFunnel(
  _input: ParsedInputOf<FunnelAdminContract, 'snapshotFunnel'>,
  _now: Date,
  _budgetMs: number,
): Promise<OutputOf<FunnelAdminContract, 'snapshotFunnel'>> {
  throw new DuetError('INTERNAL', 'snapshotFunnel: not built yet');
}
