import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { makeOpenapiProject } from './openapi-support';
import { clientOf, startTestCloud, useTestCloud } from './support';

// Its templates file has `mpTemplates`, and its app the pages pages/index/index, pages/coupon/index
// and packages/groupbuy/invite/index.
const project = makeOpenapiProject();
afterAll(() => {
  project.cleanup();
});

const QUOTA = { errCode: 45009, errMsg: 'reach max api daily quota limit' };
const ORDER_DATA = {
  first: { value: '您的订单已发货' },
  keyword1: { value: 'D-20250501-1001' },
  keyword2: { value: '已发货' },
  keyword3: { value: '2025-05-01 15:01' },
  remark: { value: '点击查看物流' },
};

describe('faults of the fake 公众号 API', () => {
  const cloud = useTestCloud({ projectRoot: project.root });
  const api = () => `${cloud.emulator.url}/mp/cgi-bin`;
  const get = async (path: string, init: RequestInit = {}) => (await fetch(`${api()}/${path}`, init)).json() as Promise<any>;
  const post = async (path: string, body: unknown) =>
    (await fetch(`${api()}/${path}`, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<any>;
  const tokenPath = () => {
    const { appid, secret } = cloud.emulator.ctx.options.mp;
    return `token?grant_type=client_credential&appid=${appid}&secret=${secret}`;
  };
  const token = async () => (await get(tokenPath())).access_token as string;
  const orderStatus = (overrides: Record<string, unknown> = {}) => ({
    touser: 'o-mp-alice',
    template_id: 'MP_TPL_ORDER_STATUS',
    data: ORDER_DATA,
    ...overrides,
  });
  const outbox = async (name: string) => (await cloud.client.outbox.list('mp')).entries.filter((e) => e.api === name) as any[];
  const pending = async () => (await cloud.client.faults.list()).faults;

  it('answers an injected error as WeChat does (HTTP 200 JSON) once, records it, then serves the next call', async () => {
    const t = await token();
    await cloud.client.faults.add('mp.message/template/send', QUOTA);
    const faulted = await fetch(`${api()}/message/template/send?access_token=${t}`, {
      method: 'POST',
      body: JSON.stringify(orderStatus()),
    });
    expect(faulted.status).toBe(200);
    expect(await faulted.json()).toEqual({ errcode: 45009, errmsg: 'reach max api daily quota limit' });
    expect(await pending()).toEqual([]);

    const sent = await post(`message/template/send?access_token=${t}`, orderStatus());
    expect(sent).toMatchObject({ errcode: 0, errmsg: 'ok', msgid: expect.any(Number) });

    const sends = await outbox('message/template/send');
    expect(sends.map((e) => e.response)).toEqual([
      { errcode: 45009, errmsg: QUOTA.errMsg, fault: true },
      { errcode: 0, errmsg: 'ok', msgid: sent.msgid },
    ]);
    expect(sends[0].request).toMatchObject({ touser: 'o-mp-alice', template_id: 'MP_TPL_ORDER_STATUS' });
  });

  it('faults GET APIs and the token call by their path, never recording the secret', async () => {
    await cloud.client.faults.add('mp.token', { errCode: -1, errMsg: 'system error' });
    expect(await get(tokenPath())).toEqual({ errcode: -1, errmsg: 'system error' });
    const t = await token();
    await cloud.client.faults.add('mp.user/info', QUOTA, 2);
    expect((await get(`user/info?access_token=${t}&openid=o-mp-alice`)).errcode).toBe(45009);
    expect((await get(`user/info?access_token=${t}&openid=o-mp-alice`)).errcode).toBe(45009);
    expect((await get(`user/info?access_token=${t}&openid=o-mp-alice`)).subscribe).toBe(1);

    const tokens = await outbox('token');
    expect(tokens[0]).toMatchObject({ request: { grant_type: 'client_credential', secret: '(given)' }, response: { fault: true } });
    expect(JSON.stringify(tokens)).not.toContain(cloud.emulator.ctx.options.mp.secret);
    const infos = await outbox('user/info');
    expect(infos.map((e) => e.response.fault ?? false)).toEqual([true, true, false]);
    // The faulted call's query, without the token.
    expect(infos[0].request).toEqual({ openid: 'o-mp-alice' });
  });

  it('holds a call on an injected timeout until the client gives up, then answers the next one', async () => {
    const t = await token();
    await cloud.client.faults.add('mp.message/template/send', 'timeout');
    const gaveUp = await fetch(`${api()}/message/template/send?access_token=${t}`, {
      method: 'POST',
      body: JSON.stringify(orderStatus()),
      signal: AbortSignal.timeout(500),
    }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(gaveUp?.name).toBe('TimeoutError');
    expect(await post(`message/template/send?access_token=${t}`, orderStatus())).toMatchObject({ errcode: 0, msgid: expect.any(Number) });
    // The held call never answered, so it is not in the outbox.
    expect((await outbox('message/template/send')).map((e) => e.response.errcode)).toEqual([0]);
  });

  it('delays a call and then answers it; a delay and an error on one target both apply', async () => {
    const t = await token();
    await cloud.client.faults.delay('mp.user/info', 300);
    let started = performance.now();
    expect((await get(`user/info?access_token=${t}&openid=o-mp-alice`)).subscribe).toBe(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(await pending()).toEqual([]);

    await cloud.client.faults.delay('mp.message/template/send', 300);
    await cloud.client.faults.add('mp.message/template/send', QUOTA);
    started = performance.now();
    expect((await post(`message/template/send?access_token=${t}`, orderStatus())).errcode).toBe(45009);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(await pending()).toEqual([]);
  });

  it('drops a call still waiting on a delay when the local cloud is reset', async () => {
    const t = await token();
    await cloud.client.faults.delay('mp.user/info', 20_000);
    const started = performance.now();
    const call = fetch(`${api()}/user/info?access_token=${t}&openid=o-mp-alice`).then(
      () => 'answered',
      () => 'dropped',
    );
    // Wait (however long the machine takes) until the call has taken the delay.
    while ((await pending()).length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await cloud.client.reset();
    expect(await call).toBe('dropped');
    expect(performance.now() - started).toBeLessThan(15_000);
    // It did not run into the fresh local cloud.
    expect(await outbox('user/info')).toEqual([]);
  });

  describe('message/template/send against the mpTemplates of the templates file', () => {
    it('refuses a template id not in the file with 40037; keeps 43004 for non-followers and 40003 for strangers', async () => {
      const t = await token();
      const send = (body: unknown) => post(`message/template/send?access_token=${t}`, body);
      expect(await send(orderStatus({ template_id: 'MP_TPL_NOPE' }))).toMatchObject({
        errcode: 40037,
        errmsg: expect.stringMatching(/^invalid template_id rid: /),
      });
      // A subscription-message template is not a 公众号 one.
      expect((await send(orderStatus({ template_id: 'TPL_REFUND' }))).errcode).toBe(40037);
      expect((await send(orderStatus({ touser: 'o-mp-bob' }))).errcode).toBe(43004);
      expect((await send(orderStatus({ touser: 'o-mp-nobody' }))).errcode).toBe(40003);
      expect((await send(orderStatus({ template_id: 'MP_TPL_REMINDER' }))).errcode).toBe(0);
    });

    it('ignores data keys the template does not have, and refuses a field that is not { value: string } with 47001', async () => {
      const t = await token();
      const send = (data: unknown) => post(`message/template/send?access_token=${t}`, orderStatus({ data }));
      expect((await send({ ...ORDER_DATA, keyword9: { value: 'extra' }, thing1: 42 })).errcode).toBe(0);
      // Fields left out are shown empty, not refused.
      expect((await send({ first: { value: '仅标题' } })).errcode).toBe(0);
      // `color` is part of a field as WeChat takes it.
      expect((await send({ ...ORDER_DATA, remark: { value: '点击查看', color: '#173177' } })).errcode).toBe(0);
      for (const bad of [{ keyword1: 'D-1001' }, { keyword1: { value: 1001 } }, { keyword1: {} }, { remark: null }, { first: ['x'] }]) {
        expect(await send({ ...ORDER_DATA, ...bad }), JSON.stringify(bad)).toMatchObject({
          errcode: 47001,
          errmsg: expect.stringMatching(/^data format error rid: /),
        });
      }
      expect((await send([ORDER_DATA])).errcode).toBe(47001);
    });

    it('checks miniprogram.pagepath against the app pages, query allowed (40165 otherwise)', async () => {
      const t = await token();
      const appid = cloud.emulator.ctx.options.appid;
      const send = (miniprogram: unknown) => post(`message/template/send?access_token=${t}`, orderStatus({ miniprogram }));
      expect(await send({ appid, pagepath: 'pages/nowhere/index' })).toMatchObject({
        errcode: 40165,
        errmsg: expect.stringMatching(/^invalid weapp pagepath rid: /),
      });
      expect((await send({ appid, pagepath: 'pages/nowhere/index?from=mp' })).errcode).toBe(40165);
      expect((await send({ appid, pagepath: '' })).errcode).toBe(40165);
      expect((await send({ appid, pagepath: 42 })).errcode).toBe(40165);
      expect((await send({ appid: 'wx1111111111111111', pagepath: 'pages/coupon/index' })).errcode).toBe(40166);

      const sent = await send({ appid, pagepath: 'pages/coupon/index?from=mp&id=7' });
      expect(sent).toEqual({ errcode: 0, errmsg: 'ok', msgid: expect.any(Number) });
      expect((await send({ appid, pagepath: 'packages/groupbuy/invite/index?group=3' })).errcode).toBe(0);
      // pagepath is optional: the card then opens the home page.
      expect((await send({ appid })).errcode).toBe(0);
    });
  });
});

describe('stop() with a 公众号 call held by a timeout fault', () => {
  it('closes promptly, dropping the held call', async () => {
    const emulator = await startTestCloud({ projectRoot: project.root });
    const client = clientOf(emulator);
    let stopped = false;
    try {
      await client.faults.add('mp.menu/get', 'timeout');
      const call = fetch(`${emulator.url}/mp/cgi-bin/menu/get?access_token=x`).then(
        () => 'answered',
        () => 'dropped',
      );
      while ((await client.faults.list()).faults.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      const started = performance.now();
      await emulator.stop();
      stopped = true;
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(await call).toBe('dropped');
    } finally {
      if (!stopped) await emulator.stop();
    }
  });
});
