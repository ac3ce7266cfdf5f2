import {
  compactTime,
  md5Sign,
  nonceStr,
  prepayId,
  PROVIDER_APPID,
  PROVIDER_MCH_ID,
  providerOpenid,
  refundId,
  spacedTime,
  transactionId,
} from './wire';

/**
 * The payments the local cloud knows: what cloudPay.* recorded and what the control plane
 * settled. Answers are WeChat Pay V2 JSON in snake_case (cloudPay's wire); the SDK turns them
 * into camelCase and overwrites `errCode` with 0 — exactly what happens in production, so a
 * business failure shows as `resultCode: 'FAIL'` + `errCodeDes`, never as a thrown error.
 */

export type TradeState = 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED' | 'PAYERROR';
export type RefundState = 'PROCESSING' | 'SUCCESS' | 'CHANGE' | 'REFUNDCLOSE';

export interface Delivery {
  delivery: number;
  at: string;
  /** What the callback function returned (or the runner's error). */
  result?: unknown;
  error?: { errCode: number; errMsg: string };
  /** Production counts a delivery as acknowledged only when the function returns `{ errcode: 0 }`. */
  acked: boolean;
}

export interface RefundRecord {
  outRefundNo: string;
  refundId: string;
  outTradeNo: string;
  totalFee: number;
  refundFee: number;
  refundDesc?: string;
  functionName?: string;
  envId?: string;
  state: RefundState;
  createdAt: string;
  successTime?: string;
  deliveries: Delivery[];
  callbackAcked: boolean;
}

export interface PaymentRecord {
  outTradeNo: string;
  state: TradeState;
  body: string;
  totalFee: number;
  feeType: string;
  subMchId: string;
  tradeType: string;
  attach?: string;
  detail?: string;
  spbillCreateIp?: string;
  functionName: string;
  envId: string;
  /** The mini-program appid the payment belongs to (payment.appId). */
  appid: string;
  /** Payer's mini-program openid, when known (the calling function's OPENID). */
  openid?: string;
  prepayId: string;
  createdAt: string;
  fingerprint: string;
  transactionId?: string;
  timeEnd?: string;
  bankType?: string;
  deliveries: Delivery[];
  callbackAcked: boolean;
  refunds: RefundRecord[];
}

export interface LedgerDeps {
  now(): Date;
  /** The mini-program appid (sub_appid) used when the caller's appid is unknown. */
  appid: string;
  load(): PaymentRecord[];
  save(records: PaymentRecord[]): void;
}

type Wire = Record<string, unknown>;

const MAX_REFUNDS_PER_ORDER = 50;
const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;

const TRADE_STATE_DESC: Record<TradeState, string> = {
  SUCCESS: '支付成功',
  REFUND: '订单发生过退款',
  NOTPAY: '订单未支付',
  CLOSED: '订单已关闭',
  PAYERROR: '支付失败,请重新下单支付',
};

export class PayLedger {
  private records: PaymentRecord[];

  constructor(private readonly deps: LedgerDeps) {
    this.records = deps.load();
  }

  list(): PaymentRecord[] {
    return structuredClone(this.records);
  }

  find(outTradeNo: string): PaymentRecord | undefined {
    return this.records.find((p) => p.outTradeNo === outTradeNo);
  }

  findRefund(outRefundNo: string): { payment: PaymentRecord; refund: RefundRecord } | undefined {
    for (const payment of this.records) {
      const refund = payment.refunds.find((r) => r.outRefundNo === outRefundNo);
      if (refund) return { payment, refund };
    }
    return undefined;
  }

  clear(): void {
    this.records = [];
    this.persist();
  }

  persist(): void {
    this.deps.save(this.records);
  }

  private envelope(subMchId: string, appid: string): Wire {
    return {
      return_code: 'SUCCESS',
      return_msg: 'OK',
      appid: PROVIDER_APPID,
      mch_id: PROVIDER_MCH_ID,
      sub_appid: appid,
      sub_mch_id: subMchId,
      nonce_str: nonceStr(),
    };
  }

