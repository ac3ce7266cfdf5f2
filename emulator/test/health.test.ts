import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index';
import { control, startTestCloud } from './support';

describe('control plane basics', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startTestCloud();
  });
  afterAll(async () => {
    await emulator.stop();
  });

  it('answers health when ready', async () => {
    const { status, body } = await control(emulator, 'GET', '/_emu/health');
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
  });

  it('moves the clock forward and back to real time on reset', async () => {
    const before = Date.now();
    const moved = await control(emulator, 'POST', '/_emu/clock', { advanceMs: 86_400_000 });
    expect(Date.parse(moved.body.now)).toBeGreaterThanOrEqual(before + 86_400_000);
    const set = await control(emulator, 'POST', '/_emu/clock', { set: '2030-01-01T00:00:00.000Z' });
    expect(set.body.now.startsWith('2030-01-01T00:00:0')).toBe(true);
    await control(emulator, 'POST', '/_emu/reset');
    const now = await control(emulator, 'GET', '/_emu/clock');
    expect(Math.abs(Date.parse(now.body.now) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses a malformed clock change without moving the clock', async () => {
    const bad = await control(emulator, 'POST', '/_emu/clock', { set: 'tomorrow-ish' });
    expect(bad.status).toBe(400);
    expect((await control(emulator, 'GET', '/_emu/clock')).body.offsetMs).toBe(0);
  });

  it('adds personas and keeps the defaults', async () => {
    await control(emulator, 'POST', '/_emu/personas', { name: 'dave', unionid: 'u-dave', follows: true });
    const { body } = await control(emulator, 'GET', '/_emu/personas');
    const names = body.personas.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['alice', 'bob', 'carol', 'dave']));
    const dave = body.personas.find((p: { name: string }) => p.name === 'dave');
    expect(dave.openid).not.toBe(dave.mpOpenid);
  });
});
