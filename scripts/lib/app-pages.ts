import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { transformSync } from 'esbuild';

/**
 * Every page of the mini-program as `src/app.config.ts` declares it (main package and
 * subpackages), read at build time so the admin jobs can refuse a code to a page the app does not
 * have. The config is evaluated as Taro does, with `defineAppConfig` returning its argument.
 */
export function readAppPages(root: string): string[] {
  const file = path.join(root, 'src', 'app.config.ts');
  const { code } = transformSync(fs.readFileSync(file, 'utf8'), { loader: 'ts', format: 'cjs', target: 'node16' });
  const module = { exports: {} as { default?: unknown } };
  vm.runInNewContext(code, { module, exports: module.exports, defineAppConfig: (config: unknown) => config }, { filename: file });
  const config = module.exports.default as {
    pages?: string[];
    subPackages?: Array<{ root: string; pages: string[] }>;
    subpackages?: Array<{ root: string; pages: string[] }>;
  };
  if (!config || !Array.isArray(config.pages)) throw new Error(`${file} does not export an app config with pages`);
  const subpackages = config.subPackages ?? config.subpackages ?? [];
  return [...config.pages, ...subpackages.flatMap((sub) => sub.pages.map((page) => `${sub.root.replace(/^\/+|\/+$/g, '')}/${page}`))];
}
