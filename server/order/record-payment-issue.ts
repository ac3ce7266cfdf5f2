import { insertPaymentIssue, type PaymentIssueDoc } from './repository';

/** A successful payment as WeChat Pay reported it (the callback, or `queryOrder` when the callback was lost). */
export interface PaymentFacts {
  outTradeNo: string;
  totalFee: number;
  feeType: string;
  transactionId: string | null;
  /** yyyyMMddHHmmss, Beijing time, as WeChat Pay writes it. */
  timeEnd: string | null;
}

/** A payment that did not fit its order, kept for operators (`listPaymentIssues`); once per payment and kind. */
export async function recordIssue(
  facts: PaymentFacts,
  kind: PaymentIssueDoc['kind'],
  detail: string,
  now: Date,
  refundId: string | null = null,
) {
  await insertPaymentIssue({
    _id: `${kind}:${facts.outTradeNo}:${facts.transactionId ?? 'none'}`,
    kind,
    outTradeNo: facts.outTradeNo,
    transactionId: facts.transactionId,
    totalFee: facts.totalFee,
    feeType: facts.feeType,
    detail,
    refundId,
    createdAt: now,
  });
}
