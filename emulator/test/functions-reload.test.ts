import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index';
import { control, startTestCloud } from './support';

/** Writes a function and pushes its mtime forward, as a rebuild would (coarse file-system clocks). */
function writeFunction(dir: string, name: string, version: number, config?: object) {
  const folder = path.join(dir, name);
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'index.js');
  // Outside the project tree, wx-server-sdk resolves only through the NODE_PATH fallback.
  fs.writeFileSync(
    file,
    `const cloud = require('wx-server-sdk');\nexports.main = async () => ({ version: ${version}, pid: process.pid, sdk: typeof cloud.init });\n`,
  );
  if (config) fs.writeFileSync(path.join(folder, 'config.json'), JSON.stringify(config));
  const later = new Date(Date.now() + version * 10_000);
  fs.utimesSync(file, later, later);
}

describe('functions folder changes take effect without a restart', () => {
  let emulator: RunningEmulator;
  let dir: string;
  const invoke = async (name: string) => (await control(emulator, 'POST', `/_emu/functions/${name}/invoke`, {})).body;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-functions-'));
    writeFunction(dir, 'live', 1);
    emulator = await startTestCloud({ functionsDir: dir });
  });
  afterAll(async () => {
    await emulator?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs the rebuilt code on a fresh instance', async () => {
    const first = await invoke('live');
    expect(first.result.version).toBe(1);
    expect((await invoke('live')).result.pid).toBe(first.result.pid);
    writeFunction(dir, 'live', 2, { timeout: 7 });
    const second = await invoke('live');
    expect(second.result.version).toBe(2);
    expect(second.result.pid).not.toBe(first.result.pid);
    expect(emulator.ctx.functions.config('live')?.timeout).toBe(7);
  });

  it('picks up added and removed functions', async () => {
    expect((await control(emulator, 'POST', '/_emu/functions/fresh/invoke', {})).status).toBe(404);
    writeFunction(dir, 'fresh', 1);
    expect(emulator.ctx.functions.names()).toContain('fresh');
    expect((await invoke('fresh')).result).toMatchObject({ version: 1, sdk: 'function' });
    fs.rmSync(path.join(dir, 'fresh'), { recursive: true });
    expect(emulator.ctx.functions.names()).not.toContain('fresh');
    expect((await control(emulator, 'POST', '/_emu/functions/fresh/invoke', {})).status).toBe(404);
  });

  it('starts functions afresh after a reset of the local cloud', async () => {
    const before = await invoke('live');
    await control(emulator, 'POST', '/_emu/reset');
    const after = await invoke('live');
    expect(after.result.pid).not.toBe(before.result.pid);
    expect((await control(emulator, 'GET', '/_emu/functions/live/logs')).body.logs).toHaveLength(1);
  });
});
