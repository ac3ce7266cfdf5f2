import { afterAll, describe, expect, it } from 'vitest';
import { fixtureFunctionsDir, makeOpenapiProject, rejection } from './openapi-support';
import { sdkFor, useTestCloud } from './support';

/**
 * Permissions need a real calling function: the fixture functions run in the function runner,
 * call `cloud.openapi.*` with the real SDK, and the local cloud finds the caller from the
 * WX_API_TOKEN the SDK forwards. Skipped (with a note) while the runner is not loaded.
 */
describe('openapi permissions from config.json', () => {
  const project = makeOpenapiProject();
  const cloud = useTestCloud({ projectRoot: project.root, functionsDir: fixtureFunctionsDir });
  afterAll(() => {
    project.cleanup();
  });

  const send = {
    api: 'subscribeMessage.send',
    data: {
      touser: 'o-mini-alice',
      templateId: 'TPL_GROUP_SUCCESS',
      data: { thing1: { value: '招牌奶茶' }, amount2: { value: '¥19.90' }, time3: { value: '15:01' }, thing4: { value: '查看订单' } },
    },
  };
  const invoke = async (name: string, event: unknown) => {
    const outcome = await cloud.emulator.ctx.functions.invoke(name, event, { user: { openid: 'o-mini-alice' } });
    if (!('result' in outcome)) throw new Error(`invocation failed: ${JSON.stringify(outcome)}`);
    return outcome.result as { ok: boolean; errCode?: number; errMsg?: string; message?: string; result?: unknown; bytes?: number };
  };

  it('checks the caller found from the token the SDK forwards (stand-in invocation in this process)', async () => {
    // The SDK in this process forwards WX_API_TOKEN as wxCloudApiToken, exactly as inside a
    // function; the functions service is swapped for one that knows that token.
    const { emulator } = cloud;
    const real = emulator.ctx.functions;
    const token = 'test-invocation-token';
    emulator.ctx.functions = {
      ...real,
      invocation: (t) => (t === token ? { token, requestId: 'r-1', functionName: 'standIn', source: 'wx_client' } : real.invocation(t)),
      config: (name) => (name === 'standIn' ? { permissions: { openapi: ['wxacode.getUnlimited'] } } : real.config(name)),
    };
    try {
      const sdk = sdkFor(emulator, { openid: 'o-mini-alice' });
      // node-sdk reads the token only through WX_CONTEXT_KEYS, as the runner sets it up.
      process.env.WX_CONTEXT_KEYS = 'WX_OPENID,WX_APPID,WX_UNIONID,WX_API_TOKEN';
      process.env.WX_API_TOKEN = token;
      const denied = await rejection(sdk.openapi.subscribeMessage.send(send.data));
      expect(denied.errCode).toBe(-604101);
      expect(denied.errMsg).toBe('system error: error code: -604101');
      expect(denied.message).toBe(
        'errCode: -604101 function has no permission to call this API | errMsg: system error: error code: -604101',
      );
      expect(await sdk.openapi.wxacode.getUnlimited({ scene: 'a=1' })).toMatchObject({ errCode: 0, contentType: 'image/png' });
      const { entries } = await cloud.client.outbox.list();
      expect(entries.map((e) => [e.api, e.functionName])).toEqual([
        ['subscribeMessage.send', 'standIn'],
        ['wxacode.getUnlimited', 'standIn'],
      ]);
    } finally {
      delete process.env.WX_API_TOKEN;
      process.env.WX_CONTEXT_KEYS = 'WX_OPENID,WX_APPID,WX_UNIONID';
      emulator.ctx.functions = real;
    }
  });

  it('refuses an API the function did not declare with -604101, without spending a grant', async (_context) => {
    await cloud.client.grants.add({ openid: 'o-mini-alice', templateIds: ['TPL_GROUP_SUCCESS'], result: 'accept' });
    const denied = await invoke('openapiDenied', send);
    expect(denied.ok).toBe(false);
    expect(denied.errCode).toBe(-604101);
    expect(denied.errMsg).toBe('system error: error code: -604101');
    expect(denied.message).toContain('function has no permission to call this API');
    expect((await cloud.client.grants.list('o-mini-alice')).grants).toEqual({ TPL_GROUP_SUCCESS: 1 });

    // The same function may call what it declared.
    const code = await invoke('openapiDenied', { api: 'wxacode.getUnlimited', data: { scene: 'a=1', page: 'pages/index/index' } });
    expect(code).toMatchObject({ ok: true, result: { contentType: 'image/png', errCode: 0 } });
    expect(code.bytes).toBeGreaterThan(100);

    const { entries } = await cloud.client.outbox.list('subscribeMessage');
    expect(entries).toMatchObject([{ api: 'subscribeMessage.send', functionName: 'openapiDenied', response: { errCode: -604101 } }]);
  });

  it('lets a function call what its config.json declares and records who sent it', async (_context) => {
    await cloud.client.grants.add({ openid: 'o-mini-alice', templateIds: ['TPL_GROUP_SUCCESS'], result: 'accept' });
    const sent = await invoke('openapiAllowed', send);
    expect(sent).toEqual({ ok: true, result: { errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' } });
    const again = await invoke('openapiAllowed', send);
    expect(again).toMatchObject({ ok: false, errCode: 43101 });
    const { entries } = await cloud.client.outbox.list('subscribeMessage');
    expect(entries.map((e) => e.functionName)).toEqual(['openapiAllowed', 'openapiAllowed']);
  });
});
