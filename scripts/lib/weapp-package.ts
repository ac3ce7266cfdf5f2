import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'acorn';

/**
 * WeChat's limits (see PLATFORM.md) and Duet's own budgets: the main package is what a reader
 * downloads after scanning an article code, before the first screen; a subpackage is fetched
 * when one of its pages opens.
 */
export const LIMITS = {
  packageBytes: 2048 * 1024,
  totalBytes: 20 * 1024 * 1024,
  mainBudgetBytes: 420 * 1024,
  subpackageBudgetBytes: 150 * 1024,
};

export interface AppJson {
  pages?: string[];
  subPackages?: Array<{ root: string; pages: string[] }>;
  subpackages?: Array<{ root: string; pages: string[] }>;
  tabBar?: { list?: Array<{ pagePath: string }> };
}

export interface PackageSizes {
  main: number;
  subpackages: Record<string, number>;
  total: number;
}

export interface WeappReport {
  problems: string[];
  sizes: PackageSizes;
}

const PAGE_FILES = ['.js', '.json', '.wxml', '.wxss'];

export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

function normalizeRoot(root: string): string {
  return root.replace(/^\/+/, '').replace(/\/+$/, '');
}

/**
 * Structural check of a weapp build: every listed page has its four files, subpackages exist,
 * tab bar pages are main-package pages, every script is ES5 (old WeChat clients), and the
 * package sizes stay within WeChat's limits and our main-package budget.
 */
export function checkWeappOutput(distDir: string): WeappReport {
  const problems: string[] = [];
  const appJsonPath = path.join(distDir, 'app.json');
  if (!fs.existsSync(appJsonPath)) {
    return { problems: [`${appJsonPath} is missing: run npm run build:weapp first`], sizes: { main: 0, subpackages: {}, total: 0 } };
  }
  let app: AppJson;
  try {
    app = JSON.parse(fs.readFileSync(appJsonPath, 'utf8')) as AppJson;
  } catch (error) {
    return { problems: [`app.json is not valid JSON: ${(error as Error).message}`], sizes: { main: 0, subpackages: {}, total: 0 } };
  }
  const pages = app.pages ?? [];
  if (pages.length === 0) problems.push('app.json lists no pages');
  const subpackages = app.subPackages ?? app.subpackages ?? [];

  const checkPage = (page: string) => {
    for (const ext of PAGE_FILES) {
      const file = path.join(distDir, `${page}${ext}`);
      if (!fs.existsSync(file)) problems.push(`page ${page} has no ${ext} file`);
    }
  };
  for (const page of pages) checkPage(page);
  for (const sub of subpackages) {
    const root = normalizeRoot(sub.root);
    if (!fs.existsSync(path.join(distDir, root))) problems.push(`subpackage ${root} does not exist`);
    for (const page of sub.pages ?? []) checkPage(`${root}/${page}`);
  }
  for (const item of app.tabBar?.list ?? []) {
    if (!pages.includes(item.pagePath)) problems.push(`tab bar page ${item.pagePath} is not a main-package page`);
  }

  const roots = subpackages.map((sub) => normalizeRoot(sub.root));
  const sizes: PackageSizes = { main: 0, subpackages: Object.fromEntries(roots.map((r) => [r, 0])), total: 0 };
  for (const file of listFiles(distDir)) {
    const relative = path.relative(distDir, file).split(path.sep).join('/');
    // The DevTools project file and licence notices are not part of the uploaded code package.
    if (relative === 'project.config.json' || relative === 'project.private.config.json' || relative.endsWith('.LICENSE.txt')) continue;
    const bytes = fs.statSync(file).size;
    sizes.total += bytes;
    const root = roots.find((r) => relative.startsWith(`${r}/`));
    if (root) sizes.subpackages[root] += bytes;
    else sizes.main += bytes;
    if (/\.(js|wxml|wxss|json)$/.test(relative)) {
      for (const url of externalImages(fs.readFileSync(file, 'utf8'))) {
        problems.push(`${relative} loads an image from ${url}: ship it in the package (a foreign CDN breaks, and is someone else's)`);
      }
    }
    if (relative.endsWith('.js')) {
      try {
        parse(fs.readFileSync(file, 'utf8'), { ecmaVersion: 5, sourceType: 'script' });
      } catch (error) {
        problems.push(`${relative} is not ES5 (old WeChat clients fail on it): ${(error as Error).message}`);
      }
    }
  }
  if (sizes.main > LIMITS.packageBytes) problems.push(`main package is ${kb(sizes.main)} KB, over WeChat's 2048 KB`);
  if (sizes.main > LIMITS.mainBudgetBytes) {
    problems.push(`main package is ${kb(sizes.main)} KB, over Duet's ${kb(LIMITS.mainBudgetBytes)} KB budget`);
  }
  for (const [root, bytes] of Object.entries(sizes.subpackages)) {
    if (bytes > LIMITS.packageBytes) problems.push(`subpackage ${root} is ${kb(bytes)} KB, over WeChat's 2048 KB`);
    else if (bytes > LIMITS.subpackageBudgetBytes) {
      problems.push(`subpackage ${root} is ${kb(bytes)} KB, over Duet's ${kb(LIMITS.subpackageBudgetBytes)} KB budget`);
    }
  }
  if (sizes.total > LIMITS.totalBytes) problems.push(`the whole app is ${kb(sizes.total)} KB, over WeChat's 20 MB`);
  return { problems, sizes };
}