  private fail(data: Wire, errCode: string, errCodeDes: string): Wire {
    const answer: Wire = {
      ...this.envelope(String(data.sub_mch_id ?? ''), this.deps.appid),
      result_code: 'FAIL',
      err_code: errCode,
      err_code_des: errCodeDes,
    };
    answer.sign = md5Sign(answer);
    return answer;
  }

  /** A signed business failure (`result_code: FAIL`) for this request, recording nothing. */
  failure(data: Wire, errCode: string, errCodeDes: string): Wire {
    return this.fail(data, errCode, errCodeDes);
  }

  private signed(answer: Wire): Wire {
    answer.sign = md5Sign(answer);
    return answer;
  }

  unifiedOrder(data: Wire, caller: { openid?: string; appid?: string }): Wire {
    const missing = ['body', 'out_trade_no', 'total_fee', 'sub_mch_id', 'env_id', 'function_name'].find(
      (k) => data[k] === undefined || data[k] === null || data[k] === '',
    );
    if (missing === 'out_trade_no') return this.fail(data, 'PARAM_ERROR', '参数错误:必须输入商户单号');
    if (missing) return this.fail(data, 'PARAM_ERROR', `参数错误:缺少参数${missing}`);
    const outTradeNo = String(data.out_trade_no);
    if (!OUT_TRADE_NO.test(outTradeNo)) {
      return this.fail(data, 'PARAM_ERROR', 'out_trade_no参数格式错误:要求6至32个字符,只能是数字、大小写字母_-|*');
    }
    const totalFee = data.total_fee;
    if (typeof totalFee !== 'number' || !Number.isInteger(totalFee) || totalFee <= 0) {
      return this.fail(data, 'PARAM_ERROR', 'total_fee参数格式错误:订单金额必须为大于0的整数(单位:分)');
    }
    if (String(data.body).length > 128) return this.fail(data, 'PARAM_ERROR', 'body参数长度有误');
    const tradeType = String(data.trade_type ?? 'JSAPI');
    const appid = caller.appid || String(data.sub_appid ?? '') || this.deps.appid;
    const openid = caller.openid || (data.sub_openid ? String(data.sub_openid) : undefined) || undefined;
    const fingerprint = JSON.stringify([
      String(data.sub_mch_id),
      String(data.body),
      totalFee,
      String(data.fee_type ?? 'CNY'),
      String(data.attach ?? ''),
      String(data.detail ?? ''),
      tradeType,
      String(data.function_name),
      String(data.env_id),
      openid ?? '',
    ]);
    const now = this.deps.now();
    let record = this.find(outTradeNo);
    if (record) {
      if (record.state === 'SUCCESS' || record.state === 'REFUND') return this.fail(data, 'ORDERPAID', '该订单已支付');
      // Production: one out_trade_no = one order. A repeat with the same content gets the same
      // prepay order back; anything else (or a closed order) is "201 商户订单号重复".
      if (record.state !== 'NOTPAY' || record.fingerprint !== fingerprint) {
        return this.fail(data, 'INVALID_REQUEST', '201 商户订单号重复');
      }
    } else {
      record = {
        outTradeNo,
        state: 'NOTPAY',
        body: String(data.body),
        totalFee,
        feeType: String(data.fee_type ?? 'CNY'),
        subMchId: String(data.sub_mch_id),
        tradeType,
        attach: data.attach === undefined ? undefined : String(data.attach),
        detail: data.detail === undefined ? undefined : String(data.detail),
        spbillCreateIp: data.spbill_create_ip === undefined ? undefined : String(data.spbill_create_ip),
        functionName: String(data.function_name),
        envId: String(data.env_id),
        appid,
        openid,
        prepayId: prepayId(now),
        createdAt: now.toISOString(),
        fingerprint,
        deliveries: [],
        callbackAcked: false,
        refunds: [],
      };
      this.records.push(record);
      this.persist();
    }
    const envelope = this.envelope(record.subMchId, record.appid);
    const paymentFields = {
      appId: record.appid,
      timeStamp: String(Math.floor(now.getTime() / 1000)),
      nonceStr: String(envelope.nonce_str),
      package: `prepay_id=${record.prepayId}`,
      signType: 'MD5',
    };
    return {
      ...this.signed({ ...envelope, result_code: 'SUCCESS', trade_type: record.tradeType, prepay_id: record.prepayId }),
      payment: { ...paymentFields, paySign: md5Sign(paymentFields) },
    };
  }

