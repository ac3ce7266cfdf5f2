import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CloudRequestError } from '../src/client';
import { useTestCloud } from './support';

/**
 * The control-plane client: every typed method reaches its route (checked against the local
 * cloud's own state, not only against what the client returns), and a refusal throws with the
 * method, path, status and body.
 */
describe('the local-cloud client', () => {
  const cloud = useTestCloud({ functionsDir: path.join(import.meta.dirname, 'fixtures/pay-functions') });

  it('throws a CloudRequestError naming the call, the status and the body on a non-2xx answer', async () => {
    const error = await cloud.client.clock.set('tomorrow-ish').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudRequestError);
    expect(error).toMatchObject({
      method: 'POST',
      path: '/_emu/clock',
      status: 400,
      body: { error: { message: '"set" is not an ISO time: tomorrow-ish' } },
    });
    expect((error as Error).message).toBe('POST /_emu/clock → 400 {"error":{"message":"\\"set\\" is not an ISO time: tomorrow-ish"}}');
    expect(cloud.emulator.ctx.clock.offsetMs()).toBe(0);

    const missing = await cloud.client.invoke('noSuchFunction').catch((e: unknown) => e);
    expect(missing).toMatchObject({
      status: 404,
      path: '/_emu/functions/noSuchFunction/invoke',
      body: { error: { errCode: -501000, errMsg: 'FunctionName parameter could not be found.' } },
    });
  });

  it('answers any route raw with control(), refusals included, without throwing', async () => {
    expect(await cloud.client.control('GET', '/_emu/nowhere')).toEqual({
      status: 404,
      body: { error: { message: 'no route for GET /_emu/nowhere' } },
    });
    const refused = await cloud.client.control('POST', '/_emu/faults', { target: 'database.getDocument', error: 'soon' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('"error" must be "timeout"');
    expect(cloud.emulator.ctx.faults.list()).toEqual([]);
  });

  it('health, clock, stats and reset reach their routes', async () => {
    expect(await cloud.client.health()).toMatchObject({ ok: true, env: cloud.emulator.ctx.options.envId });
    expect((await cloud.client.clock.advance(60_000)).offsetMs).toBe(60_000);
    expect(cloud.emulator.ctx.clock.offsetMs()).toBe(60_000);
    await cloud.client.clock.set('2031-02-03T04:05:06.000Z');
    expect(cloud.emulator.ctx.clock.now().toISOString().startsWith('2031-02-03T04:05:0')).toBe(true);
    expect((await cloud.client.clock.get()).now.startsWith('2031-02-03T04:05:0')).toBe(true);
    expect((await cloud.client.clock.reset()).offsetMs).toBe(0);
    expect(cloud.emulator.ctx.clock.offsetMs()).toBe(0);

    cloud.emulator.ctx.stats.count('database.getDocument');
    expect((await cloud.client.stats()).counts).toEqual({ 'database.getDocument': 1 });
    await cloud.client.clock.advance(1000);
    expect(await cloud.client.reset()).toEqual({ ok: true });
    expect(cloud.emulator.ctx.stats.snapshot()).toEqual({});
    expect(cloud.emulator.ctx.clock.offsetMs()).toBe(0);
  });

  it('faults, outbox and personas reach their routes', async () => {
    const added = await cloud.client.faults.add('database.getDocument', { errCode: -501001, errMsg: 'busy' }, 2);
    expect(added.faults).toEqual([{ target: 'database.getDocument', error: { errCode: -501001, errMsg: 'busy' }, remaining: 2 }]);
    expect(cloud.emulator.ctx.faults.list()).toEqual(added.faults);
    expect((await cloud.client.faults.list()).faults).toEqual(added.faults);

    cloud.emulator.ctx.outbox.record({ kind: 'mp', api: 'token', request: {}, response: { errcode: 0 } });
    cloud.emulator.ctx.outbox.record({ kind: 'openapi', api: 'security.msgSecCheck', request: {}, response: { errcode: 0 } });
    expect((await cloud.client.outbox.list()).entries.map((e) => e.api)).toEqual(['token', 'security.msgSecCheck']);
    expect((await cloud.client.outbox.list('mp')).entries.map((e) => e.api)).toEqual(['token']);

    const upserted = await cloud.client.personas.upsert([
      { name: 'erin', unionid: 'u-erin' },
      { name: 'bob', follows: true },
    ]);
    expect(upserted.personas.map((p) => [p.name, p.follows])).toEqual([
      ['erin', false],
      ['bob', true],
    ]);
    expect(cloud.emulator.ctx.personas.get('erin')).toMatchObject({ openid: 'o-mini-erin', unionid: 'u-erin' });
    expect((await cloud.client.personas.list()).personas.map((p) => p.name)).toEqual(['alice', 'bob', 'carol', 'erin']);
  });

  it('functions, logs and triggers reach their routes; invoke runs as the persona', async () => {
    const listed = await cloud.client.functions.list();
    expect(listed.dir).toBe(cloud.emulator.ctx.options.functionsDir);
    expect(listed.error).toBeUndefined();
    expect(listed.functions.map((f) => f.name)).toEqual(['payCallback', 'payOrder', 'refundCallback']);

    const placed = await cloud.client.invoke('payOrder', { event: { outTradeNo: 'CLIENT0000001', totalFee: 100 }, persona: 'carol' });
    expect(placed).toMatchObject({ result: { resultCode: 'SUCCESS' } });
    const { logs } = await cloud.client.functions.logs('payOrder', { limit: 1 });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ functionName: 'payOrder', openid: 'o-mini-carol', source: 'wx_client', status: 'success' });

    expect(await cloud.client.triggers.list()).toEqual({ enabled: false, triggers: [] });
    const fire = await cloud.client.triggers.fire('payOrder').catch((e: unknown) => e);
    expect(fire).toMatchObject({ status: 404, body: { error: { message: 'function payOrder has no timer trigger in its config.json' } } });
  });

  it('payments and grants reach their routes', async () => {
    await cloud.client.invoke('payOrder', { event: { outTradeNo: 'CLIENT0000002', totalFee: 200 }, persona: 'alice' });
    const { payments } = await cloud.client.payments.list();
    expect(payments.map((p) => [p.outTradeNo, p.state, p.openid])).toEqual([['CLIENT0000002', 'NOTPAY', 'o-mini-alice']]);
    expect((await cloud.client.payments.get('CLIENT0000002')).payment.totalFee).toBe(200);

    const settled = await cloud.client.payments.settle('CLIENT0000002', { deliveries: 2 });
    expect(settled.payment).toMatchObject({ state: 'SUCCESS', callbackAcked: true, refundableFee: 200 });
    expect(settled.deliveries.map((d) => d.acked)).toEqual([true, true]);
    expect((await cloud.client.functions.logs('payCallback')).logs.map((l) => l.source)).toEqual(['wx_paycallback', 'wx_paycallback']);
    const refund = await cloud.client.payments.settleRefund('NOREFUND0001').catch((e: unknown) => e);
    expect(refund).toMatchObject({ status: 404, body: { error: { message: 'no refund with outRefundNo NOREFUND0001' } } });

    const granted = await cloud.client.grants.add({
      openid: 'o-mini-bob',
      templateIds: ['TPL_GROUP_SUCCESS', 'TPL_REFUND'],
      result: 'accept',
    });
    expect(granted).toEqual({ TPL_GROUP_SUCCESS: 'accept', TPL_REFUND: 'accept', errMsg: 'requestSubscribeMessage:ok' });
    expect(await cloud.client.grants.list('o-mini-bob')).toEqual({ openid: 'o-mini-bob', grants: { TPL_GROUP_SUCCESS: 1, TPL_REFUND: 1 } });
    expect(await cloud.client.grants.list()).toEqual({ grants: { 'o-mini-bob': { TPL_GROUP_SUCCESS: 1, TPL_REFUND: 1 } } });
  });

  it('database info, export and import reach their routes', async () => {
    const imported = await cloud.client.db.import({ notes: '{"_id":"n1","text":"hi"}\n{"_id":"n2"}' });
    expect(imported).toEqual({ ok: true, collections: { notes: 2 } });
    expect(await cloud.client.db.importCollection('tags', '{"_id":"t1"}\n')).toEqual({ ok: true, collections: { tags: 1 } });
    const info = await cloud.client.db.info();
    expect(info.transactions).toBe(0);
    expect(info.collections.filter((c) => c.count > 0).map((c) => [c.name, c.count])).toEqual([
      ['notes', 2],
      ['tags', 1],
    ]);
    const exported = await cloud.client.db.export();
    expect(exported).toMatchObject({
      format: 'duet-cloud-export',
      version: 1,
      collections: { notes: '{"_id":"n1","text":"hi"}\n{"_id":"n2"}' },
    });
    expect(await cloud.client.db.exportCollection('tags')).toBe('{"_id":"t1"}\n');
    const bad = await cloud.client.db.import({ notes: '{broken' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, body: { error: { collection: 'notes', line: 1 } } });
    expect(await cloud.client.db.exportCollection('notes')).toBe('{"_id":"n1","text":"hi"}\n{"_id":"n2"}\n');
  });
});

describe('the local-cloud client: 公众号 routes', () => {
  const cloud = useTestCloud({ functionsDir: path.join(import.meta.dirname, 'fixtures/mp-functions') });

  it('state, push and verify reach their routes', async () => {
    const before = await cloud.client.mp.state();
    expect(before).toMatchObject({ appid: cloud.emulator.ctx.options.mp.appid, followers: ['o-mp-alice'], tokens: [], menu: null });

    const pushed = await cloud.client.mp.push({ persona: 'alice', type: 'text', content: '你好', deliveries: 2 });
    expect(pushed.query.openid).toBe('o-mp-alice');
    expect(pushed.reply).toMatchObject({ MsgType: 'text', Content: 'echo: 你好' });
    expect(pushed.deliveries).toHaveLength(2);
    expect((await cloud.client.functions.logs('mpGateway')).logs.map((l) => [l.source, l.status])).toEqual([
      ['wx_http', 'success'],
      ['wx_http', 'success'],
    ]);
    expect(Object.keys((await cloud.client.mp.state()).interactions)).toEqual(['o-mp-alice']);

    const verified = await cloud.client.mp.verify({ echostr: '42' });
    expect(verified).toMatchObject({ echoed: true, response: { statusCode: 200, body: '42' } });
  });
});
