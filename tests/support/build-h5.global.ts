import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Browser journeys run against the built H5 app, served by the local cloud itself. The build is
 * reused when it is newer than every source file, so a local re-run does not pay 20 s again.
 */
export default async function setup() {
  const root = path.resolve(import.meta.dirname, '../..');
  const out = path.join(root, 'dist-h5', 'index.html');
  if (fs.existsSync(out) && !sourcesNewerThan(root, fs.statSync(out).mtimeMs)) return;
  execFileSync('npx', ['taro', 'build', '--type', 'h5'], {
    cwd: root,
    stdio: process.env.CI ? 'inherit' : 'ignore',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

function sourcesNewerThan(root: string, time: number): boolean {
  const dirs = ['src', 'core', 'config'];
  const stack = dirs.map((d) => path.join(root, d));
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    if (!fs.existsSync(dir)) continue;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if (fs.statSync(full).mtimeMs > time) return true;
    }
  }
  return false;
}