  queryOrder(data: Wire): Wire {
    const record = this.lookupOrder(data);
    if (!record) return this.fail(data, 'ORDERNOTEXIST', '此交易订单号不存在');
    const answer: Wire = {
      ...this.envelope(record.subMchId, record.appid),
      result_code: 'SUCCESS',
      out_trade_no: record.outTradeNo,
      trade_state: record.state,
      trade_state_desc: TRADE_STATE_DESC[record.state],
      total_fee: record.totalFee,
      fee_type: record.feeType,
      attach: record.attach,
    };
    if (record.state === 'SUCCESS' || record.state === 'REFUND') {
      Object.assign(answer, {
        openid: record.openid ? providerOpenid(record.openid) : '',
        is_subscribe: 'N',
        sub_openid: record.openid ?? '',
        sub_is_subscribe: 'N',
        trade_type: record.tradeType,
        bank_type: record.bankType ?? 'OTHERS',
        cash_fee: record.totalFee,
        cash_fee_type: record.feeType,
        transaction_id: record.transactionId,
        time_end: record.timeEnd,
      });
    }
    return this.signed(dropUndefined(answer));
  }

  closeOrder(data: Wire): Wire {
    const record = this.lookupOrder(data);
    if (!record) return this.fail(data, 'ORDERNOTEXIST', '订单不存在');
    if (record.state === 'SUCCESS' || record.state === 'REFUND') return this.fail(data, 'ORDERPAID', '订单已支付，不能发起关单');
    if (record.state === 'CLOSED') return this.fail(data, 'ORDERCLOSED', '订单已关闭，无法重复关闭');
    record.state = 'CLOSED';
    this.persist();
    return this.signed({ ...this.envelope(record.subMchId, record.appid), result_code: 'SUCCESS' });
  }

