import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { transformSync } from 'esbuild';

/**
 * The pages of the mini-program, as production knows them from the released app.json: read from
 * the Taro app config (`src/app.config.ts`), or from a built `dist/app.json` when there is no
 * source config. Re-read whenever the file changes, so a page added while the local cloud runs
 * is accepted without a restart.
 */
export interface AppPages {
  /** Where the pages came from, for error messages and logs. */
  source: string;
  /** Full page paths without a leading slash: main pages, then `${root}/${page}` of subpackages. */
  pages: string[];
  /** The home page (first main page): what a code without `page` opens. */
  home?: string;
}

interface RawAppConfig {
  pages?: unknown;
  subPackages?: unknown;
  subpackages?: unknown;
}

export function createAppPagesReader(projectRoot: string) {
  let cache: { file: string; mtimeMs: number; value: AppPages } | undefined;

  function candidates(): string[] {
    return [
      path.join(projectRoot, 'src/app.config.ts'),
      path.join(projectRoot, 'src/app.config.js'),
      path.join(projectRoot, 'dist/app.json'),
    ];
  }

  return {
    /** The app's pages, or undefined when the project has no app config at all. */
    read(): AppPages | undefined {
      const file = candidates().find((candidate) => existsSync(candidate));
      if (!file) return undefined;
      const mtimeMs = statSync(file).mtimeMs;
      if (cache && cache.file === file && cache.mtimeMs === mtimeMs) return cache.value;
      const raw = file.endsWith('.json') ? (JSON.parse(readFileSync(file, 'utf8')) as RawAppConfig) : evaluateTaroConfig(file);
      const value = { source: path.relative(projectRoot, file), ...pagesOf(raw) };
      cache = { file, mtimeMs, value };
      return value;
    },
  };
}

/**
 * `export default defineAppConfig({...})` with `defineAppConfig` a compile-time global of Taro:
 * transpile to CommonJS and run it with that global as the identity. The config is the project's
 * own file; nothing else is made available to it (no `require`).
 */
function evaluateTaroConfig(file: string): RawAppConfig {
  const source = readFileSync(file, 'utf8');
  const { code } = transformSync(source, { loader: file.endsWith('.ts') ? 'ts' : 'js', format: 'cjs', sourcefile: file });
  const module = { exports: {} as Record<string, unknown> };
  const noRequire = (name: string) => {
    throw new Error(`${file}: the local cloud evaluates the app config without imports (tried to import ${name})`);
  };
  const run = new Function('module', 'exports', 'require', 'defineAppConfig', code);
  run(module, module.exports, noRequire, (config: unknown) => config);
  const exported = (module.exports as { default?: unknown }).default ?? module.exports;
  if (!exported || typeof exported !== 'object') throw new Error(`${file}: the default export is not an app config object`);
  return exported as RawAppConfig;
}

function pagesOf(config: RawAppConfig): { pages: string[]; home?: string } {
  const strip = (page: string) => page.replace(/^\/+/, '');
  const main = Array.isArray(config.pages) ? config.pages.filter((p): p is string => typeof p === 'string').map(strip) : [];
  const pages = [...main];
  const subPackages = (config.subPackages ?? config.subpackages) as unknown;
  if (Array.isArray(subPackages)) {
    for (const sub of subPackages) {
      if (!sub || typeof sub !== 'object') continue;
      const root = strip(String((sub as { root?: unknown }).root ?? '')).replace(/\/+$/, '');
      const subPages = (sub as { pages?: unknown }).pages;
      if (!Array.isArray(subPages)) continue;
      for (const page of subPages) if (typeof page === 'string') pages.push(root ? `${root}/${strip(page)}` : strip(page));
    }
  }
  return { pages, home: main[0] };
}
