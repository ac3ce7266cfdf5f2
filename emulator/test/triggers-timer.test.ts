import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index';
import { control, startTestCloud } from './support';

/** Timer invocations of the `tick` probe, oldest first, with what it printed. */
async function ticks(emulator: RunningEmulator) {
  const { body } = await control(emulator, 'GET', '/_emu/functions/tick/logs');
  return body.logs
    .filter((log: { source: string }) => log.source === 'wx_trigger')
    .map((log: { lines: Array<{ text: string }>; status: string }) => {
      const line = log.lines.find((l) => l.text.startsWith('TICK '));
      return { status: log.status, seen: line ? JSON.parse(line.text.slice(5)) : undefined };
    });
}

describe('timer triggers', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startTestCloud({ triggers: true });
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it('fires on demand with the event, context and identity production gives a timer', async () => {
    await control(emulator, 'POST', '/_emu/clock', { set: '2029-06-01T00:00:00.000Z' });
    // The jump itself fires what became due; let that run finish before counting.
    await emulator.ctx.functions.idle();
    const before = (await ticks(emulator)).length;
    const { status, body } = await control(emulator, 'POST', '/_emu/triggers/tick/fire');
    expect(status).toBe(200);
    expect(body.error).toBeUndefined();
    expect(body.result.event).toMatchObject({ Type: 'Timer', TriggerName: 'nightly', Message: '' });
    expect(body.result.event.Time).toMatch(/^2029-06-01T00:00:\d\dZ$/);
    expect(body.result.wx.SOURCE).toBe('wx_trigger');
    expect(body.result.wx.OPENID).toBeUndefined();
    expect(body.result.wx.ENV).toBe(emulator.ctx.options.envId);
    expect(body.result.triggerSrc).toBe('timer');
    expect(body.result.hasTriggerToken).toBe(true);
    expect((await ticks(emulator)).length).toBe(before + 1);
  });

  it('refuses to fire a function without a timer trigger', async () => {
    expect((await control(emulator, 'POST', '/_emu/triggers/whoami/fire')).status).toBe(404);
    expect((await control(emulator, 'POST', '/_emu/triggers/missing/fire')).status).toBe(404);
  });

  it('lists triggers with their next fire time on the emulator clock', async () => {
    await control(emulator, 'POST', '/_emu/clock', { set: '2030-01-01T18:00:00.000Z' });
    await emulator.ctx.functions.idle();
    const { body } = await control(emulator, 'GET', '/_emu/triggers');
    expect(body.enabled).toBe(true);
    expect(body.triggers).toContainEqual(
      expect.objectContaining({ function: 'tick', name: 'nightly', config: '0 0 3 * * * *', next: '2030-01-01T19:00:00.000Z' }),
    );
  });

  it('fires by itself when the clock passes its time, once however far the clock jumps', async () => {
    // 02:00 in Shanghai; the previous test's jump already fired what was due before it.
    await control(emulator, 'POST', '/_emu/clock', { set: '2030-01-01T18:00:00.000Z' });
    await emulator.ctx.functions.idle();
    const start = (await ticks(emulator)).length;

    await control(emulator, 'POST', '/_emu/clock', { advanceMs: 30 * 60_000 });
    await emulator.ctx.functions.idle();
    expect((await ticks(emulator)).length).toBe(start);

    // 02:30 → 03:30: 03:00 became due.
    await control(emulator, 'POST', '/_emu/clock', { advanceMs: 60 * 60_000 });
    await emulator.ctx.functions.idle();
    const afterOne = await ticks(emulator);
    expect(afterOne.length).toBe(start + 1);
    expect(afterOne.at(-1)).toMatchObject({
      status: 'success',
      seen: { event: { Type: 'Timer', TriggerName: 'nightly', Time: '2030-01-01T19:00:00Z' } },
    });
    expect(afterOne.at(-1).seen.wx.SOURCE).toBe('wx_trigger');

    // Ten days at once: one run, not ten.
    await control(emulator, 'POST', '/_emu/clock', { advanceMs: 10 * 86_400_000 });
    await emulator.ctx.functions.idle();
    const afterJump = await ticks(emulator);
    expect(afterJump.length).toBe(start + 2);
    expect(afterJump.at(-1).seen.event.Time).toBe('2030-01-02T19:00:00Z');
  });
});