  refund(data: Wire): Wire {
    const missing = ['out_refund_no', 'total_fee', 'refund_fee', 'sub_mch_id', 'env_id', 'function_name'].find(
      (k) => data[k] === undefined || data[k] === null || data[k] === '',
    );
    if (!data.out_trade_no && !data.transaction_id) return this.fail(data, 'PARAM_ERROR', '参数错误:必须输入商户单号或微信订单号');
    if (missing) return this.fail(data, 'PARAM_ERROR', `参数错误:缺少参数${missing}`);
    const outRefundNo = String(data.out_refund_no);
    if (!OUT_REFUND_NO.test(outRefundNo)) return this.fail(data, 'PARAM_ERROR', 'out_refund_no参数格式错误');
    const { total_fee: totalFee, refund_fee: refundFee } = data;
    if (typeof totalFee !== 'number' || !Number.isInteger(totalFee) || totalFee <= 0) {
      return this.fail(data, 'PARAM_ERROR', 'total_fee参数格式错误');
    }
    if (typeof refundFee !== 'number' || !Number.isInteger(refundFee) || refundFee <= 0) {
      return this.fail(data, 'PARAM_ERROR', 'refund_fee参数格式错误');
    }
    const record = this.lookupOrder(data);
    if (!record) return this.fail(data, 'ORDERNOTEXIST', '订单不存在');
    if (record.state !== 'SUCCESS' && record.state !== 'REFUND') return this.fail(data, 'TRADE_STATE_ERROR', '订单状态错误');
    if (totalFee !== record.totalFee) return this.fail(data, 'INVALID_REQUEST', '订单金额或退款金额与之前请求不一致，请核实后再试');

    const elsewhere = this.findRefund(outRefundNo);
    if (elsewhere && elsewhere.payment !== record) {
      // out_refund_no is unique per merchant, not per order.
      return this.fail(data, 'INVALID_REQUEST', '商户退款单号重复,请使用新的退款单号');
    }
    const now = this.deps.now();
    let refund = record.refunds.find((r) => r.outRefundNo === outRefundNo);
    if (refund) {
      // Same out_refund_no = the same refund: a retry, never a second payout.
      if (refund.refundFee !== refundFee) {
        return this.fail(data, 'INVALID_REQUEST', '订单金额或退款金额与之前请求不一致，请核实后再试');
      }
      if (refund.state === 'CHANGE' || refund.state === 'REFUNDCLOSE') {
        if (refundFee > this.refundable(record)) return this.fail(data, 'ERROR', '累计退款金额大于支付金额');
        refund.state = 'PROCESSING';
        refund.successTime = undefined;
        this.persist();
      }
    } else {
      if (record.refunds.length >= MAX_REFUNDS_PER_ORDER) {
        return this.fail(data, 'INVALID_REQUEST', '订单退款次数已达上限(50次)');
      }
      if (refundFee > this.refundable(record)) return this.fail(data, 'ERROR', '累计退款金额大于支付金额');
      refund = {
        outRefundNo,
        refundId: refundId(now),
        outTradeNo: record.outTradeNo,
        totalFee: record.totalFee,
        refundFee,
        refundDesc: data.refund_desc === undefined ? undefined : String(data.refund_desc),
        functionName: String(data.function_name),
        envId: String(data.env_id),
        state: 'PROCESSING',
        createdAt: now.toISOString(),
        deliveries: [],
        callbackAcked: false,
      };
      record.refunds.push(refund);
      record.state = 'REFUND';
      this.persist();
    }
    return this.signed(
      dropUndefined({
        ...this.envelope(record.subMchId, record.appid),
        result_code: 'SUCCESS',
        transaction_id: record.transactionId,
        out_trade_no: record.outTradeNo,
        out_refund_no: refund.outRefundNo,
        refund_id: refund.refundId,
        refund_fee: refund.refundFee,
        settlement_refund_fee: refund.refundFee,
        total_fee: record.totalFee,
        settlement_total_fee: record.totalFee,
        fee_type: record.feeType,
        cash_fee: record.totalFee,
        cash_refund_fee: refund.refundFee,
        refund_channel: '',
      }),
    );
  }

  queryRefund(data: Wire): Wire {
    let record: PaymentRecord | undefined;
    let refunds: RefundRecord[] = [];
    if (data.refund_id || data.out_refund_no) {
      for (const payment of this.records) {
        const hit = payment.refunds.find((r) =>
          data.refund_id ? r.refundId === String(data.refund_id) : r.outRefundNo === String(data.out_refund_no),
        );
        if (hit) {
          record = payment;
          refunds = [hit];
          break;
        }
      }
    } else {
      record = this.lookupOrder(data);
      refunds = record?.refunds ?? [];
    }
    if (!record || refunds.length === 0) return this.fail(data, 'REFUNDNOTEXIST', '退款订单查询失败');
    const offset = typeof data.offset === 'number' ? data.offset : 0;
    const page = refunds.slice(offset, offset + 10);
    const answer: Wire = {
      ...this.envelope(record.subMchId, record.appid),
      result_code: 'SUCCESS',
      transaction_id: record.transactionId,
      out_trade_no: record.outTradeNo,
      total_fee: record.totalFee,
      cash_fee: record.totalFee,
      fee_type: record.feeType,
      refund_fee: page.reduce((sum, r) => sum + r.refundFee, 0),
      total_refund_count: record.refunds.length,
      refund_count: page.length,
    };
    page.forEach((r, i) => {
      Object.assign(answer, {
        [`out_refund_no_${i}`]: r.outRefundNo,
        [`refund_id_${i}`]: r.refundId,
        [`refund_channel_${i}`]: 'ORIGINAL',
        [`refund_fee_${i}`]: r.refundFee,
        [`settlement_refund_fee_${i}`]: r.refundFee,
        [`refund_status_${i}`]: r.state,
        [`refund_account_${i}`]: 'REFUND_SOURCE_UNSETTLED_FUNDS',
        [`refund_recv_accout_${i}`]: '支付用户零钱',
        [`refund_success_time_${i}`]: r.successTime,
      });
    });
    return this.signed(dropUndefined(answer));
  }

