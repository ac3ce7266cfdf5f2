import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The local cloud is its own package (duet-local-cloud): nothing under emulator/ may reach outside
 * it, and every package it loads is one its package.json declares. Duet may import the emulator;
 * never the reverse. Biome's noRestrictedImports names Duet's folders; this catches any path out.
 */
const emulatorDir = path.resolve(import.meta.dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(emulatorDir, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist'].includes(entry.name) ? [] : sources(full);
    return /\.(ts|tsx|js|cjs|mjs|mts|cts)$/.test(entry.name) ? [full] : [];
  });
}

/** Static imports and re-exports, `import()`, `require()` and `require.resolve()` / `createRequire(...)(...)` of a string literal. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire(?:\.resolve)?\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\.resolve\(\s*['"]([^'"./][^'"]*)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]);
  return found;
}

const builtins = new Set(builtinModules);
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtins.has(packageOf(specifier));

function importsUnder(folder: string): Array<{ file: string; specifier: string }> {
  return sources(path.join(emulatorDir, folder)).flatMap((file) =>
    specifiers(fs.readFileSync(file, 'utf8')).map((specifier) => ({ file: path.relative(emulatorDir, file), specifier })),
  );
}

describe('emulator/ stands alone', () => {
  const all = ['src', 'test', 'scripts'].flatMap(importsUnder);

  it('finds the imports it checks (the scan itself works)', () => {
    expect(all.some(({ file, specifier }) => file === 'src/db/errors.ts' && specifier === '../errors')).toBe(true);
    expect(all.some(({ specifier }) => specifier === 'better-sqlite3')).toBe(true);
    expect(all.some(({ specifier }) => specifier === 'wx-server-sdk')).toBe(true);
  });

  it('imports nothing outside emulator/', () => {
    const leaving = all
      .filter(({ specifier }) => specifier.startsWith('.'))
      .filter(({ file, specifier }) => {
        const target = path.resolve(emulatorDir, path.dirname(file), specifier);
        return path.relative(emulatorDir, target).startsWith('..');
      })
      .map(({ file, specifier }) => `${file} → ${specifier}`);
    expect(leaving).toEqual([]);
  });

  it('loads at run time only the packages its package.json depends on, and depends on nothing it does not load', () => {
    const runtime = new Set(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }));
    const srcImports = importsUnder('src').filter(({ specifier }) => !specifier.startsWith('.') && !isBuiltin(specifier));
    expect(
      srcImports.filter(({ specifier }) => !runtime.has(packageOf(specifier))).map(({ file, specifier }) => `${file} → ${specifier}`),
    ).toEqual([]);
    const used = new Set(srcImports.map(({ specifier }) => packageOf(specifier)));
    expect([...runtime].filter((name) => !used.has(name))).toEqual([]);
  });

  it('tests and build scripts load only declared packages', () => {
    const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.devDependencies }));
    const undeclared = ['test', 'scripts']
      .flatMap(importsUnder)
      .filter(({ specifier }) => !specifier.startsWith('.') && !isBuiltin(specifier) && !declared.has(packageOf(specifier)))
      .map(({ file, specifier }) => `${file} → ${specifier}`);
    expect(undeclared).toEqual([]);
  });

  it('declares the versions Duet itself uses', () => {
    const root = JSON.parse(fs.readFileSync(path.join(emulatorDir, '../package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const rootVersions: Record<string, string> = { ...root.dependencies, ...root.devDependencies };
    const mine: Record<string, string> = { ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies };
    const differing = Object.entries(mine)
      .filter(([name, version]) => rootVersions[name] !== undefined && rootVersions[name] !== version)
      .map(([name, version]) => `${name}: ${version} here, ${rootVersions[name]} in Duet`);
    expect(differing).toEqual([]);
  });
});
