import { readCaller } from '../handler';
import { log } from '../log';
import { applyPayment } from './apply-payment';
import { handleRefundNotice } from './handle-refund-notice';

/** What cloudPay's callback must answer: `errcode: 0` stops WeChat Pay's retries (for up to two days). */
export interface NoticeAnswer {
  errcode: number;
  errmsg: string;
}

const ACK: NoticeAnswer = { errcode: 0, errmsg: 'OK' };

/**
 * The `payNotify` function: cloudPay's payment (and refund) callbacks. Only WeChat Pay may call it
 * (`SOURCE` = wx_paycallback, set by the platform, never by a client); anything else is refused
 * and changes nothing. A notice is acknowledged once it is applied, or found applied before; an
 * error answers non-zero so WeChat Pay delivers it again.
 */
export async function handlePayNotice(event: unknown, now: Date): Promise<NoticeAnswer> {
  const caller = readCaller();
  if (caller.source !== 'wx_paycallback') {
    log('warn', { event: 'payNotify refused', source: caller.source, openid: caller.openid });
    return { errcode: 403, errmsg: 'payNotify only takes WeChat Pay callbacks' };
  }
  const notice = (event && typeof event === 'object' ? event : {}) as Record<string, unknown>;
  try {
    if (notice.reqInfo && typeof notice.reqInfo === 'object') {
      await handleRefundNotice(notice.reqInfo as Record<string, unknown>, now);
      return ACK;
    }
    if (notice.returnCode !== 'SUCCESS' || notice.resultCode !== 'SUCCESS') {
      // WeChat Pay notifies successful payments only; a failure notice changes nothing (queryOrder decides at expiry).
      log('warn', { event: 'pay notice not successful', outTradeNo: notice.outTradeNo, resultCode: notice.resultCode });
      return ACK;
    }
    const outTradeNo = String(notice.outTradeNo ?? '');
    const totalFee = Number(notice.totalFee);
    if (!/^[0-9A-Za-z_\-|*]{6,32}$/.test(outTradeNo) || !Number.isSafeInteger(totalFee) || totalFee <= 0) {
      log('error', { event: 'pay notice malformed', outTradeNo: outTradeNo.slice(0, 64), totalFee: String(notice.totalFee).slice(0, 32) });
      return ACK;
    }
    const outcome = await applyPayment(
      {
        outTradeNo,
        totalFee,
        feeType: String(notice.feeType ?? 'CNY'),
        transactionId: notice.transactionId ? String(notice.transactionId) : null,
        timeEnd: notice.timeEnd ? String(notice.timeEnd) : null,
      },
      now,
    );
    log('info', { event: 'pay notice', outTradeNo, outcome });
    return ACK;
  } catch (error) {
    log('error', { event: 'pay notice failed', error: error instanceof Error ? error.stack : String(error) });
    return { errcode: 500, errmsg: 'not applied; deliver again' };
  }
}