  /** Money that can still go back: paid minus refunds that are done or on their way. */
  refundable(record: PaymentRecord): number {
    const committed = record.refunds
      .filter((r) => r.state === 'SUCCESS' || r.state === 'PROCESSING')
      .reduce((sum, r) => sum + r.refundFee, 0);
    return record.totalFee - committed;
  }

  private lookupOrder(data: Wire): PaymentRecord | undefined {
    if (data.out_trade_no) return this.find(String(data.out_trade_no));
    if (data.transaction_id) return this.records.find((p) => p.transactionId === String(data.transaction_id));
    return undefined;
  }

  /** Marks the payment paid (first time only: a repeated settle re-delivers the same notice). */
  markPaid(record: PaymentRecord, payer: { openid?: string; bankType?: string }): void {
    if (record.state === 'NOTPAY' || record.state === 'PAYERROR') {
      const now = this.deps.now();
      record.state = 'SUCCESS';
      record.transactionId = transactionId(now);
      record.timeEnd = compactTime(now);
      record.bankType = payer.bankType ?? 'OTHERS';
      if (payer.openid) record.openid = payer.openid;
      this.persist();
    }
  }

  markFailed(record: PaymentRecord): void {
    record.state = 'PAYERROR';
    this.persist();
  }

  settleRefund(refund: RefundRecord, status: 'SUCCESS' | 'CHANGE' | 'REFUNDCLOSE'): void {
    refund.state = status;
    refund.successTime = status === 'SUCCESS' ? spacedTime(this.deps.now()) : undefined;
    this.persist();
  }

  /** The event production hands the pay callback function (camelCase, per the cloud docs). */
  payEvent(record: PaymentRecord): Record<string, unknown> {
    const subOpenid = record.openid ?? '';
    return dropUndefined({
      returnCode: 'SUCCESS',
      appid: PROVIDER_APPID,
      mchId: PROVIDER_MCH_ID,
      subAppid: record.appid,
      subMchId: record.subMchId,
      nonceStr: nonceStr(),
      resultCode: 'SUCCESS',
      openid: subOpenid ? providerOpenid(subOpenid) : '',
      isSubscribe: 'N',
      subOpenid,
      subIsSubscribe: 'N',
      tradeType: record.tradeType,
      bankType: record.bankType ?? 'OTHERS',
      totalFee: record.totalFee,
      feeType: record.feeType,
      cashFee: record.totalFee,
      transactionId: record.transactionId,
      outTradeNo: record.outTradeNo,
      attach: record.attach,
      timeEnd: record.timeEnd,
      userInfo: { appId: record.appid, openId: subOpenid },
    });
  }

  /** The refund notice with `req_info` already decrypted, as cloudPay hands it to the function. */
  refundEvent(record: PaymentRecord, refund: RefundRecord): Record<string, unknown> {
    return {
      returnCode: 'SUCCESS',
      appid: PROVIDER_APPID,
      mchId: PROVIDER_MCH_ID,
      subAppid: record.appid,
      subMchId: record.subMchId,
      nonceStr: nonceStr(),
      reqInfo: dropUndefined({
        transactionId: record.transactionId,
        outTradeNo: record.outTradeNo,
        refundId: refund.refundId,
        outRefundNo: refund.outRefundNo,
        totalFee: record.totalFee,
        settlementTotalFee: record.totalFee,
        refundFee: refund.refundFee,
        settlementRefundFee: refund.state === 'SUCCESS' ? refund.refundFee : 0,
        refundStatus: refund.state,
        successTime: refund.successTime,
        refundRecvAccout: '支付用户零钱',
        refundAccount: 'REFUND_SOURCE_UNSETTLED_FUNDS',
        refundRequestSource: 'API',
      }),
      userInfo: { appId: record.appid, openId: record.openid ?? '' },
    };
  }
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}