/** The size table check:weapp prints: each package, its budget, and the biggest files of the main package. */
export function formatSizeTable(distDir: string, sizes: PackageSizes): string {
  const rows: Array<[string, number, number]> = [['main package', sizes.main, LIMITS.mainBudgetBytes]];
  for (const [root, bytes] of Object.entries(sizes.subpackages)) rows.push([`subpackage ${root}`, bytes, LIMITS.subpackageBudgetBytes]);
  const lines = [`${'package'.padEnd(32)} ${'KB'.padStart(7)} ${'budget'.padStart(7)}`];
  for (const [label, bytes, budget] of rows) {
    lines.push(`${label.padEnd(32)} ${kb(bytes).padStart(7)} ${kb(budget).padStart(7)}${bytes > budget ? '  OVER' : ''}`);
  }
  lines.push(`${'whole app'.padEnd(32)} ${kb(sizes.total).padStart(7)} ${kb(LIMITS.totalBytes).padStart(7)}`);
  const biggest = mainPackageFiles(distDir, sizes)
    .slice(0, 3)
    .map((f) => `${f.file} ${kb(f.bytes)}`)
    .join(', ');
  if (biggest) lines.push(`biggest files of the main package (KB): ${biggest}`);
  return lines.join('\n');
}

function mainPackageFiles(distDir: string, sizes: PackageSizes): Array<{ file: string; bytes: number }> {
  const roots = Object.keys(sizes.subpackages);
  return listFiles(distDir)
    .map((file) => path.relative(distDir, file).split(path.sep).join('/'))
    .filter((file) => !roots.some((r) => file.startsWith(`${r}/`)) && !file.endsWith('.LICENSE.txt') && !file.startsWith('project.'))
    .map((file) => ({ file, bytes: fs.statSync(path.join(distDir, file)).size }))
    .sort((a, b) => b.bytes - a.bytes);
}

/** Image URLs on any host: the app's pictures live in the package or in the brand's cloud storage (cloud://). */
export function externalImages(text: string): string[] {
  const found =
    text.match(/(?:https?:|(?<![\w:]))\/\/[a-z0-9.-]+\.[a-z]{2,}(?::\d+)?\/[^\s"'`()<>]*?\.(?:png|jpe?g|gif|svg|webp)(?![a-z0-9])/gi) ?? [];
  return [...new Set(found)];
}

export function kb(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}
