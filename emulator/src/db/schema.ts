import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface IndexSpec {
  name: string;
  keys: Record<string, number>;
  unique?: boolean;
  sparse?: boolean;
}

/** Collections and indexes declared in `cloud/schema.json`: created at start and after reset, unique ones enforced. */
export interface Schema {
  collections: Map<string, IndexSpec[]>;
}

export function loadSchema(projectRoot: string): Schema {
  const file = path.join(projectRoot, 'cloud', 'schema.json');
  const collections = new Map<string, IndexSpec[]>();
  if (!existsSync(file)) return { collections };
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { collections?: Record<string, { indexes?: IndexSpec[] }> };
  for (const [name, spec] of Object.entries(parsed.collections ?? {})) {
    const indexes = (spec?.indexes ?? []).filter((index) => index && typeof index.name === 'string' && index.keys);
    collections.set(name, indexes);
  }
  return { collections };
}
