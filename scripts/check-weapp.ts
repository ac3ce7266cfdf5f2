/**
 * npm run check:weapp — validates dist/ as WeChat would before an upload, offline:
 * 1. structure, ES5 and sizes (scripts/lib/weapp-package.ts);
 * 2. WeChat's own compiler checks from miniprogram-ci (JSON, WXML, WXSS, JS syntax, missing
 *    pages/components), with the signed settings lookup skipped and its network calls refused.
 * The last line printed is the main package size in KB.
 */
import path from 'node:path';
import { checkWeappOutput, formatSizeTable, kb } from './lib/weapp-package';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.resolve(process.argv[2] ?? path.join(root, 'dist'));

async function compileWithMiniprogramCi(): Promise<string[]> {
  // miniprogram-ci leaves an empty hash-named folder in the working directory: give it a scratch one.
  const fs = await import('node:fs');
  const os = await import('node:os');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-check-weapp-'));
  const cwd = process.cwd();
  process.chdir(scratch);
  try {
    return await compileIn();
  } finally {
    process.chdir(cwd);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function compileIn(): Promise<string[]> {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const ci = require('miniprogram-ci');
  // Its only remaining request (an extension whitelist) then fails at once instead of hanging.
  ci.proxy('http://127.0.0.1:9');
  const project = new ci.Project({
    projectPath: dist,
    type: 'miniProgram',
    appid: process.env.DUET_MINI_APPID ?? 'wxd0e7000000000001',
    // Any non-empty key plus a local attr() skip the signed lookup of the app's settings.
    privateKey: 'offline-check',
    ignores: ['node_modules/**/*'],
    attr: async () => ci.DefaultProjectAttr,
  });
  const problems: string[] = [];
  try {
    await ci.getCompiledResult({
      project,
      version: '0.0.0',
      setting: { es6: false, minify: true, minifyJS: true, minifyWXML: true, minifyWXSS: true },
    });
  } catch (error) {
    problems.push(`WeChat compiler: ${String((error as Error)?.message ?? error).slice(0, 2000)}`);
  }
  try {
    const analysis = await ci.analyseCode(project, { silent: true });
    for (const issue of (analysis as { unresolved?: unknown[] } | undefined)?.unresolved ?? []) {
      problems.push(`unresolved import: ${JSON.stringify(issue)}`);
    }
  } catch (error) {
    problems.push(`code analysis failed: ${String((error as Error)?.message ?? error)}`);
  }
  return problems;
}

async function main() {
  const report = checkWeappOutput(dist);
  const problems = [...report.problems];
  if (report.problems.length === 0 || !report.problems[0].includes('app.json')) {
    // miniprogram-ci is chatty; keep its logs away from the report.
    const log = console.log;
    const info = console.info;
    const error = console.error;
    const warn = console.warn;
    console.log = console.info = console.warn = console.error = () => undefined;
    try {
      problems.push(...(await compileWithMiniprogramCi()));
    } finally {
      Object.assign(console, { log, info, error, warn });
    }
  }
  console.log(formatSizeTable(dist, report.sizes));
  if (problems.length > 0) {
    console.error(`check:weapp found ${problems.length} problem(s):`);
    for (const problem of problems) console.error(`  - ${problem}`);
  } else {
    console.log('check:weapp: pages, subpackages, ES5, sizes and the WeChat compiler checks all pass');
  }
  console.log(`main package: ${kb(report.sizes.main)} KB`);
  process.exit(problems.length > 0 ? 1 : 0);
}

void main();
