import { describe, expect, it } from 'vitest';
import { sdkFor, useTestCloud } from './support';

type Invoke = { result?: any; error?: { errCode: number; errMsg: string } };

describe('function runner', () => {
  const cloud = useTestCloud();
  const invoke = async (name: string, body: Record<string, unknown> = {}) => (await cloud.client.invoke(name, body)) as Invoke;
  const functionNamed = async (name: string) => (await cloud.client.functions.list()).functions.find((f) => f.name === name);
  const logsOf = async (name: string) => (await cloud.client.functions.logs(name)).logs;

  it('lists the functions with their config', async () => {
    const listed = await cloud.client.functions.list();
    expect(listed.error).toBeUndefined();
    const names = listed.functions.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['whoami', 'caller', 'slow', 'tick', 'http']));
    expect(listed.functions.find((f) => f.name === 'slow')?.config.timeout).toBe(1);
  });

  it('records the last cold start of each function: spawn to module loaded, with the load alone inside it', async () => {
    const set = await cloud.client.clock.set('2031-04-05T06:07:08.000Z');
    expect((await functionNamed('whoami'))?.lastColdStart).toBeNull();

    const first = await invoke('whoami', { persona: 'alice' });
    expect(first.error).toBeUndefined();
    const after = await cloud.client.clock.get();
    const cold = (await functionNamed('whoami'))?.lastColdStart;
    if (!cold) throw new Error('no cold start recorded');
    // Spawned on the emulator's clock, between setting it and the answer, by the process that ran the call.
    expect(Date.parse(cold.at)).toBeGreaterThanOrEqual(Date.parse(set.now));
    expect(Date.parse(cold.at)).toBeLessThanOrEqual(Date.parse(after.now));
    expect(cold.pid).toBe(first.result.pid);
    expect(cold.loadMs).toBeGreaterThan(0);
    // Spawn → ready includes Node's own start-up before the require().
    expect(cold.ms).toBeGreaterThan(cold.loadMs);

    // A warm call starts nothing: the record stays that of the instance it ran on.
    const warm = await invoke('whoami', { persona: 'alice' });
    expect(warm.result.pid).toBe(first.result.pid);
    expect((await functionNamed('whoami'))?.lastColdStart).toEqual(cold);

    // A reset forgets the record; the idle instance reloads its modules in place, so the next call starts nothing.
    await cloud.client.reset();
    expect((await functionNamed('whoami'))?.lastColdStart).toBeNull();
    const again = await invoke('whoami', { persona: 'alice' });
    expect(again.result.pid).toBe(cold.pid);
    expect((await functionNamed('whoami'))?.lastColdStart).toBeNull();

    // Asked for cold starts, a reset kills the instance: the next call starts a new process.
    await cloud.client.reset({ coldStarts: true });
    const fresh = await invoke('whoami', { persona: 'alice' });
    expect(fresh.result.pid).not.toBe(cold.pid);
    expect((await functionNamed('whoami'))?.lastColdStart?.pid).toBe(fresh.result.pid);
    expect(await cloud.client.control('POST', '/_emu/reset', { coldStarts: 'yes' })).toMatchObject({ status: 400 });
  });

  it('gives a function fresh module state on a reset, without its timers or environment, in the same process', async () => {
    const first = await invoke('stateful', { event: { leave: 300 } });
    expect(first.result).toMatchObject({ calls: 1, leftBehind: 'yes', timerFired: false, sameSdk: true });
    expect((await invoke('stateful', {})).result).toMatchObject({ calls: 2, pid: first.result.pid });

    await cloud.client.reset();
    // Past the timer the function left: a reset clears it, as the end of the process would have.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const after = await invoke('stateful', {});
    expect(after.result).toEqual({ calls: 1, pid: first.result.pid, leftBehind: null, timerFired: false, sameSdk: true });

    // Without a reset the same timer does fire: the check above can fail.
    await invoke('stateful', { event: { leave: 50 } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await invoke('stateful', {})).result).toMatchObject({ calls: 3, timerFired: true });
  });

  it('runs a function as a persona: getWXContext, event.userInfo and the SCF context', async () => {
    const { result, error } = await invoke('whoami', { event: { hello: 'world' }, persona: 'alice' });
    expect(error).toBeUndefined();
    expect(result.wx).toMatchObject({
      OPENID: 'o-mini-alice',
      APPID: cloud.emulator.ctx.options.appid,
      UNIONID: 'u-alice',
      ENV: cloud.emulator.ctx.options.envId,
      SOURCE: 'wx_client',
    });
    // The token is for the SDK only; getWXContext never shows it.
    expect(result.wx.API_TOKEN).toBeUndefined();
    expect(result.env.HAS_TOKEN).toBe(true);
    expect(result.event).toEqual({
      hello: 'world',
      userInfo: { appId: cloud.emulator.ctx.options.appid, openId: 'o-mini-alice', unionId: 'u-alice' },
    });
    expect(result.context).toMatchObject({
      function_name: 'whoami',
      namespace: cloud.emulator.ctx.options.envId,
      memory_limit_in_mb: 256,
      time_limit_in_ms: 10_000,
    });
    expect(result.context.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.context.environment.WX_OPENID).toBe('o-mini-alice');
    expect(result.env).toMatchObject({ TZ: 'UTC', TENCENTCLOUD_RUNENV: 'SCF', DUET_MINI_APPID: cloud.emulator.ctx.options.appid });
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
      APPID: cloud.emulator.ctx.options.appid,
      SOURCE: 'wx_client,scf',
    });
    // Same-environment calls are not cross-account: no FROM_* fields, no injected userInfo.
    expect(result.callee.wx.FROM_OPENID).toBeUndefined();
    expect(result.callee.event).toEqual({ n: 1 });
  });

  it('answers callFunction of a missing function with the production error', async () => {
    const { result } = await invoke('caller', { event: { target: 'no-such-function' }, persona: 'bob' });
    expect(result.error.errMsg).toContain('FunctionName parameter could not be found.');
    const direct = await cloud.client.control<Invoke>('POST', '/_emu/functions/no-such-function/invoke', {});
    expect(direct.status).toBe(404);
    expect(direct.body.error).toEqual({ errCode: -501000, errMsg: 'FunctionName parameter could not be found.' });
    expect((await cloud.client.control('GET', '/_emu/functions/no-such-function/logs')).status).toBe(404);
  });

  it('serves cloud.callFunction from any process with the SDK', async () => {
    // In SCF the region is always set; without it node-sdk logs an error on every call.
    process.env.TENCENTCLOUD_REGION = 'ap-shanghai';
    const sdk = sdkFor(cloud.emulator);
    const res = (await sdk.callFunction({ name: 'whoami', data: { via: 'test process' } })) as { result: any };
    const result = res.result;
    expect(result.event).toEqual({ via: 'test process' });
    expect(result.wx.SOURCE).toBe('scf');
    expect(result.wx.OPENID).toBeUndefined();
    await expect(sdk.callFunction({ name: 'slow', data: { ms: 4000 } })).rejects.toMatchObject({
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
    expect((await cloud.client.health()).ok).toBe(true);
    expect((await logsOf('crash')).map((l) => l.status)).toEqual(['success', 'crash', 'crash']);
    const after = await invoke('crash', { event: {} });
    expect(after.error).toBeUndefined();
    expect(after.result.pid).not.toBe(before.result.pid);
  });

  it('times out like production, kills the instance, and the next call succeeds on a new one', async () => {
    const timedOut = await invoke('slow', { event: { ms: 5000 } });
    expect(timedOut.error).toEqual({ errCode: -504003, errMsg: 'Invoking task timed out after 1 seconds' });
    const logs = await logsOf('slow');
    const timedOutPid = logs.at(-1)?.pid;
    expect(logs.at(-1)).toMatchObject({ status: 'timeout', error: { errCode: -504003 } });
    const next = await invoke('slow', { event: { ms: 10 } });
    expect(next.error).toBeUndefined();
    expect(next.result.pid).not.toBe(timedOutPid);
  });

  it('times out a hanging function, whether it awaits forever or spins the CPU', async () => {
    const pids = new Set<number | undefined>();
    for (const mode of ['never', 'spin']) {
      const { error } = await invoke('hang', { event: { mode } });
      expect(error?.errCode).toBe(-504003);
    }
    const fine = await invoke('hang', { event: {} });
    expect(fine.result.pid).toEqual(expect.any(Number));
    const logs = await logsOf('hang');
    expect(logs.map((l) => l.status)).toEqual(['timeout', 'timeout', 'success']);
    // Each hung instance was killed: three invocations, three processes.
    for (const log of logs) pids.add(log.pid);
    expect(pids.size).toBe(3);
  });

  it('runs 8 concurrent invocations on at most 4 instances, one at a time per instance', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, n) => invoke('pool', { event: { n, ms: 150 } })));
    for (const r of results) expect(r.error).toBeUndefined();
    expect(results.map((r) => r.result.n).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // No instance ever ran a second invocation while one was running in it.
    expect(results.map((r) => r.result.alongside)).toEqual(Array(8).fill(0));
    const pids = new Set(results.map((r) => r.result.pid as number));
    expect(pids.size).toBeGreaterThan(1);
    expect(pids.size).toBeLessThanOrEqual(4);
    expect((await functionNamed('pool'))?.instances).toEqual({ total: pids.size, busy: 0 });
    // Warm instances are reused: a second wave needs no new processes.
    const again = await Promise.all(Array.from({ length: pids.size }, (_, n) => invoke('pool', { event: { n, ms: 10 } })));
    for (const r of again) expect(pids.has(r.result.pid)).toBe(true);
    expect((await functionNamed('pool'))?.instances.total).toBe(pids.size);
  });

  it('shows functions the emulator clock', async () => {
    const set = await cloud.client.clock.set('2031-05-05T00:00:00.000Z');
    const moved = (await invoke('clock')).result;
    const after = await cloud.client.clock.get();
    // The function's Date.now() lies between the emulator's clock before and after the call.
    expect(moved.now).toBeGreaterThanOrEqual(Date.parse(set.now));
    expect(moved.now).toBeLessThanOrEqual(Date.parse(after.now));
    expect(Date.parse(moved.iso)).toBeGreaterThanOrEqual(Date.parse(set.now));
    expect(moved.text).toContain('2031');
    expect(moved.explicit).toBe('2020-01-02T03:04:05.000Z');
    expect(moved.isDate).toBe(true);
    expect(moved.tz).toBe(0);

    // The same warm instance follows the clock back to real time.
    const back = await cloud.client.clock.reset();
    const real = (await invoke('clock')).result;
    const realAfter = await cloud.client.clock.get();
    expect(back.offsetMs).toBe(0);
    expect(real.now).toBeGreaterThanOrEqual(Date.parse(back.now));
    expect(real.now).toBeLessThanOrEqual(Date.parse(realAfter.now));
  });

  it('keeps each invocation’s output in the function logs', async () => {
    await invoke('whoami', { persona: 'bob' });
    await invoke('whoami', {});
    const { logs } = await cloud.client.functions.logs('whoami', { limit: 1 });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ functionName: 'whoami', status: 'success', source: 'wx_devtools' });
    expect(logs[0].openid).toBeUndefined();
    const both = await logsOf('whoami');
    expect(both.map((l) => [l.source, l.openid])).toEqual([
      ['wx_client', 'o-mini-bob'],
      ['wx_devtools', undefined],
    ]);
    expect(both[0].lines).toContainEqual({ stream: 'stdout', text: 'whoami called' });
    const missing = await cloud.client.control('GET', '/_emu/functions/nope/logs');
    expect(missing).toEqual({ status: 404, body: { error: { errCode: -501000, errMsg: 'FunctionName parameter could not be found.' } } });
  });

  it('reports a function that cannot load as an execute failure', async () => {
    const { error } = await invoke('broken');
    expect(error?.errCode).toBe(-504002);
    expect(error?.errMsg).toContain('does not export a function "main"');
    expect((await logsOf('broken')).map((l) => [l.status, l.error?.errCode])).toEqual([['error', -504002]]);
  });

  it('resolves invocation tokens only while the invocation runs', async () => {
    const { result } = await invoke('whoami', { persona: 'alice' });
    expect(result.env.TOKEN).toMatch(/^[0-9a-f]{48}$/);
    // The chained call above proved a live token resolves to its caller; a finished one is gone.
    expect(cloud.emulator.ctx.functions.invocation(result.env.TOKEN)).toBeUndefined();
    expect(cloud.emulator.ctx.functions.invocation('not-a-token')).toBeUndefined();
  });
});
