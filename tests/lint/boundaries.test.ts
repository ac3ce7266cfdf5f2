import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
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
 * Lints each source as if it lived at its path, in a scratch copy of the project's layout: the
 * real biome.json in an empty folder with only the probes, so nothing is written into the working
 * tree (where other tests and the typechecker would see it). One Biome run for all of them.
 */
function lintAll(sources: Array<{ relative: string; source: string }>): Map<string, string> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-lint-probes-'));
  try {
    const config = JSON.parse(fs.readFileSync(path.join(root, 'biome.json'), 'utf8'));
    // No git in the scratch folder; the schema reference points into the real node_modules.
    config.vcs = { enabled: false };
    delete config.$schema;
    fs.writeFileSync(path.join(scratch, 'biome.json'), JSON.stringify(config));
    for (const { relative, source } of sources) {
      fs.mkdirSync(path.dirname(path.join(scratch, relative)), { recursive: true });
      fs.writeFileSync(path.join(scratch, relative), source);
    }
    let output = '';
    try {
      output = execFileSync(biome, ['lint', '--max-diagnostics=none', ...sources.map((s) => s.relative)], {
        cwd: scratch,
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      output = `${stdout ?? ''}${stderr ?? ''}`;
    }
    // Each diagnostic starts with "<path>:<line>:<col> <rule>"; keep each probe's blocks.
    const blocks = output.split(/\n(?=\S+:\d+:\d+ )/);
    return new Map(sources.map(({ relative }) => [relative, blocks.filter((block) => block.startsWith(`${relative}:`)).join('\n')]));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
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
