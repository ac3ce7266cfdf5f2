// WIP placeholder replaced by the article report (issue 16): never lands as is.
import { DuetError } from '../../core/errors';
import type { OutputOf, ParsedInputOf } from '../../core/contract';
import type { FunnelAdminContract } from '../../core/contracts/funnel-admin';

export async function reportArticle(
  _input: ParsedInputOf<FunnelAdminContract, 'articleReport'>,
): Promise<OutputOf<FunnelAdminContract, 'articleReport'>> {
  throw new DuetError('INTERNAL', 'articleReport: not built yet');
}
