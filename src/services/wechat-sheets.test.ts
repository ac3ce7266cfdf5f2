import { describe, expect, it } from 'vitest';
import { answerSubscribeWith, requests, respondWith } from '../../tests/support/taro-double';
import { answerLocalSheet, watchLocalSheet } from './local-sheet';
import { forgetPersonas } from './persona';
import { PaymentCancelled, requestPayment, requestSubscribe } from './wechat-sheets';

function answerNextSheet(answer: Parameters<typeof answerLocalSheet>[0]) {
  const stop = watchLocalSheet((request) => {
    if (request) {
      stop();
      queueMicrotask(() => answerLocalSheet(answer));
    }
  });
}

function localCloud() {
  forgetPersonas();
  respondWith((options) => {
    if (options.url.endsWith('/_emu/personas')) return { personas: [{ name: 'alice', openid: 'o-mini-alice', follows: true }] };
    return { ok: true };
  });
}

describe('WeChat sheets on H5 (local cloud)', () => {
  it('reports the subscription choices to the local cloud as grants for the current persona', async () => {
    localCloud();
    answerNextSheet({ kind: 'subscribe', choices: { TPL_A: 'accept' } });
    const result = await requestSubscribe(['TPL_A', 'TPL_B']);
    expect(result).toEqual({ TPL_A: 'accept', TPL_B: 'reject' });
    const grant = requests.find((r) => r.url.endsWith('/_emu/grants'));
    expect(grant?.data).toEqual({ openid: 'o-mini-alice', templateIds: ['TPL_A', 'TPL_B'], result: { TPL_A: 'accept', TPL_B: 'reject' } });
  });

  it('settles a confirmed payment through the control plane', async () => {
    localCloud();
    answerNextSheet({ kind: 'pay', result: 'SUCCESS' });
    const params = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=p', signType: 'MD5' as const, paySign: 's' };
    await requestPayment(params, { outTradeNo: 'T100', totalFee: 100, description: '测试' });
    const settle = requests.find((r) => r.url.includes('/_emu/payments/T100/settle'));
    expect(settle?.data).toEqual({ result: 'SUCCESS' });
  });

  it('a cancelled payment settles nothing and rejects with PaymentCancelled', async () => {
    localCloud();
    answerNextSheet({ kind: 'pay', result: 'CANCEL' });
    const params = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=p', signType: 'MD5' as const, paySign: 's' };
    await expect(requestPayment(params, { outTradeNo: 'T101', totalFee: 100, description: '测试' })).rejects.toBeInstanceOf(
      PaymentCancelled,
    );
    expect(requests.some((r) => r.url.includes('/settle'))).toBe(false);
  });
});

describe('WeChat sheets in the mini-program', () => {
  it('counts accepts with a way of being told (acceptWithAudio, acceptWithAlert) as accepts, and a missing answer as a reject', async () => {
    const env = process.env.TARO_ENV;
    process.env.TARO_ENV = 'weapp';
    try {
      answerSubscribeWith({ TPL_A: 'acceptWithAudio', TPL_B: 'acceptWithAlert', TPL_C: 'ban', TPL_D: 'filter' });
      expect(await requestSubscribe(['TPL_A', 'TPL_B', 'TPL_C', 'TPL_D', 'TPL_E'])).toEqual({
        TPL_A: 'accept',
        TPL_B: 'accept',
        TPL_C: 'ban',
        TPL_D: 'filter',
        TPL_E: 'reject',
      });
      expect(requests.some((r) => r.url.endsWith('/_emu/grants'))).toBe(false);
    } finally {
      process.env.TARO_ENV = env;
    }
  });
});
