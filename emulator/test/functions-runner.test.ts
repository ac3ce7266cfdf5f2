import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index';
import { control, sdkFor, startTestCloud } from './support';

type Invoke = { result?: any; error?: { errCode: number; errMsg: string } };

describe('function runner', () => {
  let emulator: RunningEmulator;
  const invoke = async (name: string, body: Record<string, unknown> = {}) =>
    (await control<Invoke>(emulator, 'POST', `/_emu/functions/${name}/invoke`, body)).body;

  beforeAll(async () => {
    emulator = await startTestCloud();
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it('lists the functions with their config', async () => {
    const { status, body } = await control(emulator, 'GET', '/_emu/functions');
    expect(status).toBe(200);
    const names = body.functions.map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(['whoami', 'caller', 'slow', 'tick', 'http']));
    expect(body.functions.find((f: { name: string }) => f.name === 'slow').config.timeout).toBe(1);
  });

  it('records the last cold start of each function: spawn to module loaded, with the load alone inside it', async () => {
    await control(emulator, 'POST', '/_emu/reset');
    const at = '2031-04-05T06:07:08.000Z';
    await control(emulator, 'POST', '/_emu/clock', { set: at });
    const coldStartOf = async (name: string) =>
      (await control(emulator, 'GET', '/_emu/functions')).body.functions.find((f: { name: string }) => f.name === name).lastColdStart;

    const first = await invoke('whoami', { persona: 'alice' });
    expect(first.error).toBeUndefined();
    const cold = await coldStartOf('whoami');
    // Spawned at the emulator's clock (a few ms after it was set), by a live process.
    expect(Date.parse(cold.at) - Date.parse(at)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(cold.at) - Date.parse(at)).toBeLessThan(60_000);
    expect(cold.pid).toEqual(expect.any(Number));
    expect(cold.loadMs).toBeGreaterThan(0);
    expect(cold.ms).toBeGreaterThan(cold.loadMs);

    // A warm call starts nothing: the record stays that of the instance it ran on.
    await invoke('whoami', { persona: 'alice' });
    expect(await coldStartOf('whoami')).toEqual(cold);

    // A reset retires the instance: the next call is a new cold start.
    await control(emulator, 'POST', '/_emu/reset');
    await invoke('whoami', { persona: 'alice' });
    const again = await coldStartOf('whoami');
    expect(again.pid).not.toBe(cold.pid);
    await control(emulator, 'POST', '/_emu/clock', { reset: true });
  });

  it('runs a function as a persona: getWXContext, event.userInfo and the SCF context', async () => {
    const { result, error } = await invoke('whoami', { event: { hello: 'world' }, persona: 'alice' });
    expect(error).toBeUndefined();
    expect(result.wx).toMatchObject({
      OPENID: 'o-mini-alice',
      APPID: emulator.ctx.options.appid,
      UNIONID: 'u-alice',
      ENV: emulator.ctx.options.envId,
      SOURCE: 'wx_client',
    });
    // The token is for the SDK only; getWXContext never shows it.
    expect(result.wx.API_TOKEN).toBeUndefined();
    expect(result.env.HAS_TOKEN).toBe(true);
    expect(result.event).toEqual({
      hello: 'world',
      userInfo: { appId: emulator.ctx.options.appid, openId: 'o-mini-alice', unionId: 'u-alice' },
    });
    expect(result.context).toMatchObject({
      function_name: 'whoami',
      namespace: emulator.ctx.options.envId,
      memory_limit_in_mb: 256,
      time_limit_in_ms: 10_000,
    });
    expect(result.context.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.context.environment.WX_OPENID).toBe('o-mini-alice');
    expect(result.env).toMatchObject({ TZ: 'UTC', TENCENTCLOUD_RUNENV: 'SCF', DUET_MINI_APPID: emulator.ctx.options.appid });
    expect(result.env.TRIGGER_SRC).toBeUndefined();
  });

  it('gives a user without unionid no UNIONID, and the next invocation none of the previous identity', async () => {
    const carol = await invoke('whoami', { user: { openid: 'o-mini-carol' } });
    expect(carol.result.wx.OPENID).toBe('o-mini-carol');
    expect(carol.result.wx.UNIONID).toBeUndefined();
    const anonymous = await invoke('whoami', { event: {} });
    expect(anonymous.result.wx.OPENID).toBeUndefined();
    expect(anonymous.result.wx.APPID).toBeUndefined();
    expect(anonymous.result.event.userInfo).toBeUndefined();
  });

  it('carries the SOURCE chain and the user through callFunction between functions', async () => {
    const { result } = await invoke('caller', { event: { target: 'whoami', data: { n: 1 } }, persona: 'alice' });
    expect(result.own).toMatchObject({ OPENID: 'o-mini-alice', SOURCE: 'wx_client' });
    expect(result.callee.wx).toMatchObject({
      OPENID: 'o-mini-alice',
      UNIONID: 'u-alice',
      APPID: emulator.ctx.options.appid,
      SOURCE: 'wx_client,scf',
    });
    // Same-environment calls are not cross-account: no FROM_* fields, no injected userInfo.
    expect(result.callee.wx.FROM_OPENID).toBeUndefined();
    expect(result.callee.event).toEqual({ n: 1 });
  });

  it('answers callFunction of a missing function with the production error', async () => {
    const { result } = await invoke('caller', { event: { target: 'no-such-function' }, persona: 'bob' });
    expect(result.error.errMsg).toContain('FunctionName parameter could not be found.');
    const direct = await control<Invoke>(emulator, 'POST', '/_emu/functions/no-such-function/invoke', {});
    expect(direct.status).toBe(404);
    expect(direct.body.error).toEqual({ errCode: -501000, errMsg: 'FunctionName parameter could not be found.' });
  });

  it('serves cloud.callFunction from any process with the SDK', async () => {
    // In SCF the region is always set; without it node-sdk logs an error on every call.
    process.env.TENCENTCLOUD_REGION = 'ap-shanghai';
    const cloud = sdkFor(emulator);
    const res = (await cloud.callFunction({ name: 'whoami', data: { via: 'test process' } })) as { result: any };
    const result = res.result;
    expect(result.event).toEqual({ via: 'test process' });
    expect(result.wx.SOURCE).toBe('scf');
    expect(result.wx.OPENID).toBeUndefined();
    await expect(cloud.callFunction({ name: 'slow', data: { ms: 4000 } })).rejects.toMatchObject({
      errMsg: expect.stringContaining('Invoking task timed out after 1 seconds'),
    });
  });

  it('turns a thrown error into functions execute fail', async () => {
    const { error } = await invoke('crash', { event: { mode: 'throw' } });
    expect(error?.errCode).toBe(-504002);
    expect(error?.errMsg).toContain('Error: probe exploded');
    expect(error?.errMsg).toContain('crash/index.js');
    expect(error?.errMsg).not.toContain('runner.cjs');
  });

  it('survives a function that exits or throws asynchronously, and serves the next call on a fresh instance', async () => {
    const before = await invoke('crash', { event: {} });
    const exited = await invoke('crash', { event: { mode: 'exit' } });
    expect(exited.error?.errCode).toBe(-504002);
    expect(exited.error?.errMsg).toContain('Process exited before completing request (exit code 1)');
    const uncaught = await invoke('crash', { event: { mode: 'uncaught' } });
    expect(uncaught.error?.errCode).toBe(-504002);
    expect(uncaught.error?.errMsg).toContain('async probe exploded');
    expect((await control(emulator, 'GET', '/_emu/health')).body.ok).toBe(true);
    const after = await invoke('crash', { event: {} });
    expect(after.error).toBeUndefined();
    expect(after.result.pid).not.toBe(before.result.pid);
  });

  it('times out like production, kills the instance, and the next call succeeds on a new one', async () => {
    const timedOut = await invoke('slow', { event: { ms: 5000 } });
    expect(timedOut.error).toEqual({ errCode: -504003, errMsg: 'Invoking task timed out after 1 seconds' });
    const logs = (await control(emulator, 'GET', '/_emu/functions/slow/logs')).body.logs;
    const timedOutPid = logs.at(-1).pid;
    expect(logs.at(-1).status).toBe('timeout');
    const next = await invoke('slow', { event: { ms: 10 } });
    expect(next.error).toBeUndefined();
    expect(next.result.pid).not.toBe(timedOutPid);
  });

  it('times out a hanging function, whether it awaits forever or spins the CPU', async () => {
    for (const mode of ['never', 'spin']) {
      const { error } = await invoke('hang', { event: { mode } });
      expect(error?.errCode).toBe(-504003);
    }
    expect((await invoke('hang', { event: {} })).result.pid).toEqual(expect.any(Number));
  });

  it('runs 8 concurrent invocations on at most 4 instances, one at a time per instance', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, n) => invoke('pool', { event: { n, ms: 150 } })));
    for (const r of results) expect(r.error).toBeUndefined();
    expect(results.map((r) => r.result.n).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const byPid = new Map<number, Array<{ start: number; end: number }>>();
    for (const { result } of results) byPid.set(result.pid, [...(byPid.get(result.pid) ?? []), result]);
    expect(byPid.size).toBeLessThanOrEqual(4);
    expect(byPid.size).toBeGreaterThan(1);
    for (const runs of byPid.values()) {
      runs.sort((a, b) => a.start - b.start);
      for (let i = 1; i < runs.length; i++) expect(runs[i].start).toBeGreaterThanOrEqual(runs[i - 1].end);
    }
    // Warm instances are reused: a second wave needs no new processes.
    const again = await Promise.all(Array.from({ length: byPid.size }, (_, n) => invoke('pool', { event: { n, ms: 10 } })));
    for (const r of again) expect(byPid.has(r.result.pid)).toBe(true);
  });

  it('shows functions the emulator clock', async () => {
    await control(emulator, 'POST', '/_emu/clock', { set: '2031-05-05T00:00:00.000Z' });
    const moved = (await invoke('clock')).result;
    expect(Math.abs(moved.now - Date.parse('2031-05-05T00:00:00.000Z'))).toBeLessThan(60_000);
    expect(moved.iso.startsWith('2031-05-05T00:0')).toBe(true);
    expect(moved.text).toContain('2031');
    expect(moved.explicit).toBe('2020-01-02T03:04:05.000Z');
    expect(moved.isDate).toBe(true);
    expect(moved.tz).toBe(0);
    await control(emulator, 'POST', '/_emu/clock', { reset: true });
    const real = (await invoke('clock')).result;
    expect(Math.abs(real.now - Date.now())).toBeLessThan(60_000);
  });

  it('keeps each invocation’s output in the function logs', async () => {
    await invoke('whoami', { persona: 'bob' });
    const { status, body } = await control(emulator, 'GET', '/_emu/functions/whoami/logs?limit=1');
    expect(status).toBe(200);
    expect(body.logs).toHaveLength(1);
    expect(body.logs[0]).toMatchObject({ functionName: 'whoami', status: 'success', source: 'wx_client', openid: 'o-mini-bob' });
    expect(body.logs[0].lines).toContainEqual({ stream: 'stdout', text: 'whoami called' });
    expect((await control(emulator, 'GET', '/_emu/functions/nope/logs')).status).toBe(404);
  });

  it('reports a function that cannot load as an execute failure', async () => {
    const { error } = await invoke('broken');
    expect(error?.errCode).toBe(-504002);
    expect(error?.errMsg).toContain('does not export a function "main"');
  });

  it('resolves invocation tokens only while the invocation runs', async () => {
    const { result } = await invoke('whoami', { persona: 'alice' });
    expect(result.env.TOKEN).toMatch(/^[0-9a-f]{48}$/);
    // The chained call above proved a live token resolves to its caller; a finished one is gone.
    expect(emulator.ctx.functions.invocation(result.env.TOKEN)).toBeUndefined();
    expect(emulator.ctx.functions.invocation('not-a-token')).toBeUndefined();
  });
});
