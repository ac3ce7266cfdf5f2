import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sdkFor, useTestCloud } from './support';

/**
 * The cloudPay flows the orders feature leans on (issue 12): refund state polled with queryRefund,
 * callbacks that never arrive, and refunds that fail a few times before they go through with the
 * same out_refund_no. All through the real SDK.
 */

const SUB_MCH_ID = '1900000109';

describe('cloudPay flows for orders', () => {
  const local = useTestCloud({ functionsDir: path.join(import.meta.dirname, 'fixtures/pay-functions') });
  // The SDK's own typings miss cloudPay.
  let cloud: any;
  beforeAll(() => {
    cloud = sdkFor(local.emulator, { openid: 'o-mini-alice', appid: local.emulator.ctx.options.appid });
  });
  let no = '';
  let counter = 0;
  beforeEach(() => {
    counter += 1;
    no = `FLOW${String(counter).padStart(4, '0')}000000`;
  });

  const order = (totalFee = 990) =>
    cloud.cloudPay.unifiedOrder({
      functionName: 'payCallback',
      envId: local.emulator.ctx.options.envId,
      subMchId: SUB_MCH_ID,
      nonceStr: 'flownonce0000001',
      body: 'Duet-order',
      outTradeNo: no,
      totalFee,
      spbillCreateIp: '127.0.0.1',
      subOpenid: 'o-mini-alice',
    }) as Promise<any>;
  const refund = (suffix: string, refundFee: number, totalFee = 990) =>
    cloud.cloudPay.refund({
      functionName: 'refundCallback',
      envId: local.emulator.ctx.options.envId,
      subMchId: SUB_MCH_ID,
      nonceStr: 'flownonce0000002',
      outTradeNo: no,
      outRefundNo: `${no}-${suffix}`,
      totalFee,
      refundFee,
    }) as Promise<any>;
  const queryRefund = (by: Record<string, unknown>) =>
    cloud.cloudPay.queryRefund({ subMchId: SUB_MCH_ID, nonceStr: 'flownonce0000003', ...by }) as Promise<any>;
  const queryOrder = () =>
    cloud.cloudPay.queryOrder({ subMchId: SUB_MCH_ID, nonceStr: 'flownonce0000004', outTradeNo: no }) as Promise<any>;
  const recorded = async () => (await local.client.payments.get(no)).payment;
  const paid = async (totalFee = 990) => {
    expect((await order(totalFee)).resultCode).toBe('SUCCESS');
    await local.client.payments.settle(no, { deliveries: 0 });
  };

  describe('queryRefund', () => {
    it('answers each refund state with WeChat field names, by outRefundNo and by outTradeNo', async () => {
      await paid();
      const placed: any[] = [];
      for (const [suffix, fee] of [
        ['A', 100],
        ['B', 200],
        ['C', 300],
        ['D', 50],
      ] as const) {
        placed.push(await refund(suffix, fee));
      }
      await local.client.payments.settleRefund(`${no}-B`, { result: 'SUCCESS', deliveries: 0 });
      await local.client.payments.settleRefund(`${no}-C`, { result: 'CHANGE', deliveries: 0 });
      await local.client.payments.settleRefund(`${no}-D`, { result: 'CLOSED', deliveries: 0 });
      const { payment } = await local.client.payments.get(no);

      const expected = [
        ['A', 100, 'PROCESSING'],
        ['B', 200, 'SUCCESS'],
        ['C', 300, 'CHANGE'],
        ['D', 50, 'REFUNDCLOSE'],
      ] as const;
      for (const [i, [suffix, fee, status]] of expected.entries()) {
        const one = await queryRefund({ outRefundNo: `${no}-${suffix}` });
        expect(one, suffix).toMatchObject({
          errCode: 0,
          errMsg: 'cloudPay.queryRefund:ok',
          returnCode: 'SUCCESS',
          resultCode: 'SUCCESS',
          subMchId: SUB_MCH_ID,
          outTradeNo: no,
          transactionId: payment.transactionId,
          totalFee: 990,
          cashFee: 990,
          feeType: 'CNY',
          refundFee: fee,
          refundCount: 1,
          outRefundNo_0: `${no}-${suffix}`,
          refundId_0: placed[i].refundId,
          refundFee_0: fee,
          settlementRefundFee_0: fee,
          refundStatus_0: status,
          refundChannel_0: 'ORIGINAL',
          refundAccount_0: 'REFUND_SOURCE_UNSETTLED_FUNDS',
          refundRecvAccout_0: '支付用户零钱',
        });
        expect(one.outRefundNo_1, suffix).toBeUndefined();
        // Only a successful refund has a success time (Beijing time, yyyy-MM-dd HH:mm:ss).
        if (status === 'SUCCESS') expect(one.refundSuccessTime_0).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
        else expect(one.refundSuccessTime_0, suffix).toBeUndefined();
        // By refundId: the same answer.
        const byId = await queryRefund({ refundId: placed[i].refundId });
        expect(byId).toMatchObject({ refundCount: 1, outRefundNo_0: `${no}-${suffix}`, refundStatus_0: status });
      }

      // By order (outTradeNo or transactionId): every refund, in the order they were made.
      for (const by of [{ outTradeNo: no }, { transactionId: payment.transactionId }]) {
        const all = await queryRefund(by);
        expect(all).toMatchObject({ resultCode: 'SUCCESS', outTradeNo: no, refundCount: 4, totalRefundCount: 4, refundFee: 650 });
        expect(expected.map((_, i) => [all[`outRefundNo_${i}`], all[`refundFee_${i}`], all[`refundStatus_${i}`]])).toEqual(
          expected.map(([suffix, fee, status]) => [`${no}-${suffix}`, fee, status]),
        );
      }
      // outRefundNo wins over outTradeNo (WeChat: refund_id > out_refund_no > transaction_id > out_trade_no).
      expect(await queryRefund({ outTradeNo: no, outRefundNo: `${no}-C` })).toMatchObject({ refundCount: 1, refundStatus_0: 'CHANGE' });
    });

    it('pages an order with more than 10 refunds by offset', async () => {
      await paid(100);
      for (let i = 0; i < 12; i += 1) expect((await refund(`P${String(i).padStart(2, '0')}`, 1, 100)).resultCode).toBe('SUCCESS');
      const first = await queryRefund({ outTradeNo: no });
      expect(first).toMatchObject({ refundCount: 10, totalRefundCount: 12, outRefundNo_0: `${no}-P00`, outRefundNo_9: `${no}-P09` });
      const second = await queryRefund({ outTradeNo: no, offset: 10 });
      expect(second).toMatchObject({ refundCount: 2, totalRefundCount: 12, outRefundNo_0: `${no}-P10`, outRefundNo_1: `${no}-P11` });
      expect(second.outRefundNo_2).toBeUndefined();
    });

    it('answers REFUNDNOTEXIST for an unknown refund, an order without refunds and an unknown order', async () => {
      await paid();
      for (const by of [{ outRefundNo: `${no}-NONE` }, { outTradeNo: no }, { outTradeNo: 'NOSUCHORDER01' }, { refundId: '503000' }]) {
        expect(await queryRefund(by), JSON.stringify(by)).toMatchObject({
          errCode: 0,
          returnCode: 'SUCCESS',
          resultCode: 'FAIL',
          errCodeDes: '退款订单查询失败',
        });
      }
    });
  });

  describe('a lost callback (deliveries: 0)', () => {
    it('marks the payment paid and calls no one: only queryOrder finds out; a later settle delivers the late notice', async () => {
      await order();
      const settled = await local.client.payments.settle(no, { deliveries: 0 });
      expect(settled.deliveries).toEqual([]);
      expect(settled.payment).toMatchObject({ state: 'SUCCESS', deliveries: [], callbackAcked: false });
      expect(settled.payment.transactionId).toMatch(/^4200\d{24}$/);
      expect((await local.client.functions.logs('payCallback')).logs).toEqual([]);

      expect(await queryOrder()).toMatchObject({
        resultCode: 'SUCCESS',
        tradeState: 'SUCCESS',
        transactionId: settled.payment.transactionId,
        totalFee: 990,
        subOpenid: 'o-mini-alice',
      });

      // The callback turns up after all: same transaction, delivery number 1.
      const late = await local.client.payments.settle(no);
      expect(late.deliveries).toHaveLength(1);
      expect(late.deliveries[0]).toMatchObject({ delivery: 1, acked: true });
      expect((late.deliveries[0].result as any).received.transactionId).toBe(settled.payment.transactionId);
      expect(late.payment.callbackAcked).toBe(true);
    });

    it('settles a refund without its callback: only queryRefund finds out', async () => {
      await paid();
      expect((await refund('L', 400)).resultCode).toBe('SUCCESS');
      const settled = await local.client.payments.settleRefund(`${no}-L`, { result: 'SUCCESS', deliveries: 0 });
      expect(settled.deliveries).toEqual([]);
      expect(settled.refund).toMatchObject({ state: 'SUCCESS', deliveries: [], callbackAcked: false });
      expect(settled.payment).toMatchObject({ refundedFee: 400, pendingRefundFee: 0, refundableFee: 590 });
      expect((await local.client.functions.logs('refundCallback')).logs).toEqual([]);
      expect(await queryRefund({ outRefundNo: `${no}-L` })).toMatchObject({ refundStatus_0: 'SUCCESS', refundFee_0: 400 });

      // Settling it again with the same result delivers the late notice.
      const late = await local.client.payments.settleRefund(`${no}-L`, { result: 'SUCCESS' });
      expect(late.deliveries).toHaveLength(1);
      expect((late.deliveries[0].result as any).received.reqInfo).toMatchObject({ outRefundNo: `${no}-L`, refundStatus: 'SUCCESS' });
    });

    it('accepts deliveries from 0 to 20 and refuses anything else', async () => {
      await order();
      const message = '"deliveries" must be an integer from 0 (a lost callback) to 20';
      for (const deliveries of [-1, 21, 1.5, '2']) {
        expect(await local.client.control('POST', `/_emu/payments/${no}/settle`, { deliveries }), String(deliveries)).toEqual({
          status: 400,
          body: { error: { message } },
        });
      }
      expect((await recorded()).state).toBe('NOTPAY');
    });
  });

  describe('a refund that fails N times, then succeeds', () => {
    it('fails three times with the SDK error, then the same outRefundNo makes exactly one refund', async () => {
      await paid();
      await local.client.faults.add('cloudPay.refund', { errCode: -501001, errMsg: 'system busy' }, 3);
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        const error = await refund('R', 300).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, `attempt ${attempt}`).toMatchObject({ errCode: -501001 });
        expect(String((error as any).errMsg)).toContain('refund:fail');
        expect(String((error as any).errMsg)).toContain('system busy');
      }
      expect((await recorded()).refunds).toEqual([]);
      expect(await queryRefund({ outRefundNo: `${no}-R` })).toMatchObject({ resultCode: 'FAIL', errCodeDes: '退款订单查询失败' });

      const fourth = await refund('R', 300);
      expect(fourth).toMatchObject({ errMsg: 'cloudPay.refund:ok', resultCode: 'SUCCESS', outRefundNo: `${no}-R`, refundFee: 300 });
      const record = await recorded();
      expect(record.refunds.map((r) => [r.outRefundNo, r.refundId, r.refundFee, r.state])).toEqual([
        [`${no}-R`, fourth.refundId, 300, 'PROCESSING'],
      ]);
      expect(record).toMatchObject({ state: 'REFUND', pendingRefundFee: 300, refundableFee: 690 });
      expect((await local.client.faults.list()).faults).toEqual([]);
    });

    it('answers a business failure (resultCode FAIL) three times, recording nothing, then refunds once', async () => {
      await paid();
      const added = await local.client.faults.add(
        'cloudPay.refund',
        { resultCode: 'FAIL', errCode: 'SYSTEMERROR', errCodeDes: '系统超时,请用相同参数再次调用' },
        3,
      );
      expect(added.faults).toEqual([
        {
          target: 'cloudPay.refund',
          error: { resultCode: 'FAIL', errCode: 'SYSTEMERROR', errCodeDes: '系统超时,请用相同参数再次调用' },
          remaining: 3,
        },
      ]);
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        const answer = await refund('R', 300);
        // No throw: WeChat's err_code is overwritten by the SDK's errCode 0, so errCodeDes is what tells.
        expect(answer, `attempt ${attempt}`).toMatchObject({
          errCode: 0,
          errMsg: 'cloudPay.refund:ok',
          returnCode: 'SUCCESS',
          resultCode: 'FAIL',
          subMchId: SUB_MCH_ID,
          errCodeDes: '系统超时,请用相同参数再次调用',
        });
        expect(answer.refundId).toBeUndefined();
        expect(typeof answer.sign).toBe('string');
      }
      expect((await recorded()).refunds).toEqual([]);
      const fourth = await refund('R', 300);
      expect(fourth).toMatchObject({ resultCode: 'SUCCESS', outRefundNo: `${no}-R` });
      expect((await recorded()).refunds.map((r) => r.refundId)).toEqual([fourth.refundId]);
    });

    it('accepts a business-failure fault only for cloudPay targets', async () => {
      const fail = { resultCode: 'FAIL', errCode: 'SYSTEMERROR', errCodeDes: '系统超时' };
      for (const body of [
        { target: 'wx.wxPayApi', error: fail },
        { target: 'subscribeMessage.send', error: fail },
        { target: 'cloudPay.refund', error: { ...fail, errCode: 7 } },
        { target: 'cloudPay.refund', error: { ...fail, resultCode: 'SUCCESS' } },
      ]) {
        const refused = await local.client.control('POST', '/_emu/faults', body);
        expect(refused.status, JSON.stringify(body)).toBe(400);
        expect((refused.body as any).error.message).toContain('for a cloudPay.<api> target');
      }
      expect((await local.client.faults.list()).faults).toEqual([]);
    });

    it('answers a repeat of a finished refund with the same refund, and refuses the number with another amount', async () => {
      await paid();
      const first = await refund('R', 300);
      await local.client.payments.settleRefund(`${no}-R`, { result: 'SUCCESS', deliveries: 0 });
      const successTime = (await recorded()).refunds[0].successTime;

      const again = await refund('R', 300);
      expect(again).toMatchObject({ resultCode: 'SUCCESS', outRefundNo: `${no}-R`, refundId: first.refundId, refundFee: 300 });
      // Still one refund, still settled: a repeat is not a second payout and does not reopen it.
      const record = await recorded();
      expect(record.refunds.map((r) => [r.refundId, r.state, r.successTime])).toEqual([[first.refundId, 'SUCCESS', successTime]]);
      expect(record).toMatchObject({ refundedFee: 300, pendingRefundFee: 0, refundableFee: 690 });

      const otherAmount = await refund('R', 200);
      expect(otherAmount).toMatchObject({
        errCode: 0,
        resultCode: 'FAIL',
        errCodeDes: '订单金额或退款金额与之前请求不一致，请核实后再试',
      });
      expect((await recorded()).refunds).toHaveLength(1);
    });

    it('makes one refund when two retries with the same outRefundNo race', async () => {
      await paid();
      const [a, b] = await Promise.all([refund('R', 500), refund('R', 500)]);
      expect([a.resultCode, b.resultCode]).toEqual(['SUCCESS', 'SUCCESS']);
      expect(a.refundId).toBe(b.refundId);
      const record = await recorded();
      expect(record.refunds).toHaveLength(1);
      expect(record.refundableFee).toBe(490);
    });

    it('re-opens a refund that ended CHANGE when it is resubmitted with the same outRefundNo', async () => {
      await paid();
      const first = await refund('R', 300);
      await local.client.payments.settleRefund(`${no}-R`, { result: 'FAIL', deliveries: 0 });
      expect(await queryRefund({ outRefundNo: `${no}-R` })).toMatchObject({ refundStatus_0: 'CHANGE' });

      const resubmitted = await refund('R', 300);
      expect(resubmitted).toMatchObject({ resultCode: 'SUCCESS', refundId: first.refundId });
      expect(await queryRefund({ outRefundNo: `${no}-R` })).toMatchObject({ refundCount: 1, refundStatus_0: 'PROCESSING' });
      await local.client.payments.settleRefund(`${no}-R`, { deliveries: 0 });
      expect(await queryRefund({ outTradeNo: no })).toMatchObject({ refundCount: 1, refundStatus_0: 'SUCCESS' });
    });
  });
});
