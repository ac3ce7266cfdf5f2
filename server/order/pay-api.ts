import { DuetError } from '../../core/errors';
import { cloud } from '../cloud';

/**
 * WeChat Pay through cloudPay, and nothing else: each call is made outside any database transaction,
 * after the intent it serves was written (DESIGN: money paths). A business refusal (`resultCode:
 * FAIL`) is an answer, not an exception; a platform error or a timeout throws, and the caller's
 * intent stays where a retry finds it.
 */

export interface PaySettings {
  subMchId: string;
  envId: string;
}

/** The payment settings from the functions' environment variables (README: deploy). */
export function paySettings(): PaySettings {
  const subMchId = process.env.DUET_PAY_SUB_MCH_ID ?? '';
  const envId = process.env.DUET_PAY_ENV_ID || process.env.TCB_ENV || '';
  if (!/^\d{8,12}$/.test(subMchId)) {
    throw new DuetError(
      'FAILED_PRECONDITION',
      'payments are not set up: DUET_PAY_SUB_MCH_ID (the sub-merchant id) is missing or malformed',
    );
  }
  if (!envId) throw new DuetError('FAILED_PRECONDITION', 'payments are not set up: DUET_PAY_ENV_ID (the cloud env id) is missing');
  return { subMchId, envId };
}

/** The function WeChat Pay calls back for payments and refunds. */
export const PAY_NOTIFY_FUNCTION = 'payNotify';

type Answer = Record<string, unknown> & {
  returnCode?: string;
  resultCode?: string;
  errCode?: number;
  errCodeDes?: string;
  errMsg?: string;
};

// The SDK's typings miss cloudPay.
const pay = () => (cloud as unknown as { cloudPay: Record<string, (input: Record<string, unknown>) => Promise<Answer>> }).cloudPay;

function nonce(): string {
  return Math.random().toString(36).slice(2, 18).padEnd(16, '0');
}

export interface BusinessFailure {
  ok: false;
  /** What the refusal means to Duet; WeChat's `err_code` does not survive the SDK (it overwrites errCode with 0), so it is read from `errCodeDes`. */
  kind: 'not_found' | 'already_paid' | 'closed' | 'other';
  errCodeDes: string;
}

function kindOf(description: string): BusinessFailure['kind'] {
  if (/不存在/.test(description)) return 'not_found';
  if (/已支付/.test(description)) return 'already_paid';
  if (/已关闭/.test(description)) return 'closed';
  return 'other';
}

function outcome<T>(answer: Answer, read: (answer: Answer) => T): { ok: true; value: T } | BusinessFailure {
  if (answer.returnCode !== 'SUCCESS' || answer.resultCode !== 'SUCCESS') {
    const errCodeDes = String(answer.errCodeDes ?? answer.returnMsg ?? answer.resultCode ?? 'FAIL');
    return { ok: false, kind: kindOf(errCodeDes), errCodeDes };
  }
  return { ok: true, value: read(answer) };
}

export async function unifiedOrder(input: { outTradeNo: string; totalFee: number; body: string; ip?: string }) {
  const settings = paySettings();
  const answer = await pay().unifiedOrder({
    body: input.body,
    outTradeNo: input.outTradeNo,
    totalFee: input.totalFee,
    spbillCreateIp: input.ip ?? '127.0.0.1',
    subMchId: settings.subMchId,
    envId: settings.envId,
    functionName: PAY_NOTIFY_FUNCTION,
    nonceStr: nonce(),
    tradeType: 'JSAPI',
  });
  return outcome(answer, (a) => {
    const payment = a.payment as Record<string, string>;
    return {
      timeStamp: payment.timeStamp,
      nonceStr: payment.nonceStr,
      package: payment.package,
      signType: payment.signType,
      paySign: payment.paySign,
    };
  });
}

export interface TradeFacts {
  tradeState: string;
  totalFee: number;
  feeType: string;
  transactionId: string | null;
  timeEnd: string | null;
}

export async function queryOrder(outTradeNo: string) {
  const answer = await pay().queryOrder({ subMchId: paySettings().subMchId, outTradeNo, nonceStr: nonce() });
  return outcome(
    answer,
    (a): TradeFacts => ({
      tradeState: String(a.tradeState ?? ''),
      totalFee: Number(a.totalFee ?? 0),
      feeType: String(a.feeType ?? 'CNY'),
      transactionId: a.transactionId ? String(a.transactionId) : null,
      timeEnd: a.timeEnd ? String(a.timeEnd) : null,
    }),
  );
}

export async function closeOrder(outTradeNo: string) {
  const answer = await pay().closeOrder({ subMchId: paySettings().subMchId, outTradeNo, nonceStr: nonce() });
  return outcome(answer, () => true);
}

export async function refund(input: { outTradeNo: string; outRefundNo: string; totalFee: number; refundFee: number; reason: string }) {
  const settings = paySettings();
  const answer = await pay().refund({
    subMchId: settings.subMchId,
    envId: settings.envId,
    functionName: PAY_NOTIFY_FUNCTION,
    nonceStr: nonce(),
    outTradeNo: input.outTradeNo,
    outRefundNo: input.outRefundNo,
    totalFee: input.totalFee,
    refundFee: input.refundFee,
    refundDesc: input.reason.slice(0, 80),
  });
  return outcome(answer, (a) => ({ refundId: String(a.refundId ?? '') }));
}

/** One refund's state as WeChat Pay sees it: PROCESSING, SUCCESS, CHANGE (abnormal) or REFUNDCLOSE. */
export async function queryRefund(outRefundNo: string) {
  const answer = await pay().queryRefund({ subMchId: paySettings().subMchId, outRefundNo, nonceStr: nonce() });
  return outcome(answer, (a) => ({
    status: String(a.refundStatus_0 ?? ''),
    successTime: a.refundSuccessTime_0 ? String(a.refundSuccessTime_0) : null,
  }));
}
