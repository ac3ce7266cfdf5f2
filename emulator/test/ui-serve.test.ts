import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rawRequest, repoRoot, useTestCloud } from './support';

/**
 * How /_emu/ui/ is served: the page, its one script and one stylesheet (built on the first request, then
 * the same bytes from memory), headers that keep other sites from using or framing it, and the control
 * plane's origin rules unchanged — the page's own origin may call the control plane, another may not.
 */

describe('the web UI as served', () => {
  const local = useTestCloud();
  const send = (method: string, target: string, headers: Record<string, string> = {}, body?: string) =>
    rawRequest(local.emulator.port, method, target, headers, body);

  it('serves the page, one script and one stylesheet, the bundle kept in memory', async () => {
    const page = await send('GET', '/_emu/ui/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<script src="/_emu/ui/app.js"></script>');
    expect(page.body).toContain('<link rel="stylesheet" href="/_emu/ui/app.css">');
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await send('GET', '/_emu/ui')).headers.location).toBe('/_emu/ui/');

    const js = await send('GET', '/_emu/ui/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toContain('/_emu/db/');
    expect(js.body).toContain('进入小程序查看');
    const css = await send('GET', '/_emu/ui/app.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toContain('.wx-card');
    // The same bytes again: built once.
    expect((await send('GET', '/_emu/ui/app.js')).body).toBe(js.body);
    expect((await send('GET', '/_emu/ui/nope.js')).status).toBe(404);
  });

  it('lets its own origin drive the control plane and refuses other sites and foreign hosts', async () => {
    const own = local.emulator.url;
    const allowed = await send(
      'POST',
      '/_emu/clock',
      { origin: own, 'content-type': 'application/json' },
      JSON.stringify({ advanceMs: 60_000 }),
    );
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(own);
    expect((await local.client.clock.get()).offsetMs).toBeGreaterThanOrEqual(60_000);

    for (const target of ['/_emu/ui/', '/_emu/ui/app.js', '/_emu/db/rows/docs']) {
      const evil = await send('GET', target, { origin: 'http://evil.example' });
      expect(evil.status, target).toBe(403);
      expect(evil.body).not.toContain('进入小程序查看');
      const rebound = await send('GET', target, { host: 'evil.example:8790' });
      expect(rebound.status, target).toBe(421);
    }
    const replaced = await send(
      'POST',
      '/_emu/db/members/doc',
      { origin: 'http://evil.example', 'content-type': 'application/json' },
      JSON.stringify({ doc: { _id: 'x' } }),
    );
    expect(replaced.status).toBe(403);
  });

  it('builds under the CLI too (tsx, CommonJS), where npm run emulator runs it', async () => {
    // The command asks the CLI's local cloud for the bundle and exits with what it got.
    const script = `fetch(process.env.DUET_EMULATOR_URL + '/_emu/ui/app.js').then(async (r) => {
      const text = await r.text();
      process.exit(r.status === 200 && text.includes('进入小程序查看') ? 0 : 40);
    }, () => process.exit(41));`;
    const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [tsxCli, path.join(repoRoot, 'emulator/src/bin.ts'), 'exec', '--quiet', '--no-triggers', '--', process.execPath, '-e', script],
        { cwd: repoRoot, env: { ...process.env, TENCENTCLOUD_SECRETID: '', TENCENTCLOUD_SECRETKEY: '' }, stdio: 'ignore' },
      );
      child.on('error', reject);
      child.on('exit', resolve);
    });
    expect(code).toBe(0);
  });
});
