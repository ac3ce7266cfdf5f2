import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * duet-local-cloud as someone outside Duet gets it: `npm pack` of emulator/, installed from the
 * tarball into a copy of examples/todo-cloudbase (with wx-server-sdk from the registry, and
 * better-sqlite3 fetched or compiled there), then the sample's own `npm test`. Nothing of the
 * repository's node_modules is visible to the copy: it lives under the system's temp folder.
 */
const root = path.resolve(import.meta.dirname, '../..');
const sample = path.join(root, 'examples/todo-cloudbase');

// The child npm must not inherit this run's npm settings or a local cloud's address.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_|DUET_|TCB_|TENCENTCLOUD_|SCF_|WX_|NODE_OPTIONS$|VITEST|NODE_PATH$)/i.test(key)),
) as NodeJS.ProcessEnv;

function run(command: string, args: string[], cwd: string): { code: number | null; output: string; stdout: string; ms: number } {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  return { code: result.status, output, stdout: result.stdout ?? '', ms: Math.round(performance.now() - started) };
}

function copySample(to: string): void {
  fs.cpSync(sample, to, { recursive: true, filter: (from) => !/[\\/](node_modules|\.emulator)([\\/]|$)/.test(from) });
}

describe('the duet-local-cloud package, installed from its tarball', () => {
  let work: string;
  let project: string;
  const timings: Record<string, number> = {};

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-local-cloud-pack-'));
    project = path.join(work, 'todo-cloudbase');
  });
  afterAll(() => {
    console.log(
      `[local-cloud package] ${Object.entries(timings)
        .map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`)
        .join(', ')}`,
    );
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('packs, installs with the sample project, and passes the sample tests through the real SDK', () => {
    // `npm pack` runs the package's prepack: the build into dist/.
    const pack = run('npm', ['pack', '--json', '--pack-destination', work], path.join(root, 'emulator'));
    timings.pack = pack.ms;
    expect(pack.code, pack.output).toBe(0);
    const [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[\n'))) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    const tarball = path.join(work, packed.filename);
    expect(fs.existsSync(tarball)).toBe(true);
    const shipped = packed.files.map((file) => file.path);
    for (const file of [
      'package.json',
      'README.md',
      'LICENSE',
      'control-plane.json',
      'dist/bin.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/client.d.ts',
    ]) {
      expect(shipped, file).toContain(file);
    }
    // The run-time pieces loaded by path: the function runner and the web UI's sources.
    expect(shipped).toContain('dist/functions/runner.cjs');
    expect(shipped).toContain('dist/ui/app/main.ts');
    expect(shipped.filter((file) => file.startsWith('src/') || file.startsWith('test/'))).toEqual([]);

    copySample(project);
    const manifestFile = path.join(project, 'package.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    expect(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).sort()).toEqual(['duet-local-cloud', 'wx-server-sdk']);
    manifest.devDependencies['duet-local-cloud'] = `file:${tarball}`;
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));

    const install = run('npm', ['install', '--no-audit', '--no-fund'], project);
    timings.install = install.ms;
    expect(install.code, install.output).toBe(0);
    const installed = path.join(project, 'node_modules/duet-local-cloud');
    expect(fs.realpathSync(installed).startsWith(fs.realpathSync(project))).toBe(true);

    const test = run('npm', ['test'], project);
    timings.sampleTests = test.ms;
    expect(test.code, test.output).toBe(0);
    expect(test.output).toContain('duet-local-cloud exec -- node --test');
    expect(test.output).toMatch(/^# pass 4$/m);
    expect(test.output).toMatch(/^# fail 0$/m);
    expect(test.output).toContain('ok 3 - purgeDone, fired from the control plane');
  });

  it('answers --help, serves its web UI from dist, and ships the control-plane contract', () => {
    const bin = path.join(project, 'node_modules/.bin/duet-local-cloud');
    const help = run(bin, ['--help'], project);
    expect(help.code).toBe(0);
    expect(help.output).toContain('duet-local-cloud exec [same options] -- <command...>');
    expect(help.output).toContain('duet-local-cloud export <dir | file.json>');

    // The UI is bundled from dist/ui/app on the first request, by the installed esbuild.
    const probe = `fetch(process.env.DUET_EMULATOR_URL + '/_emu/ui/app.js').then(async (r) => {
      const text = await r.text();
      console.log('UI ' + r.status + ' ' + (text.includes('createCloudClient') || text.length > 1000));
    })`;
    const ui = run(bin, ['exec', '--quiet', '--', process.execPath, '-e', probe], project);
    expect(ui.code, ui.output).toBe(0);
    expect(ui.output).toContain('UI 200 true');

    const contract = JSON.parse(fs.readFileSync(path.join(project, 'node_modules/duet-local-cloud/control-plane.json'), 'utf8'));
    expect(contract).toMatchObject({ name: 'duet-local-cloud/control-plane', version: 1 });
    const api = execFileSync(
      process.execPath,
      ['-e', "const m = require('duet-local-cloud'); console.log(typeof m.startEmulator, typeof m.createCloudClient)"],
      { cwd: project, env, encoding: 'utf8' },
    );
    expect(api.trim()).toBe('function function');
  });
});
