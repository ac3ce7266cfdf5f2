import { log } from '../log';
import { markRefundFailed, markRefundSucceeded } from './finish-refund';
import { findRefund } from './refund-repository';

/**
 * cloudPay's refund callback (`reqInfo` already decrypted by the platform): SUCCESS settles the
 * refund, CHANGE / REFUNDCLOSE mark it failed for a resubmit. A notice for a refund Duet does not
 * know, or whose order does not match, is logged and changes nothing.
 */
export async function handleRefundNotice(reqInfo: Record<string, unknown>, now: Date): Promise<void> {
  const outRefundNo = String(reqInfo.outRefundNo ?? '').slice(0, 64);
  const refund = outRefundNo ? await findRefund(outRefundNo) : null;
  if (!refund || refund.orderId !== String(reqInfo.outTradeNo ?? '')) {
    log('error', { event: 'refund notice for an unknown refund', outRefundNo, outTradeNo: String(reqInfo.outTradeNo ?? '').slice(0, 64) });
    return;
  }
  const status = String(reqInfo.refundStatus ?? '');
  if (status === 'SUCCESS') await markRefundSucceeded(refund, now);
  else if (status === 'CHANGE' || status === 'REFUNDCLOSE') await markRefundFailed(refund, `refund status ${status}`, now);
}
