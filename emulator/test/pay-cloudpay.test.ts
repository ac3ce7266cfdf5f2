import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientOf, sdkFor, startTestCloud, useTestCloud } from './support';

const SUB_MCH_ID = '1900000109';

describe('cloudPay through the real SDK', () => {
  const local = useTestCloud({ functionsDir: path.join(import.meta.dirname, 'fixtures/pay-functions') });
  // The SDK's own typings miss cloudPay and mistype results as `void | ...`.
  let cloud: any;
  beforeAll(() => {
    cloud = sdkFor(local.emulator, { openid: 'o-mini-alice', appid: local.emulator.ctx.options.appid });
  });
  // Distinct order numbers per test, so that a failure message names the test's own order.
  let no = 'DUET0000000001';
  let counter = 0;
  beforeEach(() => {
    counter += 1;
    no = `DUET${String(counter).padStart(4, '0')}000000`;
  });

  const order = (overrides: Record<string, unknown> = {}) =>
    cloud.cloudPay.unifiedOrder({
      functionName: 'payCallback',
      envId: local.emulator.ctx.options.envId,
      subMchId: SUB_MCH_ID,
      nonceStr: 'abcdefghij012345',
      body: 'Duet-拼团券',
      outTradeNo: no,
      totalFee: 990,
      spbillCreateIp: '127.0.0.1',
      subOpenid: 'o-mini-alice',
      ...overrides,
    } as any) as Promise<any>;

  const payments = async () => (await local.client.payments.list()).payments as any[];
  const settle = (outTradeNo: string, body: Record<string, unknown> = {}) =>
    local.client.control('POST', `/_emu/payments/${outTradeNo}/settle`, body);
  const recorded = async (outTradeNo = no) => (await payments()).find((p) => p.outTradeNo === outTradeNo);

  it('answers unifiedOrder with production-shaped payment params and records a pending payment', async () => {
    const res = await order();
    expect(res).toMatchObject({
      errCode: 0,
      errMsg: 'cloudPay.unifiedOrder:ok',
      returnCode: 'SUCCESS',
      returnMsg: 'OK',
      resultCode: 'SUCCESS',
      subMchId: SUB_MCH_ID,
      subAppid: local.emulator.ctx.options.appid,
      tradeType: 'JSAPI',
    });
    expect(res.prepayId).toMatch(/^wx[0-9a-f]{34}$/);
    const { payment } = res;
    expect(Object.keys(payment).sort()).toEqual(['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    expect(payment.appId).toBe(local.emulator.ctx.options.appid);
    expect(payment.package).toBe(`prepay_id=${res.prepayId}`);
    expect(payment.signType).toBe('MD5');
    expect(payment.timeStamp).toMatch(/^\d{10}$/);
    // paySign is the V2 MD5 signature over the other four fields.
    const signed = ['appId', 'nonceStr', 'package', 'signType', 'timeStamp'].map((k) => `${k}=${payment[k]}`).join('&');
    const keyed = createHash('md5').update(`${signed}&key=duetlocalcloudpaymerchantkey0001`).digest('hex').toUpperCase();
    expect(payment.paySign).toBe(keyed);

    const record = await recorded();
    expect(record).toMatchObject({
      outTradeNo: no,
      state: 'NOTPAY',
      totalFee: 990,
      functionName: 'payCallback',
      openid: 'o-mini-alice',
      prepayId: res.prepayId,
      refunds: [],
    });
  });

  it('returns the same prepay order for a repeat and refuses a duplicate outTradeNo with other content', async () => {
    const first = await order();
    const again = await order({ nonceStr: 'anothernonce0000' });
    expect(again.resultCode).toBe('SUCCESS');
    expect(again.prepayId).toBe(first.prepayId);

    const other = await order({ totalFee: 1 });
    expect(other).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'FAIL', errCodeDes: '201 商户订单号重复' });
    // The SDK overwrites err_code with errCode 0 — as in production — so resultCode is what to check.
    expect(other.errCode).toBe(0);
    expect(other.payment).toBeUndefined();
    expect((await recorded()).totalFee).toBe(990);
  });

  it('refuses amounts that are not positive integers of fen and missing callback settings', async () => {
    for (const totalFee of [0, -5, 9.9, '990']) {
      const res = await order({ outTradeNo: `${no}2`, totalFee });
      expect(res.resultCode, String(totalFee)).toBe('FAIL');
      expect(res.errCodeDes).toContain('total_fee');
    }
    const noCallback = await order({ outTradeNo: `${no}3`, functionName: undefined });
    expect(noCallback).toMatchObject({ resultCode: 'FAIL', errCodeDes: expect.stringContaining('function_name') });
    expect(await recorded(`${no}2`)).toBeUndefined();
    expect(await recorded(`${no}3`)).toBeUndefined();
  });

  it('settles a payment and answers queryOrder from the record', async () => {
    await order();
    const notYet = (await cloud.cloudPay.queryOrder({ subMchId: SUB_MCH_ID, outTradeNo: no, nonceStr: 'x' } as any)) as any;
    expect(notYet).toMatchObject({ resultCode: 'SUCCESS', tradeState: 'NOTPAY', tradeStateDesc: '订单未支付' });

    const settled = await local.client.payments.settle(no, { result: 'SUCCESS', persona: 'bob' });
    expect(settled.payment.state).toBe('SUCCESS');
    expect(settled.deliveries).toHaveLength(1);

    const paid = (await cloud.cloudPay.queryOrder({ subMchId: SUB_MCH_ID, outTradeNo: no, nonceStr: 'x' } as any)) as any;
    expect(paid).toMatchObject({
      resultCode: 'SUCCESS',
      tradeState: 'SUCCESS',
      totalFee: 990,
      cashFee: 990,
      subOpenid: 'o-mini-bob',
      outTradeNo: no,
    });
    expect(paid.transactionId).toMatch(/^4200\d{24}$/);
    expect(paid.timeEnd).toMatch(/^\d{14}$/);
    expect(paid.openid).not.toBe('o-mini-bob');

    const again = await order();
    expect(again).toMatchObject({ resultCode: 'FAIL', errCodeDes: '该订单已支付' });
    const unknown = (await cloud.cloudPay.queryOrder({ subMchId: SUB_MCH_ID, outTradeNo: 'NOPE000001', nonceStr: 'x' } as any)) as any;
    expect(unknown).toMatchObject({ resultCode: 'FAIL', errCodeDes: '此交易订单号不存在' });
  });

  it('marks a failed payment without a callback, and closes unpaid orders for good', async () => {
    await order();
    const failed = await local.client.payments.settle(no, { result: 'FAIL' });
    expect(failed).toMatchObject({ payment: { state: 'PAYERROR' }, deliveries: [] });
    expect((await local.client.functions.logs('payCallback')).logs).toEqual([]);

    await order({ outTradeNo: `${no}4` });
    const closed = (await cloud.cloudPay.closeOrder({ subMchId: SUB_MCH_ID, outTradeNo: `${no}4`, nonceStr: 'x' } as any)) as any;
    expect(closed.resultCode).toBe('SUCCESS');
    expect((await order({ outTradeNo: `${no}4` })).errCodeDes).toBe('201 商户订单号重复');
    expect(await settle(`${no}4`)).toEqual({ status: 409, body: { error: { message: `payment ${no}4 is closed` } } });
    expect(await settle('NOPE000001')).toEqual({ status: 404, body: { error: { message: 'no payment with outTradeNo NOPE000001' } } });
    expect(await settle(no, { result: 'MAYBE' })).toEqual({
      status: 400,
      body: { error: { message: '"result" must be "SUCCESS" or "FAIL"' } },
    });
    // The refused settles changed nothing and called no one.
    expect((await recorded(`${no}4`)).state).toBe('CLOSED');
    expect((await recorded(`${no}4`)).deliveries).toEqual([]);
    expect((await recorded()).state).toBe('PAYERROR');
    expect((await local.client.functions.logs('payCallback')).logs).toEqual([]);
  });

  it('refunds idempotently on outRefundNo and refuses more than was paid', async () => {
    await order();
    const early = (await refund('R-1', 100)) as any;
    expect(early).toMatchObject({ resultCode: 'FAIL', errCodeDes: '订单状态错误' });
    await local.client.payments.settle(no);

    const tooMuch = (await refund('R-1', 991)) as any;
    expect(tooMuch).toMatchObject({ resultCode: 'FAIL', errCodeDes: '累计退款金额大于支付金额' });

    const first = (await refund('R-1', 600)) as any;
    expect(first).toMatchObject({
      errMsg: 'cloudPay.refund:ok',
      resultCode: 'SUCCESS',
      outRefundNo: `${no}-R-1`,
      refundFee: 600,
      totalFee: 990,
    });
    expect(first.refundId).toMatch(/^503\d{26}$/);
    const retry = (await refund('R-1', 600)) as any;
    expect(retry.refundId).toBe(first.refundId);
    const changed = (await refund('R-1', 500)) as any;
    expect(changed.resultCode).toBe('FAIL');

    // 600 is on its way: only 390 is left.
    expect(((await refund('R-2', 391)) as any).errCodeDes).toBe('累计退款金额大于支付金额');
    expect(((await refund('R-2', 390)) as any).resultCode).toBe('SUCCESS');

    const record = await recorded();
    expect(record.state).toBe('REFUND');
    expect(record.refunds.map((r: any) => [r.outRefundNo, r.refundFee, r.state])).toEqual([
      [`${no}-R-1`, 600, 'PROCESSING'],
      [`${no}-R-2`, 390, 'PROCESSING'],
    ]);
    expect(record.refundableFee).toBe(0);

    const settled = await local.client.payments.settleRefund(`${no}-R-1`, { result: 'SUCCESS' });
    expect(settled.refund).toMatchObject({ state: 'SUCCESS', successTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });

    const byNo = (await cloud.cloudPay.queryRefund({ subMchId: SUB_MCH_ID, outRefundNo: `${no}-R-1`, nonceStr: 'x' } as any)) as any;
    expect(byNo).toMatchObject({
      resultCode: 'SUCCESS',
      refundCount: 1,
      outRefundNo_0: `${no}-R-1`,
      refundStatus_0: 'SUCCESS',
      refundFee_0: 600,
    });
    const byOrder = (await cloud.cloudPay.queryRefund({ subMchId: SUB_MCH_ID, outTradeNo: no, nonceStr: 'x' } as any)) as any;
    expect(byOrder).toMatchObject({ refundCount: 2, refundStatus_0: 'SUCCESS', refundStatus_1: 'PROCESSING' });

    // A refund that failed can be retried with the same number.
    await local.client.payments.settleRefund(`${no}-R-2`, { result: 'FAIL' });
    // A settled refund cannot be settled otherwise; the refusal changes nothing.
    expect(await local.client.control('POST', `/_emu/refunds/${no}-R-1/settle`, { result: 'CLOSED' })).toEqual({
      status: 409,
      body: { error: { message: `refund ${no}-R-1 is already SUCCESS` } },
    });
    expect((await recorded()).refunds[0].state).toBe('SUCCESS');
    expect(((await refund('R-2', 390)) as any).resultCode).toBe('SUCCESS');
    expect((await recorded()).refunds[1].state).toBe('PROCESSING');
  });

  it('allows at most 50 refunds per order', async () => {
    await order({ totalFee: 60 });
    await local.client.payments.settle(no);
    for (let i = 1; i <= 50; i += 1) {
      expect(((await refund(`R-${i}`, 1, 60)) as any).resultCode, `refund ${i}`).toBe('SUCCESS');
    }
    const fiftyFirst = (await refund('R-51', 1, 60)) as any;
    expect(fiftyFirst.resultCode).toBe('FAIL');
    expect(fiftyFirst.errCodeDes).toContain('50');
    expect((await recorded()).refunds).toHaveLength(50);
  });

  it('injects cloudPay faults by api name in the shape the SDK surfaces', async () => {
    await local.client.faults.add('cloudPay.unifiedOrder', { errCode: -501001, errMsg: 'system busy' });
    const error = await order().catch((e) => e);
    expect(error).toMatchObject({ errCode: -501001 });
    expect(String(error.errMsg)).toContain('unifiedOrder:fail');
    expect(String(error.errMsg)).toContain('system busy');
    // The faulted call recorded nothing; the next one goes through.
    expect(await recorded()).toBeUndefined();
    expect((await order()).resultCode).toBe('SUCCESS');

    await local.client.payments.settle(no);
    await local.client.faults.add('cloudPay.refund', { errCode: 40097, errMsg: 'invalid args' });
    await expect(refund('R-1', 10)).rejects.toMatchObject({ errCode: 40097 });
    expect((await recorded()).refunds).toHaveLength(0);
  });

  describe('callbacks through the function runner', () => {
    it('delivers the production-shaped pay notice as many times as asked', async (_ctx) => {
      await order({ attach: 'group:42' });
      const { deliveries, payment } = (await local.client.payments.settle(no, { result: 'SUCCESS', deliveries: 3 })) as any;
      expect(deliveries).toHaveLength(3);
      expect(payment.callbackAcked).toBe(true);
      const events = deliveries.map((d: any) => d.result.received);
      for (const d of deliveries) expect(d).toMatchObject({ acked: true, result: { errcode: 0 } });
      expect(events[0]).toMatchObject({
        returnCode: 'SUCCESS',
        resultCode: 'SUCCESS',
        subMchId: SUB_MCH_ID,
        subAppid: local.emulator.ctx.options.appid,
        subOpenid: 'o-mini-alice',
        isSubscribe: 'N',
        tradeType: 'JSAPI',
        bankType: 'OTHERS',
        totalFee: 990,
        cashFee: 990,
        feeType: 'CNY',
        outTradeNo: no,
        attach: 'group:42',
        transactionId: payment.transactionId,
        timeEnd: payment.timeEnd,
        userInfo: { appId: local.emulator.ctx.options.appid, openId: 'o-mini-alice' },
      });
      for (const key of ['appid', 'mchId', 'nonceStr', 'openid']) expect(typeof events[0][key], key).toBe('string');
      // Duplicates carry the same transaction: a handler must dedupe on it.
      expect(new Set(events.map((e: any) => e.transactionId)).size).toBe(1);
      // What the callback saw, from the runner's log: SOURCE wx_paycallback (production's for cloudPay notices)
      // and no caller OPENID — the payer travels in the event.
      const { logs } = await local.client.functions.logs('payCallback');
      expect(logs.map((l) => [l.source, l.openid, l.status])).toEqual(Array(3).fill(['wx_paycallback', undefined, 'success']));
    });

    it('records a callback that does not answer { errcode: 0 } as not acknowledged', async (_ctx) => {
      await order({ attach: 'nack' });
      const settled = await local.client.payments.settle(no, { deliveries: 2 });
      expect(settled.deliveries.map((d) => d.acked)).toEqual([false, false]);
      expect(settled.payment.callbackAcked).toBe(false);
    });

    it('delivers the refund notice with reqInfo', async (_ctx) => {
      await order();
      await local.client.payments.settle(no);
      const placed = (await refund('R-9', 300)) as any;
      const settled = await local.client.payments.settleRefund(`${no}-R-9`, { result: 'SUCCESS' });
      expect(settled.deliveries).toHaveLength(1);
      expect(settled.deliveries[0]).toMatchObject({ acked: true });
      expect((settled.deliveries[0].result as any).received).toMatchObject({
        returnCode: 'SUCCESS',
        subMchId: SUB_MCH_ID,
        reqInfo: {
          outTradeNo: no,
          outRefundNo: `${no}-R-9`,
          refundId: placed.refundId,
          refundFee: 300,
          settlementRefundFee: 300,
          totalFee: 990,
          refundStatus: 'SUCCESS',
          successTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
          refundRecvAccout: '支付用户零钱',
        },
      });
      const { logs } = await local.client.functions.logs('refundCallback');
      expect(logs.map((l) => [l.source, l.status])).toEqual([['wx_paycallback', 'success']]);
    });

    it("takes the payer from the calling function's OPENID", async (_ctx) => {
      const outcome = await local.emulator.ctx.functions.invoke(
        'payOrder',
        { outTradeNo: 'DUETFN00000001', totalFee: 100 },
        { user: { openid: 'o-mini-carol', appid: local.emulator.ctx.options.appid } },
      );
      expect(outcome).toMatchObject({ result: { resultCode: 'SUCCESS' } });
      const record = (await payments()).find((p) => p.outTradeNo === 'DUETFN00000001');
      expect(record.openid).toBe('o-mini-carol');
    });
  });

  it('reset clears every payment', async () => {
    await order();
    expect((await payments()).length).toBeGreaterThan(0);
    await local.client.reset();
    expect(await payments()).toHaveLength(0);
  });

  function refund(outRefundNo: string, refundFee: number, totalFee = 990) {
    return cloud.cloudPay.refund({
      functionName: 'refundCallback',
      envId: local.emulator.ctx.options.envId,
      subMchId: SUB_MCH_ID,
      nonceStr: 'refundnonce00001',
      outTradeNo: no,
      outRefundNo: `${no}-${outRefundNo}`,
      totalFee,
      refundFee,
    } as any);
  }
});

describe('payments across a restart', () => {
  it('keeps payments and their refunds in the data dir', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'duet-pay-'));
    try {
      const first = await startTestCloud({
        ephemeral: false,
        dataDir,
        functionsDir: path.join(import.meta.dirname, 'fixtures/pay-functions'),
      });
      try {
        const cloud: any = sdkFor(first);
        const placed = await cloud.cloudPay.unifiedOrder({
          functionName: 'payCallback',
          envId: first.ctx.options.envId,
          subMchId: SUB_MCH_ID,
          nonceStr: 'n',
          body: 'kept',
          outTradeNo: 'KEEP00000001',
          totalFee: 100,
        });
        expect(placed.resultCode).toBe('SUCCESS');
      } finally {
        await first.stop();
      }
      const second = await startTestCloud({
        ephemeral: false,
        dataDir,
        functionsDir: path.join(import.meta.dirname, 'fixtures/pay-functions'),
      });
      try {
        const { payment } = await clientOf(second).payments.get('KEEP00000001');
        expect(payment).toMatchObject({ outTradeNo: 'KEEP00000001', state: 'NOTPAY', totalFee: 100 });
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
