import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const mustFail = path.join(import.meta.dirname, 'must-fail');
const biome = path.join(root, 'node_modules/.bin/biome');

function fixtures(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? fixtures(full) : [full];
  });
}

/**
 * Copies each source to where it pretends to live (a throwaway name beside real files), lints them
 * all in one Biome run (one run: Biome reads the whole project each time), removes them, and
 * answers each probe's own diagnostics.
 */
function lintAll(sources: Array<{ relative: string; source: string }>): Map<string, string> {
  const probes = sources.map(({ relative, source }) => {
    const ext = path.extname(relative);
    const probe = `${relative.slice(0, -ext.length)}.lint-probe-${process.pid}${ext}`;
    fs.mkdirSync(path.dirname(path.join(root, probe)), { recursive: true });
    fs.writeFileSync(path.join(root, probe), source);
    return { relative, probe };
  });
  let output = '';
  try {
    output = execFileSync(biome, ['lint', '--max-diagnostics=none', ...probes.map((p) => p.probe)], {
      cwd: root,
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    output = `${stdout ?? ''}${stderr ?? ''}`;
  } finally {
    for (const { probe } of probes) fs.rmSync(path.join(root, probe), { force: true });
  }
  // Each diagnostic starts with "<path>:<line>:<col> <rule>"; keep each probe's blocks.
  const blocks = output.split(/\n(?=\S+:\d+:\d+ )/);
  return new Map(probes.map(({ relative, probe }) => [relative, blocks.filter((block) => block.startsWith(`${probe}:`)).join('\n')]));
}

const files = fixtures(mustFail).filter((file) => /\.(ts|tsx)$/.test(file));

describe('import boundaries (biome.json)', () => {
  it('has a must-fail file for every set of files the config restricts', () => {
    const places = new Set(files.map((file) => path.relative(mustFail, file).split(path.sep)[0]));
    expect([...places].sort()).toEqual(['cloudfunctions', 'config', 'core', 'emulator', 'scripts', 'server', 'src', 'tests']);
  });

  const allowed = { relative: 'server/member/allowed.ts', source: "import { log } from '../log';\nexport const x = log;\n" };
  const sources = files.map((file) => ({ relative: path.relative(mustFail, file), source: fs.readFileSync(file, 'utf8') }));
  let diagnostics: Map<string, string>;
  beforeAll(() => {
    diagnostics = lintAll([...sources, allowed]);
  });

  it.each(sources.map((s) => [s.relative, s.source]))('refuses %s', (relative, source) => {
    const expected = /^\/\/ expect: (.+)$/m.exec(source)?.[1];
    expect(expected, `${relative} names the message it must produce`).toBeTruthy();
    const found = diagnostics.get(relative) ?? '';
    expect(found).toContain('lint/style/noRestrictedImports');
    expect(found).toContain(expected as string);
  });

  it('accepts the same kind of import where it is allowed (the probe itself works)', () => {
    expect(diagnostics.get(allowed.relative)).toBe('');
  });
});
