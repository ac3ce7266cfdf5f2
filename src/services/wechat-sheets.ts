import Taro from '@tarojs/taro';
import { currentPersona } from './persona';
import { openLocalSheet, type SubscribeChoice } from './local-sheet';

/**
 * WeChat's subscription and payment sheets. On the mini-program they are WeChat's own; on H5
 * (the local cloud) a local sheet asks instead and reports the choice to the local cloud, so
 * grants and payments happen exactly as the real sheet would make them happen.
 */

export type SubscribeResult = Record<string, SubscribeChoice | 'ban' | 'filter'>;

/** Must be called from a user tap (WeChat refuses it otherwise). */
export function requestSubscribe(templateIds: string[], titles: Record<string, string> = {}): Promise<SubscribeResult> {
  // One branch per build: the mini-program's drops the local sheet entirely.
  return process.env.TARO_ENV === 'weapp' ? subscribeInWeChat(templateIds) : subscribeLocally(templateIds, titles);
}

function subscribeInWeChat(templateIds: string[]): Promise<SubscribeResult> {
  return Taro.requestSubscribeMessage({ tmplIds: templateIds } as Parameters<typeof Taro.requestSubscribeMessage>[0]).then((answer) => {
    const result = answer as unknown as Record<string, string>;
    // acceptWithAudio, acceptWithAlert, acceptWithForcePush: an accept with a way of being told.
    const choice = (value: string | undefined) => (value?.startsWith('accept') ? 'accept' : (value ?? 'reject'));
    return Object.fromEntries(templateIds.map((id) => [id, choice(result[id]) as SubscribeResult[string]]));
  });
}

async function subscribeLocally(templateIds: string[], titles: Record<string, string>): Promise<SubscribeResult> {
  const answer = await openLocalSheet({ kind: 'subscribe', templateIds, titles });
  const choices = answer.kind === 'subscribe' ? answer.choices : {};
  const result = Object.fromEntries(templateIds.map((id) => [id, choices[id] ?? 'reject'])) as Record<string, SubscribeChoice>;
  const persona = await currentPersona();
  await Taro.request({
    url: `${DUET_EMULATOR_URL}/_emu/grants`,
    method: 'POST',
    header: { 'content-type': 'application/json' },
    data: { openid: persona.openid, templateIds, result },
  });
  return result;
}

export interface PaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'MD5' | 'HMAC-SHA256' | 'RSA';
  paySign: string;
}

export class PaymentCancelled extends Error {
  constructor() {
    super('requestPayment:fail cancel');
  }
}

/**
 * Pays an order the server prepared with cloudPay.unifiedOrder. Resolves when WeChat reports
 * the payment done; the order itself becomes paid only through the pay callback.
 */
export async function requestPayment(
  payment: PaymentParams,
  order: { outTradeNo: string; totalFee: number; description: string },
): Promise<void> {
  if (process.env.TARO_ENV === 'weapp') {
    try {
      await Taro.requestPayment(payment);
    } catch (error) {
      if (/cancel/i.test(String((error as { errMsg?: string })?.errMsg ?? error))) throw new PaymentCancelled();
      throw error;
    }
    return;
  }
  const answer = await openLocalSheet({ kind: 'pay', ...order });
  const result = answer.kind === 'pay' ? answer.result : 'CANCEL';
  if (result === 'CANCEL') throw new PaymentCancelled();
  await Taro.request({
    url: `${DUET_EMULATOR_URL}/_emu/payments/${encodeURIComponent(order.outTradeNo)}/settle`,
    method: 'POST',
    header: { 'content-type': 'application/json' },
    data: { result },
  });
  if (result === 'FAIL') throw new Error('requestPayment:fail');
}
