import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli';
import { repoRoot as projectRoot } from './support';

const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');
const fixtures = path.join(import.meta.dirname, 'fixtures/functions');

function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli, path.join(projectRoot, 'emulator/src/cli.ts'), ...args], {
      cwd: projectRoot,
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
});
