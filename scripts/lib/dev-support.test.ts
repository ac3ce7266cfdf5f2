import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type WatchedBuild, watchFunctions } from './build-functions';
import { NO_PROGRESS_BAR_PRELOAD, taroEnv, waitForHttp } from './dev-support';

const require = createRequire(import.meta.url);
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function listen(server: http.Server, port = 0): Promise<number> {
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function freePort(): Promise<number> {
  const probe = http.createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('waitForHttp: "ready" only when the H5 app answers', () => {
  it('waits through connection refused and 503s, resolves on the first 2xx', async () => {
    const port = await freePort();
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits += 1;
      res.writeHead(hits < 3 ? 503 : 200).end('ok');
    });
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    // Nothing listens for the first 300 ms, as while webpack starts up.
    setTimeout(() => void listen(server, port), 300);
    const answer = await waitForHttp(`http://127.0.0.1:${port}/`, { intervalMs: 50, timeoutMs: 10_000 });
    expect(answer.status).toBe(200);
    expect(hits).toBe(3);
    expect(answer.waitedMs).toBeGreaterThanOrEqual(250);
  });

  it('waits for a request the server holds (webpack holds them until it has compiled)', async () => {
    const server = http.createServer((_req, res) => void setTimeout(() => res.writeHead(200).end('app'), 400));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const port = await listen(server);
    const answer = await waitForHttp(`http://127.0.0.1:${port}/`, { intervalMs: 50, timeoutMs: 10_000 });
    expect(answer.waitedMs).toBeGreaterThanOrEqual(350);
  });

  it('gives up after its timeout, saying what it last saw', async () => {
    const port = await freePort();
    await expect(waitForHttp(`http://127.0.0.1:${port}/`, { intervalMs: 50, timeoutMs: 300 })).rejects.toThrow(
      new RegExp(`^http://127.0.0.1:${port}/ did not answer within 0 s \\(last: ECONNREFUSED\\)$`),
    );
  });

  it('stops at once when told to (the H5 build exited)', async () => {
    const port = await freePort();
    const gone = new AbortController();
    setTimeout(() => gone.abort(), 100);
    const started = Date.now();
    await expect(waitForHttp(`http://127.0.0.1:${port}/`, { intervalMs: 50, signal: gone.signal })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('the taro child: no progress-bar redraws unless on a terminal', () => {
  it('on a terminal: only the given variables change', () => {
    const env = taroEnv({ PATH: '/usr/bin', NODE_OPTIONS: '--max-old-space-size=4096' }, true, { NODE_ENV: 'development' });
    expect(env).toEqual({ PATH: '/usr/bin', NODE_OPTIONS: '--max-old-space-size=4096', NODE_ENV: 'development' });
  });

  it('into a file or pipe: preloads no-progress-bar.cjs, keeping NODE_OPTIONS', () => {
    const env = taroEnv({ NODE_OPTIONS: '--max-old-space-size=4096' }, false, { NODE_ENV: 'development' });
    expect(env.NODE_OPTIONS).toBe(`--max-old-space-size=4096 --require ${JSON.stringify(NO_PROGRESS_BAR_PRELOAD)}`);
    expect(env.NODE_ENV).toBe('development');
    expect(taroEnv(env, false).NODE_OPTIONS).toBe(env.NODE_OPTIONS);
    expect(taroEnv({}, false).NODE_OPTIONS).toBe(`--require ${JSON.stringify(NO_PROGRESS_BAR_PRELOAD)}`);
  });

  it("the preload drops Taro's fancy webpackbar reporter and keeps the basic one", () => {
    const { TaroWebpackBarPlugin } = require('@tarojs/webpack5-runner/dist/plugins/WebpackBarPlugin');
    const before = new TaroWebpackBarPlugin({ reporters: ['basic', 'fancy'] });
    expect(before.reporters.map((r: object) => r.constructor.name)).toEqual(['SimpleReporter', 'FancyReporter']);
    const preload = require(NO_PROGRESS_BAR_PRELOAD);
    expect(preload.applied).toBe(true);
    // Taro builds its plugin with these reporters (webpack5-runner BaseConfig); none has a "none" hook.
    const plugin = new TaroWebpackBarPlugin({ reporters: ['basic', 'fancy', { done() {} }] });
    plugin.callReporters('none');
    expect(plugin.reporters.map((r: object) => r.constructor.name)).toEqual(['SimpleReporter', 'Object']);
  });
});

describe('watchFunctions: the first build is the watch build', () => {
  it('builds each function once at start, then once per change', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-watch-fn-'));
    cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
    for (const name of ['alpha', 'beta']) {
      fs.mkdirSync(path.join(root, 'cloudfunctions', name), { recursive: true });
      fs.writeFileSync(path.join(root, 'cloudfunctions', name, 'index.ts'), `export const main = async () => '${name}';\n`);
    }
    // The functions learn the app's pages from its config at build time.
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src', 'app.config.ts'), "export default defineAppConfig({ pages: ['pages/index/index'] });\n");
    const outDir = path.join(root, 'build');
    fs.mkdirSync(path.join(outDir, 'removed'), { recursive: true });
    const rebuilds: WatchedBuild[] = [];
    const watcher = await watchFunctions({ root, outDir, onBuilt: (build) => rebuilds.push(build) });
    cleanups.push(() => watcher.dispose());

    expect(watcher.initial.map((b) => [b.name, b.ok])).toEqual([
      ['alpha', true],
      ['beta', true],
    ]);
    expect(fs.readFileSync(path.join(outDir, 'alpha', 'index.js'), 'utf8')).toContain('"alpha"');
    expect(fs.existsSync(path.join(outDir, 'alpha', 'package.json'))).toBe(true);
    expect(fs.existsSync(path.join(outDir, 'removed'))).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(rebuilds).toEqual([]);

    fs.writeFileSync(path.join(root, 'cloudfunctions', 'beta', 'index.ts'), "export const main = async () => 'beta 2';\n");
    const deadline = Date.now() + 10_000;
    while (rebuilds.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(rebuilds.map((b) => [b.name, b.ok])).toEqual([['beta', true]]);
    expect(fs.readFileSync(path.join(outDir, 'beta', 'index.js'), 'utf8')).toContain('"beta 2"');

    fs.writeFileSync(path.join(root, 'cloudfunctions', 'alpha', 'index.ts'), 'export const main = async () => {;\n');
    while (rebuilds.length === 1 && Date.now() < deadline + 10_000) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(rebuilds[1]).toMatchObject({ name: 'alpha', ok: false });
    expect(rebuilds[1].errors?.[0]).toMatch(/cloudfunctions\/alpha\/index\.ts:2: Unexpected end of file$/);
  }, 30_000);
});
