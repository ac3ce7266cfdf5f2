import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useTestCloud } from './support';

/**
 * A functions folder that cannot be read must not pass for "no functions": the listing says why
 * and the error is logged once. A folder not built yet is normal and is no error.
 */
describe('the functions folder', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-functions-folder-'));
  const dir = path.join(root, 'functions');
  // Not quiet: the info line about a missing folder is part of what is checked.
  const cloud = useTestCloud({ functionsDir: dir, quiet: false });
  let logged: string[];
  beforeEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    logged = [];
    const record = (...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    };
    vi.spyOn(console, 'log').mockImplementation(record);
    vi.spyOn(console, 'error').mockImplementation(record);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });
  const linesAbout = (text: string) => logged.filter((line) => line.includes(text));

  it('lists no functions and no error while the folder does not exist, and says so once at info', async () => {
    for (let i = 0; i < 3; i++) {
      const listed = await cloud.client.functions.list();
      expect(listed).toEqual({ dir, functions: [] });
    }
    expect(linesAbout(`no functions folder at ${dir}`)).toHaveLength(1);
    expect(linesAbout(`no functions folder at ${dir}`)[0]).toMatch(/^\[duet-local-cloud\] info /);
  });

  it('reports a folder that is not a directory in the listing, and logs the path and reason once', async () => {
    fs.writeFileSync(dir, 'not a folder');
    for (let i = 0; i < 3; i++) {
      const listed = await cloud.client.functions.list();
      expect(listed.functions).toEqual([]);
      expect(listed.error).toBe(`cannot read the functions folder ${dir}: it is not a directory (ENOTDIR)`);
    }
    const errors = linesAbout(`cannot read the functions folder ${dir}`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^\[duet-local-cloud\] error .*not a directory \(ENOTDIR\)/);
    // A function in it is as unknown as in production; the listing above says why.
    expect((await cloud.client.control('POST', '/_emu/functions/anything/invoke', {})).status).toBe(404);
  });

  it('drops the error once the folder is readable, and lists what it holds', async () => {
    fs.writeFileSync(dir, 'not a folder');
    expect((await cloud.client.functions.list()).error).toContain('ENOTDIR');
    fs.rmSync(dir);
    fs.mkdirSync(path.join(dir, 'hello'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'hello', 'index.js'), 'exports.main = async () => "hi";\n');
    const listed = await cloud.client.functions.list();
    expect(listed.error).toBeUndefined();
    expect(listed.functions.map((f) => f.name)).toEqual(['hello']);
    expect(await cloud.client.invoke('hello')).toEqual({ result: 'hi' });
  });
});
