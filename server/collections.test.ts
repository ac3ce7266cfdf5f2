import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLLECTIONS } from './collections';

const root = path.resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [full] : [];
  });
}

describe('collections', () => {
  it('names only collections that cloud/schema.json deploys', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(root, 'cloud/schema.json'), 'utf8')) as { collections: Record<string, unknown> };
    const deployed = new Set(Object.keys(schema.collections));
    const missing = Object.values(COLLECTIONS).filter((name) => !deployed.has(name));
    expect(missing).toEqual([]);
  });

  it('is the only way server code names a collection', () => {
    // `.collection('x')` or `findById('x', …)` with a literal bypasses COLLECTIONS (and the schema check above).
    const literal = /\.collection\(\s*['"`]|(?:findById|insertOnce|takeLease|releaseLease)(?:<[^>]*>)?\(\s*['"`]/;
    const offenders = sources(path.join(root, 'server'))
      .filter((file) => literal.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file));
    expect(offenders).toEqual([]);
  });

  it('reaches the database only from repositories and the shared data helpers', () => {
    const allowed = /(^|\/)([\w-]*-)?repository\.ts$|^server\/(cloud|documents|lease|transaction)\.ts$/;
    const offenders = sources(path.join(root, 'server'))
      .map((file) => path.relative(root, file).split(path.sep).join('/'))
      .filter((file) => !allowed.test(file))
      .filter((file) => /\bdatabase\(\)/.test(fs.readFileSync(path.join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
