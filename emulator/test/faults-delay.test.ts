import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureFunctionsDir, makeOpenapiProject, rejection } from './openapi-support';
import { sdkFor, useTestCloud } from './support';

const ALICE = 'o-mini-alice';
const SUB_MCH_ID = '1900000109';
const QUOTA = { errCode: 45009, errMsg: 'reach max api daily quota limit' };

/** What a call answered and how long it took, measured around that call alone. */
async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await call();
  return { value, ms: performance.now() - started };
}

describe('delay faults through the real wx-server-sdk', () => {
  const project = makeOpenapiProject();
  const local = useTestCloud({ projectRoot: project.root, functionsDir: fixtureFunctionsDir });
  // The SDK's own typings miss cloudPay and mistype results.
  let cloud: any;
  beforeAll(() => {
    cloud = sdkFor(local.emulator);
  });
  afterAll(() => {
    project.cleanup();
  });

  const grant = async (count: number) => {
    for (let i = 0; i < count; i += 1) await local.client.grants.add({ openid: ALICE, templateIds: ['TPL_REFUND'], result: 'accept' });
  };
  const refundNotice = () =>
    cloud.openapi.subscribeMessage.send({
      touser: ALICE,
      templateId: 'TPL_REFUND',
      data: { character_string1: { value: 'R-20250501-1' }, amount2: { value: '¥19.90' }, phrase3: { value: '已退款' } },
    }) as Promise<{ errCode: number; errMsg: string }>;
  const pending = async () => (await local.client.faults.list()).faults;

  it('delays concurrent open-API calls side by side, not one after another, then stops delaying', async () => {
    await grant(11);
    const added = await local.client.faults.delay('subscribeMessage.send', 300, 10);
    expect(added.faults).toEqual([{ target: 'subscribeMessage.send', delayMs: 300, remaining: 10 }]);

    const started = performance.now();
    const calls = await Promise.all(Array.from({ length: 10 }, () => timed(refundNotice)));
    const total = performance.now() - started;
    for (const call of calls) {
      expect(call.value).toEqual({ errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' });
      expect(call.ms).toBeGreaterThanOrEqual(290);
    }
    // Ten 300 ms waits served one after another would take 3 s at the very least.
    expect(total).toBeLessThan(10 * 300);

    // Used up: the next call is not delayed (timing it on a loaded machine would prove nothing).
    expect(await pending()).toEqual([]);
    expect(await refundNotice()).toMatchObject({ errCode: 0 });
    expect((await local.client.grants.list(ALICE)).grants).toEqual({ TPL_REFUND: 0 });
  });

  it('applies a delay and an error on one target both, the delay first, each consumed on its own', async () => {
    await grant(2);
    await local.client.faults.delay('subscribeMessage.send', 300, 2);
    await local.client.faults.add('subscribeMessage.send', QUOTA);
    expect(await pending()).toEqual([
      { target: 'subscribeMessage.send', delayMs: 300, remaining: 2 },
      { target: 'subscribeMessage.send', error: QUOTA, remaining: 1 },
    ]);

    const started = performance.now();
    const error = await rejection(refundNotice());
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(error.errCode).toBe(45009);
    expect(error.errMsg).toBe('openapi.subscribeMessage.send:fail reach max api daily quota limit');
    // The error is spent; the delay has one call left.
    expect(await pending()).toEqual([{ target: 'subscribeMessage.send', delayMs: 300, remaining: 1 }]);

    const second = await timed(refundNotice);
    expect(second.value).toMatchObject({ errCode: 0 });
    expect(second.ms).toBeGreaterThanOrEqual(290);
    expect(await pending()).toEqual([]);
    // The faulted call spent no grant and was recorded as a fault.
    expect((await local.client.grants.list(ALICE)).grants).toEqual({ TPL_REFUND: 1 });
    const sends = (await local.client.outbox.list('subscribeMessage')).entries.map((e) => e.response);
    expect(sends).toEqual([
      { errcode: 45009, errmsg: QUOTA.errMsg, fault: true },
      { errcode: 0, errmsg: 'ok' },
    ]);
  });

  it('delays cloudPay.<api> and whole /admin actions', async () => {
    await local.client.faults.delay('cloudPay.queryOrder', 300);
    const query = await timed(() =>
      cloud.cloudPay.queryOrder({ subMchId: SUB_MCH_ID, outTradeNo: 'DUET-NONE-0001', nonceStr: 'abcdefghij012345' }),
    );
    expect(query.ms).toBeGreaterThanOrEqual(290);
    // Delayed, then answered as ever: there is no such order.
    expect(query.value).toMatchObject({ resultCode: 'FAIL' });

    await grant(1);
    await local.client.faults.delay('wx.openApi', 300);
    const send = await timed(refundNotice);
    expect(send.ms).toBeGreaterThanOrEqual(290);
    expect(send.value).toMatchObject({ errCode: 0 });
    expect(await pending()).toEqual([]);
  });

  it('refuses bad delay faults with 400 and a reason, and forgets delays on reset', async () => {
    const target = 'subscribeMessage.send';
    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ target, delayMs: 0 }, '"delayMs" must be an integer from 1 to 60000 (milliseconds), not 0'],
      [{ target, delayMs: 60_001 }, '"delayMs" must be an integer from 1 to 60000'],
      [{ target, delayMs: 12.5 }, '"delayMs" must be an integer from 1 to 60000'],
      [{ target, delayMs: '300' }, '"delayMs" must be an integer from 1 to 60000 (milliseconds), not "300"'],
      [{ target, delayMs: null }, '"delayMs" must be an integer from 1 to 60000'],
      [{ target, delayMs: 300, times: 0 }, '"times" must be an integer ≥ 1'],
      [{ target, delayMs: 300, times: 1.5 }, '"times" must be an integer ≥ 1'],
      [{ target, delayMs: 300, error: 'timeout' }, 'send either "error" or "delayMs", not both'],
      [{ target, delayMs: 300, error: QUOTA }, 'send either "error" or "delayMs", not both'],
      [{ delayMs: 300 }, '"target" is required'],
      [{ target: '', delayMs: 300 }, '"target" is required'],
      [{ target }, 'send "error" ("timeout", { "errCode": number, "errMsg": string }, ...) or "delayMs"'],
    ];
    for (const [body, message] of refusals) {
      const answer = await local.client.control('POST', '/_emu/faults', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.message, JSON.stringify(body)).toContain(message);
    }
    expect((await local.client.control('POST', '/_emu/faults', [])).status).toBe(400);
    expect(await pending()).toEqual([]);

    // The bounds themselves are fine.
    await local.client.faults.delay(target, 1);
    await local.client.faults.delay('mp.user/info', 60_000, 3);
    expect((await local.client.control('GET', '/_emu/faults')).body).toEqual({
      faults: [
        { target, delayMs: 1, remaining: 1 },
        { target: 'mp.user/info', delayMs: 60_000, remaining: 3 },
      ],
    });
    await local.client.reset();
    expect(await pending()).toEqual([]);
  });
});
