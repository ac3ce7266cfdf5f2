import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunningEmulator } from '../src/index';
import { rawRequest, sdkFor, startTestCloud, useTestCloud } from './support';

const EVIL = 'http://evil.example';
const H5_ORIGIN = 'http://h5.duet.test:10086';

// A built H5 app of one page, served by the local cloud itself.
const h5Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-h5-'));
fs.writeFileSync(path.join(h5Dir, 'index.html'), '<!doctype html><title>duet</title>');

describe('what a web page may do with the local cloud', () => {
  const cloud = useTestCloud({ h5Url: `${H5_ORIGIN}/`, h5Dir });
  const send = (method: string, target: string, headers: Record<string, string> = {}, body?: string) =>
    rawRequest(cloud.emulator.port, method, target, headers, body);

  it('refuses a cross-origin "simple" POST to the control plane before the function runs', async () => {
    const body = JSON.stringify({ persona: 'alice', source: 'wx_cloudconsole' });
    for (const type of ['text/plain', 'application/json']) {
      const answer = await send('POST', '/_emu/functions/whoami/invoke', { origin: EVIL, 'content-type': type }, body);
      expect(answer.status).toBe(403);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(JSON.parse(answer.body).error.message).toContain(EVIL);
    }
    expect((await cloud.client.functions.logs('whoami')).logs).toEqual([]);
    expect((await cloud.client.functions.list()).functions.find((f) => f.name === 'whoami')?.lastColdStart).toBeNull();
  });

  it('lets no other origin read the control plane, not even through a preflight', async () => {
    await cloud.client.personas.upsert({ name: 'secret-keeper' });
    const exported = await send('GET', '/_emu/export', { origin: EVIL });
    expect(exported.status).toBe(403);
    expect(exported.headers['access-control-allow-origin']).toBeUndefined();
    expect(exported.body).not.toContain('collections');
    const personas = await send('GET', '/_emu/personas', { origin: EVIL });
    expect(personas.status).toBe(403);
    expect(personas.body).not.toContain('secret-keeper');

    const preflight = await send('OPTIONS', '/_emu/reset', {
      origin: EVIL,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('refuses other origins on the SDK endpoint, HTTP functions, the 公众号 API fake and the H5 files too', async () => {
    const admin = await send(
      'POST',
      '/admin',
      { origin: EVIL, 'content-type': 'text/plain' },
      JSON.stringify({ action: 'database.addCollection', collectionName: 'planted' }),
    );
    expect(admin.status).toBe(403);
    const gateway = await send('POST', '/_emu/http/http/wechat/push', { origin: EVIL, 'content-type': 'text/xml' }, '<xml>hi</xml>');
    expect(gateway.status).toBe(403);
    const { appid, secret } = cloud.emulator.ctx.options.mp;
    const token = await send('GET', `/mp/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${secret}`, { origin: EVIL });
    expect(token.status).toBe(403);
    const page = await send('GET', '/index.html', { origin: EVIL });
    expect(page.status).toBe(403);
    expect(page.body).not.toContain('<title>duet</title>');

    // Nothing of it happened: no action counted, no collection made, no function ran.
    expect((await cloud.client.stats()).counts).toEqual({});
    expect((await cloud.client.db.info()).collections.map((c) => c.name)).not.toContain('planted');
    expect((await cloud.client.functions.logs('http')).logs).toEqual([]);
    expect((await cloud.client.mp.state()).tokens).toEqual([]);
  });

  it('answers loopback origins and the H5 app origin, with CORS for that origin only', async () => {
    for (const origin of ['http://127.0.0.1:5173', 'http://localhost:3000', 'http://[::1]:8080', 'http://localhost', H5_ORIGIN]) {
      const health = await send('GET', '/_emu/health', { origin });
      expect(health.status, origin).toBe(200);
      expect(health.headers['access-control-allow-origin'], origin).toBe(origin);
      expect(health.headers.vary, origin).toMatch(/\borigin\b/i);
      const preflight = await send('OPTIONS', '/_emu/clock', {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      });
      expect(preflight.status, origin).toBe(204);
      expect(preflight.headers['access-control-allow-origin'], origin).toBe(origin);
      expect(preflight.headers['access-control-allow-headers'], origin).toContain('content-type');
      const moved = await send('POST', '/_emu/clock', { origin, 'content-type': 'application/json' }, JSON.stringify({ advanceMs: 1000 }));
      expect(moved.status, origin).toBe(200);
    }
    expect((await cloud.client.clock.get()).offsetMs).toBe(5000);

    for (const origin of [
      'https://localhost:3000',
      'http://127.0.0.1.evil.example',
      'http://localhost.evil.example:3000',
      'null',
      'http://h5.duet.test:10087',
    ]) {
      const refused = await send(
        'POST',
        '/_emu/clock',
        { origin, 'content-type': 'application/json' },
        JSON.stringify({ advanceMs: 1000 }),
      );
      expect(refused.status, origin).toBe(403);
      expect(refused.headers['access-control-allow-origin'], origin).toBeUndefined();
    }
    expect((await cloud.client.clock.get()).offsetMs).toBe(5000);
  });

  it('sends no CORS header without an Origin, and keeps such requests working (the 公众号 pushing text/xml)', async () => {
    const health = await send('GET', '/_emu/health');
    expect(health.status).toBe(200);
    expect(health.headers['access-control-allow-origin']).toBeUndefined();
    const gateway = await send('POST', '/_emu/http/http/wechat/push?a=1', { 'content-type': 'text/xml' }, '<xml>hi</xml>');
    expect(gateway.status).toBe(201);
    expect(gateway.body).toContain('<body><xml>hi</xml></body>');
    const page = await send('GET', '/');
    expect(page.body).toContain('<title>duet</title>');
  });

  it('requires application/json on control-plane POSTs and changes nothing otherwise', async () => {
    await cloud.client.clock.advance(7000);
    const advance = JSON.stringify({ advanceMs: 60_000 });
    for (const type of [
      'text/plain',
      'text/plain; charset=utf-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const answer = await send('POST', '/_emu/clock', { 'content-type': type }, advance);
      expect(answer.status, type).toBe(415);
      expect(JSON.parse(answer.body).error.message, type).toContain('application/json');
    }
    // No body and no type at all is what a bare cross-site form or beacon can send.
    expect((await send('POST', '/_emu/reset')).status).toBe(415);
    expect((await cloud.client.clock.get()).offsetMs).toBe(7000);

    const json = await send('POST', '/_emu/clock', { 'content-type': 'application/json; charset=utf-8' }, advance);
    expect(json.status).toBe(200);
    expect((await cloud.client.clock.get()).offsetMs).toBe(67_000);
  });

  it('takes JSON lines on the one-collection import only as application/x-ndjson or JSON, never as text/plain', async () => {
    const refused = await send('POST', '/_emu/import/notes', { 'content-type': 'text/plain' }, '{"_id":"a"}\n');
    expect(refused.status).toBe(415);
    expect((await cloud.client.db.info()).collections.find((c) => c.name === 'notes')?.count ?? 0).toBe(0);
    expect(await cloud.client.db.importCollection('notes', '{"_id":"a"}\n{"_id":"b"}\n')).toEqual({ ok: true, collections: { notes: 2 } });
  });

  it('refuses a Host that is not the local cloud (DNS rebinding) and changes nothing', async () => {
    await cloud.client.clock.advance(3000);
    const rebound = await send(
      'POST',
      '/_emu/reset',
      { host: `evil.example:${cloud.emulator.port}`, 'content-type': 'application/json' },
      '{}',
    );
    expect(rebound.status).toBe(421);
    expect(JSON.parse(rebound.body).error.message).toContain('evil.example');
    expect((await send('GET', '/_emu/export', { host: 'evil.example' })).status).toBe(421);
    expect((await cloud.client.clock.get()).offsetMs).toBe(3000);

    for (const host of [
      `localhost:${cloud.emulator.port}`,
      `127.0.0.1:${cloud.emulator.port}`,
      `[::1]:${cloud.emulator.port}`,
      'localhost',
    ]) {
      expect((await send('GET', '/_emu/health', { host })).status, host).toBe(200);
    }
  });

  it('keeps the real SDK working on /admin: JSON actions and multipart open-API calls', async () => {
    // The SDK's typings promise a void or string answer for callback-style calls; these are promise-style.
    const sdk = sdkFor(cloud.emulator) as any;
    const db = sdk.database();
    await db.createCollection('notes');
    const { _id } = await db.collection('notes').add({ data: { text: 'still here' } });
    expect((await db.collection('notes').doc(_id).get()).data.text).toBe('still here');
    const called = await sdk.callFunction({ name: 'whoami', data: {} });
    expect(called.result).toBeTruthy();
    // Multipart: the open-API call reaches the fake and is answered with WeChat's error for an unknown user.
    const sent = await sdk.openapi.subscribeMessage
      .send({ touser: 'o-nobody', templateId: 'TPL', data: {} })
      .catch((error: { errCode?: number }) => error);
    expect((sent as { errCode?: number }).errCode).toBe(40003);
    expect((await cloud.client.stats()).counts['wx.openApi']).toBe(1);
  });
});

describe('listening beyond loopback', () => {
  let started: RunningEmulator | undefined;
  afterEach(async () => {
    await started?.stop();
    started = undefined;
    vi.restoreAllMocks();
  });

  const warnings = (spy: { mock: { calls: unknown[][] } }) =>
    spy.mock.calls.map((call) => call.map(String).join(' ')).filter((line) => line.includes('WARNING'));

  it('warns on stderr, even when quiet, when the host is not loopback', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    started = await startTestCloud({ host: '0.0.0.0' });
    const [warning, ...more] = warnings(spy);
    expect(more).toEqual([]);
    expect(warning).toContain('0.0.0.0');
    expect(warning).toContain('/_emu/');
    // The configured host and loopback names are this cloud; another name still is not.
    expect((await rawRequest(started.port, 'GET', '/_emu/health', { host: `0.0.0.0:${started.port}` })).status).toBe(200);
    expect((await rawRequest(started.port, 'GET', '/_emu/health', { host: `localhost:${started.port}` })).status).toBe(200);
    expect((await rawRequest(started.port, 'GET', '/_emu/health', { host: `evil.example:${started.port}` })).status).toBe(421);
  });

  it('says nothing on loopback', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    started = await startTestCloud({ host: '127.0.0.1' });
    expect(warnings(spy)).toEqual([]);
  });
});
