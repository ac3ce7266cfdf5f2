import { describe, expect, it } from 'vitest';
import { type TestCloud, useTestCloud } from './support';

/** Timer invocations of the `tick` probe, oldest first, with what it printed. */
async function ticks(cloud: TestCloud) {
  const { logs } = await cloud.client.functions.logs('tick');
  return logs
    .filter((log) => log.source === 'wx_trigger')
    .map((log) => {
      const line = log.lines.find((l) => l.text.startsWith('TICK '));
      return { status: log.status, trigger: log.trigger, seen: line ? JSON.parse(line.text.slice(5)) : undefined };
    });
}

/** Sets the emulator clock and waits for what the jump fired. */
async function setClock(cloud: TestCloud, iso: string) {
  await cloud.client.clock.set(iso);
  await cloud.emulator.ctx.functions.idle();
}

describe('timer triggers', () => {
  const cloud = useTestCloud({ triggers: true });

  it('fires on demand with the event, context and identity production gives a timer', async () => {
    // 12:00 in Shanghai. The jump from real time passes 03:00: that fires one run by itself.
    await setClock(cloud, '2029-06-01T04:00:00.000Z');
    expect(await ticks(cloud)).toHaveLength(1);
    const answer = await cloud.client.triggers.fire('tick');
    if (!('result' in answer)) throw new Error(`the timer run failed: ${JSON.stringify(answer)}`);
    const result = answer.result as any;
    expect(result.event).toMatchObject({ Type: 'Timer', TriggerName: 'nightly', Message: '' });
    expect(result.event.Time).toMatch(/^2029-06-01T04:00:\d\dZ$/);
    expect(result.wx.SOURCE).toBe('wx_trigger');
    expect(result.wx.OPENID).toBeUndefined();
    expect(result.wx.ENV).toBe(cloud.emulator.ctx.options.envId);
    expect(result.triggerSrc).toBe('timer');
    expect(result.hasTriggerToken).toBe(true);
    const runs = await ticks(cloud);
    expect(runs).toHaveLength(2);
    expect(runs[1]).toMatchObject({ status: 'success', trigger: 'nightly', seen: { event: result.event } });
  });

  it('refuses to fire a function without a timer trigger, or no function, and runs nothing', async () => {
    const none = await cloud.client.control('POST', '/_emu/triggers/whoami/fire');
    expect(none).toEqual({ status: 404, body: { error: { message: 'function whoami has no timer trigger in its config.json' } } });
    const missing = await cloud.client.control('POST', '/_emu/triggers/missing/fire');
    expect(missing).toEqual({ status: 404, body: { error: { errCode: -501000, errMsg: 'FunctionName parameter could not be found.' } } });
    expect((await cloud.client.functions.logs('whoami')).logs).toEqual([]);
    expect(await ticks(cloud)).toEqual([]);
  });

  it('lists triggers with their next fire time on the emulator clock', async () => {
    await setClock(cloud, '2030-01-01T18:00:00.000Z');
    const listed = await cloud.client.triggers.list();
    expect(listed.enabled).toBe(true);
    expect(listed.triggers).toContainEqual(
      expect.objectContaining({ function: 'tick', name: 'nightly', config: '0 0 3 * * * *', next: '2030-01-01T19:00:00.000Z' }),
    );
  });

  it('fires by itself when the clock passes its time, once however far the clock jumps', async () => {
    // 02:00 in Shanghai; the jump from real time to here fires one run for the 03:00s it passed.
    await setClock(cloud, '2030-01-01T18:00:00.000Z');
    const start = (await ticks(cloud)).length;
    expect(start).toBe(1);

    await cloud.client.clock.advance(30 * 60_000);
    await cloud.emulator.ctx.functions.idle();
    expect(await ticks(cloud)).toHaveLength(start);

    // 02:30 → 03:30: 03:00 became due.
    await cloud.client.clock.advance(60 * 60_000);
    await cloud.emulator.ctx.functions.idle();
    const afterOne = await ticks(cloud);
    expect(afterOne).toHaveLength(start + 1);
    expect(afterOne.at(-1)).toMatchObject({
      status: 'success',
      seen: { event: { Type: 'Timer', TriggerName: 'nightly', Time: '2030-01-01T19:00:00Z' }, wx: { SOURCE: 'wx_trigger' } },
    });

    // Ten days at once: one run, not ten.
    await cloud.client.clock.advance(10 * 86_400_000);
    await cloud.emulator.ctx.functions.idle();
    const afterJump = await ticks(cloud);
    expect(afterJump).toHaveLength(start + 2);
    expect(afterJump.at(-1)?.seen.event.Time).toBe('2030-01-02T19:00:00Z');
  });

  it('fires nothing when the clock moves back over a fire time', async () => {
    await setClock(cloud, '2030-01-01T19:30:00.000Z');
    const start = (await ticks(cloud)).length;
    expect(start).toBe(1);
    await setClock(cloud, '2030-01-01T18:30:00.000Z');
    expect(await ticks(cloud)).toHaveLength(start);
    // Forward again over 03:00: due once more.
    await setClock(cloud, '2030-01-01T19:30:00.000Z');
    expect(await ticks(cloud)).toHaveLength(start + 1);
  });

  it('fires nothing on a reset, even when the clock was left in the past', async () => {
    // Back from real time to 2025 (nothing due), as a test that pins a past date leaves it.
    await setClock(cloud, '2025-01-01T18:00:00.000Z');
    expect(await ticks(cloud)).toHaveLength(0);
    // The reset brings the clock back to real time: a restart, not a jump over every 03:00 since.
    await cloud.client.reset();
    await cloud.emulator.ctx.functions.idle();
    expect(await ticks(cloud)).toHaveLength(0);
    // Still watched: the next jump over 03:00 fires.
    await cloud.client.clock.advance(86_400_000 + 60_000);
    await cloud.emulator.ctx.functions.idle();
    expect(await ticks(cloud)).toHaveLength(1);
  });
});
