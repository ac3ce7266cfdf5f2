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

  it('refuses a backward, non-finite or absurd clock move, and a set to an absurd date, without moving the clock', async () => {
    await cloud.client.clock.advance(5000);
    const post = (text: string) =>
      fetch(`${cloud.emulator.url}/_emu/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    const tenYears = 10 * 365.25 * 86_400_000;
    for (const body of [
      '{"advanceMs":-1000}',
      '{"advanceMs":1e400}',
      '{"advanceMs":-1e400}',
      `{"advanceMs":${Math.round(tenYears + 86_400_000)}}`,
      '{"advanceMs":1e20}',
      '{"set":"9999-12-31T00:00:00.000Z"}',
      '{"set":"1900-01-01T00:00:00.000Z"}',
      '{"set":"+275760-09-13T00:00:00.000Z"}',
      'null',
      '[1]',
    ]) {
      const response = await post(body);
      expect(response.status, body).toBe(400);
      expect((await response.json()).error.message, body).toMatch(/\S/);
    }
    // Each step within bounds, but together beyond them.
    expect((await cloud.client.clock.advance(9 * 365 * 86_400_000)).offsetMs).toBe(9 * 365 * 86_400_000 + 5000);
    expect((await post(`{"advanceMs":${2 * 365 * 86_400_000}}`)).status).toBe(400);
    expect((await cloud.client.clock.get()).offsetMs).toBe(9 * 365 * 86_400_000 + 5000);
    // And the clock still answers: no call is left failing.
    expect((await cloud.client.health()).ok).toBe(true);
  });

  it('answers 400 to a malformed percent-escape in a control-plane path or query', async () => {
    const path = await cloud.client.control('GET', '/_emu/functions/%E0%A4%A/logs');
    expect(path.status).toBe(400);
    expect(path.body.error.message).toContain('%E0%A4%A');
    const query = await cloud.client.control('GET', '/_emu/outbox?kind=%E0%A4%A');
    expect(query.status).toBe(400);
    const post = await cloud.client.control('POST', '/_emu/functions/who%ZZami/invoke', {});
    expect(post.status).toBe(400);
    expect((await cloud.client.functions.logs('whoami')).logs).toEqual([]);
  });

  it("refuses a persona whose openid, 公众号 openid or unionid is already another persona's, and changes nothing", async () => {
    const before = (await cloud.client.personas.list()).personas;
    for (const body of [
      { name: 'eve', openid: 'o-mini-alice' },
      { name: 'eve', mpOpenid: 'o-mp-bob' },
      { name: 'eve', unionid: 'u-alice' },
      { name: 'carol', openid: 'o-mini-bob' },
      [
        { name: 'eve', openid: 'o-shared' },
        { name: 'fay', openid: 'o-shared' },
      ],
      // A new persona's default openid taken by someone else.
      [{ name: 'bob', openid: 'o-mini-gil' }, { name: 'gil' }],
    ]) {
      const refused = await cloud.client.control('POST', '/_emu/personas', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.message, JSON.stringify(body)).toMatch(/already|same/);
    }
    for (const body of [null, 5, [null], { name: 'eve', openid: 7 }, { name: 'eve', follows: 'yes' }]) {
      expect((await cloud.client.control('POST', '/_emu/personas', body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await cloud.client.personas.list()).personas).toEqual(before);
    // Naming a persona's own ids again is no conflict.
    await cloud.client.personas.upsert({
      name: 'alice',
      openid: 'o-mini-alice',
      mpOpenid: 'o-mp-alice',
      unionid: 'u-alice',
      follows: false,
    });
    expect((await cloud.client.personas.list()).personas.find((p) => p.name === 'alice')?.follows).toBe(false);
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
