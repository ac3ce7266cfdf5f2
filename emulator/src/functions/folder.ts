import fs from 'node:fs';
import path from 'node:path';
import type { FunctionConfig } from '../context';

/** Production defaults: 3 s timeout, at most 60 s. */
export const DEFAULT_TIMEOUT_S = 3;
export const MAX_TIMEOUT_S = 60;
/** SCF's function name rule; also keeps `..` and other path tricks out of the folder lookups. */
export const FUNCTION_NAME = /^[A-Za-z][\w-]{0,59}$/;

/**
 * The functions folder as last read. `missing`: it does not exist (yet): no functions, and
 * nothing wrong — a fresh checkout before the first build. `problem`: it exists but cannot be
 * listed (not a directory, no permission), which must not pass for "no functions".
 */
export interface FolderListing {
  names: string[];
  missing: boolean;
  problem?: string;
}

export function listFunctionsFolder(dir: string): FolderListing {
  let dirents: fs.Dirent[];
  try {
    dirents = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { names: [], missing: true };
    return { names: [], missing: false, problem: `cannot read the functions folder ${dir}: ${describeFsError(error)}` };
  }
  const names = dirents
    .filter((d) => (d.isDirectory() || d.isSymbolicLink()) && FUNCTION_NAME.test(d.name))
    .filter((d) => fs.existsSync(path.join(dir, d.name, 'index.js')))
    .map((d) => d.name)
    .sort();
  return { names, missing: false };
}

function describeFsError(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'ENOTDIR') return 'it is not a directory (ENOTDIR)';
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  return code ? `${message} (${code})` : String(message ?? error);
}

/** Reads a function's config.json; a broken one is reported and replaced by the defaults. */
export function readConfig(name: string, dir: string, warn: (level: 'warn' | 'error', message: string) => void): FunctionConfig {
  const file = path.join(dir, 'config.json');
  if (!fs.existsSync(file)) return {};
  try {
    const config = JSON.parse(fs.readFileSync(file, 'utf8')) as FunctionConfig;
    if (typeof config.timeout === 'number' && config.timeout > MAX_TIMEOUT_S) {
      warn(
        'warn',
        `function ${name}: config.json timeout ${config.timeout}s is over the platform's ${MAX_TIMEOUT_S}s; using ${MAX_TIMEOUT_S}s`,
      );
    }
    return config && typeof config === 'object' ? config : {};
  } catch (error) {
    warn('error', `function ${name}: config.json is not valid JSON (${(error as Error).message}); using defaults`);
    return {};
  }
}

/** The timeout in seconds a config gives an invocation. */
export function clampTimeout(value: unknown): number {
  const seconds = typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMEOUT_S;
  return Math.min(seconds, MAX_TIMEOUT_S);
}

/** Changes when any file of the function (outside node_modules) is rewritten. */
export function folderSignature(dir: string): string {
  const parts: string[] = [];
  const walk = (current: string, depth: number) => {
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of dirents) {
      if (parts.length > 500) return;
      if (d.name === 'node_modules' || d.name.startsWith('.')) continue;
      const full = path.join(current, d.name);
      if (d.isDirectory()) {
        if (depth < 4) walk(full, depth + 1);
        continue;
      }
      try {
        const stat = fs.statSync(full);
        parts.push(`${path.relative(dir, full)}:${stat.mtimeMs}:${stat.size}`);
      } catch {
        // Removed while we looked.
      }
    }
  };
  walk(dir, 0);
  return parts.sort().join('|');
}
