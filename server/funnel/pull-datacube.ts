// WIP placeholder replaced by the datacube pull (issue 16): never lands as is.
import { DuetError } from '../../core/errors';
import type { OutputOf, ParsedInputOf } from '../../core/contract';
import type { FunnelAdminContract } from '../../core/contracts/funnel-admin';

export async function pullDatacube(
  _input: ParsedInputOf<FunnelAdminContract, 'pullDatacube'>,
  _now: Date,
): Promise<OutputOf<FunnelAdminContract, 'pullDatacube'>> {
  throw new DuetError('INTERNAL', 'pullDatacube: not built yet');
}
