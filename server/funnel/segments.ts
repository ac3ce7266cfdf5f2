// WIP placeholder replaced by segments (issue 16): never lands as is.
import { DuetError } from '../../core/errors';
import type { OutputOf, ParsedInputOf } from '../../core/contract';
import type { FunnelAdminContract } from '../../core/contracts/funnel-admin';

export async function countSegments(_now: Date): Promise<OutputOf<FunnelAdminContract, 'segments'>> {
  throw new DuetError('INTERNAL', 'segments: not built yet');
}

export async function listSegmentMembers(
  _input: ParsedInputOf<FunnelAdminContract, 'segmentMembers'>,
  _now: Date,
): Promise<OutputOf<FunnelAdminContract, 'segmentMembers'>> {
  throw new DuetError('INTERNAL', 'segmentMembers: not built yet');
}
