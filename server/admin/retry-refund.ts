import { DuetError } from '../../core/errors';
import { driveRefundNow } from '../order/drive-refunds';
import { refundRow } from './order-rows';

/**
 * `retryRefund`: works on one refund now instead of at its next backoff — submits it again with the
 * same out_refund_no (requested, failed), asks WeChat Pay about it (submitted) or finishes its
 * follow-ups (succeeded). Answers the refund as it is afterwards.
 */
export async function retryRefund(request: { refundId: string }, now: Date) {
  const refund = await driveRefundNow(request.refundId, now);
  if (!refund) throw new DuetError('NOT_FOUND', `no refund ${request.refundId}`);
  return { refund: refundRow(refund) };
}
