// Compiles emulator/src to emulator/dist: one CommonJS file per source file (no bundle, so the
// function runner and the web UI keep their paths), declarations for the public API, and the
// pieces loaded at run time copied as they are: the function runner (a child process entry) and
// the web UI's sources, which esbuild bundles on the first request exactly as from src/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
const uiApp = path.join(src, 'ui', 'app');

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : [full];
  });
}

const started = performance.now();
fs.rmSync(dist, { recursive: true, force: true });

const all = files(src);
const entryPoints = all.filter((file) => file.endsWith('.ts') && !file.startsWith(uiApp + path.sep));
await build({
  entryPoints,
  outdir: dist,
  outbase: src,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // Each `import.meta.url` sits behind `typeof __filename === 'string'`, which CommonJS always takes.
  logOverride: { 'empty-import-meta': 'silent' },
});

for (const file of all.filter((file) => file.endsWith('.cjs') || file.startsWith(uiApp + path.sep))) {
  const target = path.join(dist, path.relative(src, file));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(file, target);
}
fs.chmodSync(path.join(dist, 'bin.js'), 0o755);

// Declarations of the public API (startEmulator, createCloudClient and their types).
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

console.log(`[duet-local-cloud] built ${entryPoints.length} modules into dist/ in ${Math.round(performance.now() - started)} ms`);
