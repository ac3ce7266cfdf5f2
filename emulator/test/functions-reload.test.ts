import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestCloud } from './support';

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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-functions-'));
  const cloud = useTestCloud({ functionsDir: dir });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const invoke = async (name: string) => (await cloud.client.invoke(name)) as { result?: any; error?: unknown };

  it('runs the rebuilt code on a fresh instance', async () => {
    writeFunction(dir, 'live', 1);
    const first = await invoke('live');
    expect(first.result.version).toBe(1);
    expect((await invoke('live')).result.pid).toBe(first.result.pid);
    writeFunction(dir, 'live', 2, { timeout: 7 });
    const second = await invoke('live');
    expect(second.result.version).toBe(2);
    expect(second.result.pid).not.toBe(first.result.pid);
    expect((await cloud.client.functions.list()).functions.find((f) => f.name === 'live')?.config).toEqual({ timeout: 7 });
  });

  it('picks up added and removed functions', async () => {
    const names = async () => (await cloud.client.functions.list()).functions.map((f) => f.name);
    const notFound = { status: 404, body: { error: { errCode: -501000, errMsg: 'FunctionName parameter could not be found.' } } };
    expect(await cloud.client.control('POST', '/_emu/functions/fresh/invoke', {})).toEqual(notFound);
    writeFunction(dir, 'fresh', 1);
    expect(await names()).toContain('fresh');
    expect((await invoke('fresh')).result).toMatchObject({ version: 1, sdk: 'function' });
    fs.rmSync(path.join(dir, 'fresh'), { recursive: true });
    expect(await names()).not.toContain('fresh');
    expect(await cloud.client.control('POST', '/_emu/functions/fresh/invoke', {})).toEqual(notFound);
  });

  it('starts functions afresh after a reset of the local cloud: module state new, the warm process kept', async () => {
    const folder = path.join(dir, 'again');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(
      path.join(folder, 'index.js'),
      "require('wx-server-sdk');\nlet calls = 0;\nexports.main = async () => ({ calls: ++calls, pid: process.pid });\n",
    );
    const before = await invoke('again');
    expect((await invoke('again')).result).toEqual({ calls: 2, pid: before.result.pid });
    await cloud.client.reset();
    const after = await invoke('again');
    expect(after.result).toEqual({ calls: 1, pid: before.result.pid });
    const { logs } = await cloud.client.functions.logs('again');
    expect(logs.map((l) => l.pid)).toEqual([after.result.pid]);
  });
});
