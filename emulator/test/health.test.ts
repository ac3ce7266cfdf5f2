import { describe, expect, it } from 'vitest';
import { useTestCloud } from './support';

describe('control plane basics', () => {
  const cloud = useTestCloud();

  it('answers health when ready', async () => {
    const health = await cloud.client.health();
    expect(health).toMatchObject({ ok: true, env: cloud.emulator.ctx.options.envId });
    expect(Number.isNaN(Date.parse(health.time))).toBe(false);
  });

  it('moves the clock forward, sets it, and puts it back to real time on reset', async () => {
    const before = await cloud.client.clock.get();
    expect(before.offsetMs).toBe(0);
    const moved = await cloud.client.clock.advance(86_400_000);
    expect(moved.offsetMs).toBe(86_400_000);
    expect(Date.parse(moved.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(86_400_000);
    const set = await cloud.client.clock.set('2030-01-01T00:00:00.000Z');
    expect(set.now.startsWith('2030-01-01T00:00:0')).toBe(true);
    await cloud.client.reset();
    expect((await cloud.client.clock.get()).offsetMs).toBe(0);
  });

  it('refuses a malformed clock change with the reason, without moving the clock', async () => {
    await cloud.client.clock.advance(5000);
    const bad = await cloud.client.control('POST', '/_emu/clock', { set: 'tomorrow-ish' });
    expect(bad).toEqual({ status: 400, body: { error: { message: '"set" is not an ISO time: tomorrow-ish' } } });
    const empty = await cloud.client.control('POST', '/_emu/clock', {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('advanceMs');
    expect((await cloud.client.clock.get()).offsetMs).toBe(5000);
  });

  it('adds personas and keeps the defaults', async () => {
    await cloud.client.personas.upsert({ name: 'dave', unionid: 'u-dave', follows: true });
    const { personas } = await cloud.client.personas.list();
    expect(personas.map((p) => p.name)).toEqual(['alice', 'bob', 'carol', 'dave']);
    const dave = personas.find((p) => p.name === 'dave');
    expect(dave).toMatchObject({ openid: 'o-mini-dave', mpOpenid: 'o-mp-dave', unionid: 'u-dave', follows: true });
  });

  it('refuses a persona without a valid name and adds nothing', async () => {
    const bad = await cloud.client.control('POST', '/_emu/personas', [{ name: 'ok-one' }, { name: 'has space' }]);
    expect(bad).toEqual({ status: 400, body: { error: { message: 'each persona needs a "name" of letters, digits, _ or -' } } });
    expect((await cloud.client.personas.list()).personas.map((p) => p.name)).toEqual(['alice', 'bob', 'carol']);
  });
});
