import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli';
import { repoRoot as projectRoot } from './support';

const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');
const fixtures = path.join(import.meta.dirname, 'fixtures/functions');

function runCli(
  args: string[],
  env: Record<string, string> = {},
  cwd = projectRoot,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli, path.join(projectRoot, 'emulator/src/bin.ts'), ...args], {
      cwd,
      env: { ...process.env, TENCENTCLOUD_SECRETID: '', TENCENTCLOUD_SECRETKEY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('CLI', () => {
  it('parses options and makes exec ephemeral on a free port', () => {
    expect(parseArgs(['--ephemeral', '--port', '9000', '--no-triggers', '--functions', 'x'])).toMatchObject({
      exec: false,
      options: { ephemeral: true, port: 9000, triggers: false, functionsDir: 'x' },
    });
    expect(parseArgs(['exec', '--', 'node', '-e', '1'])).toMatchObject({
      exec: true,
      command: ['node', '-e', '1'],
      options: { ephemeral: true, port: 0 },
    });
    expect(parseArgs(['exec', '--port=9100', '--', 'true']).options.port).toBe(9100);
    expect(() => parseArgs(['exec'])).toThrow(/needs a command/);
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown argument/);
  });

  it('exec runs the command against a fresh local cloud, waits for its invocations, and returns its exit code', async () => {
    // The command starts a slow invocation, leaves once it is running, and exits 5.
    const script = `
      const url = process.env.DUET_EMULATOR_URL;
      if (!url || !url.endsWith(':' + process.env.DUET_EMULATOR_PORT)) process.exit(90);
      (async () => {
        const json = { 'content-type': 'application/json' };
        const who = await (await fetch(url + '/_emu/functions/whoami/invoke', { method: 'POST', headers: json, body: JSON.stringify({ persona: 'alice' }) })).json();
        console.log('OPENID=' + who.result.wx.OPENID);
        fetch(url + '/_emu/functions/late/invoke', { method: 'POST', headers: json, body: '{}' }).catch(() => {});
        for (;;) {
          const list = await (await fetch(url + '/_emu/functions')).json();
          if (list.functions.find((f) => f.name === 'late').instances.busy > 0) process.exit(5);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
    `;
    const { code, stdout } = await runCli(['exec', '--functions', fixtures, '--', process.execPath, '-e', script]);
    expect(stdout).toContain('OPENID=o-mini-alice');
    // Printed by the function after the command had already exited: exec waited for it.
    expect(stdout).toContain('[fn late] late done');
    expect(code).toBe(5);
  });

  it('refuses real Tencent credentials with a message and exit code 1', async () => {
    const { code, stderr } = await runCli(['exec', '--', process.execPath, '-e', 'process.exit(0)'], {
      TENCENTCLOUD_SECRETID: 'AKIDrealLookingId',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('refusing to start');
  });

  it('parses export and import with their targets, and refuses them without one', () => {
    expect(parseArgs(['export', 'out.json', '--url', 'http://127.0.0.1:9'])).toMatchObject({
      mode: 'export',
      paths: ['out.json'],
      url: 'http://127.0.0.1:9',
    });
    expect(parseArgs(['import', 'a.json', 'dir'])).toMatchObject({ mode: 'import', paths: ['a.json', 'dir'] });
    expect(parseArgs(['--help']).help).toBe(true);
    expect(() => parseArgs(['export'])).toThrow(/export needs one target/);
    expect(() => parseArgs(['import'])).toThrow(/import needs a file or a folder/);
    expect(() => parseArgs(['exec', 'stray', '--', 'true'])).toThrow(/unknown argument stray/);
  });

  it('imports JSON lines into the data folder when no local cloud answers, and exports them back as a folder and as one file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-cli-transfer-'));
    try {
      // A port nothing listens on: the default address is tried, then the data folder is opened.
      const port = await freePort();
      const env = { DUET_EMULATOR_PORT: String(port), DUET_EMULATOR_URL: '' };
      fs.writeFileSync(path.join(dir, 'notes.json'), '{"_id":"n1","text":"你好"}\n{"_id":"n2","text":"b"}\n');
      const imported = await runCli(['import', 'notes.json'], env, dir);
      expect(imported.stderr).toBe('');
      expect(imported.stdout).toContain('notes: 2');
      expect(imported.code).toBe(0);
      expect(fs.existsSync(path.join(dir, '.emulator'))).toBe(true);

      const exported = await runCli(['export', 'out'], env, dir);
      expect(exported.code).toBe(0);
      const lines = fs
        .readFileSync(path.join(dir, 'out/notes.json'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines).toEqual([
        { _id: 'n1', text: '你好' },
        { _id: 'n2', text: 'b' },
      ]);

      expect((await runCli(['export', 'all.json'], env, dir)).code).toBe(0);
      const whole = JSON.parse(fs.readFileSync(path.join(dir, 'all.json'), 'utf8'));
      expect(whole).toMatchObject({ format: 'duet-cloud-export', version: 1 });
      expect(Object.keys(whole.collections)).toEqual(['notes']);

      const missing = await runCli(['import', 'nope'], env, dir);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('import failed: nope does not exist');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('export and import go through the running local cloud (DUET_EMULATOR_URL inside exec), whole files included', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-cli-transfer-'));
    try {
      const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(tsxCli)} ${JSON.stringify(path.join(projectRoot, 'emulator/src/bin.ts'))}`;
      fs.writeFileSync(
        path.join(dir, 'seed.json'),
        JSON.stringify({
          format: 'duet-cloud-export',
          version: 1,
          exportedAt: '',
          collections: { a: '{"_id":"1"}', b: '{"_id":"2"}\n{"_id":"3"}' },
        }),
      );
      const run = await runCli(['exec', '--', `${cli} import seed.json && ${cli} export back && ls back`], {}, dir);
      expect(run.stderr).not.toContain('failed');
      expect(run.stdout).toContain('imported into http://127.0.0.1:');
      expect(run.stdout).toContain('a: 1, b: 2');
      expect(run.stdout).toMatch(/a\.json\s+b\.json/);
      expect(run.code).toBe(0);
      // The cloud was exec's ephemeral one: nothing was written to a data folder.
      expect(fs.existsSync(path.join(dir, '.emulator'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
