/**
 * npm run deploy -- [--dry-run] [--skip-tests] [--key FILE] [--env ENV_ID] [--appid APPID] [--robot N] [--out DIR]
 *
 * Builds and checks everything, then uploads through miniprogram-ci (2.1.42): the weapp (version and
 * description from git), every function of the build (remote npm install) and its timer trigger. It
 * refuses to upload when any check fails: the function budgets (build:functions), check:weapp, lint and
 * types, and the tests unless --skip-tests. What is checked is what is uploaded: both builds go to a
 * staging folder (default build/deploy/) that no watch build writes. --dry-run does every step up to the
 * network and prints what would be uploaded, with bytes. Last, the checklist of what miniprogram-ci
 * cannot do (collections, indexes, timeouts, variables, templates), which the `doctor` job verifies.
 *
 * Settings: --key or DUET_UPLOAD_KEY (the upload key file), --env or DUET_CLOUD_ENV, --appid or
 * DUET_MINI_APPID (else project.config.json). Exit code 0 when everything passed (and was uploaded).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildFunctions, FunctionBudgetError, formatBundleTable } from './lib/build-functions';
import { assembleFunctions, checkUploadKey, deployChecklist, type FunctionUpload, type Release, releaseFromGit } from './lib/deploy';
import { checkWeappOutput, kb, listFiles } from './lib/weapp-package';

const root = path.resolve(import.meta.dirname, '..');

class Refusal extends Error {}

interface Options {
  dryRun: boolean;
  skipTests: boolean;
  key?: string;
  env?: string;
  appid?: string;
  robot: number;
  out: string;
}

const USAGE = 'usage: npm run deploy -- [--dry-run] [--skip-tests] [--key FILE] [--env ENV_ID] [--appid APPID] [--robot 1-30] [--out DIR]';

function parseArgs(argv: string[]): Options {
  const options: Options = {
    dryRun: false,
    skipTests: false,
    key: process.env.DUET_UPLOAD_KEY || undefined,
    env: process.env.DUET_CLOUD_ENV || undefined,
    appid: process.env.DUET_MINI_APPID || undefined,
    robot: 1,
    out: path.join(root, 'build', 'deploy'),
  };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (!v) throw new Refusal(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === '--dry-run') options.dryRun = true;
    else if (flag === '--skip-tests') options.skipTests = true;
    else if (flag === '--key') options.key = path.resolve(value());
    else if (flag === '--env') options.env = value();
    else if (flag === '--appid') options.appid = value();
    else if (flag === '--out') options.out = path.resolve(value());
    else if (flag === '--robot') {
      options.robot = Number(value());
      if (!Number.isInteger(options.robot) || options.robot < 1 || options.robot > 30)
        throw new Refusal('--robot is 1 to 30 (the CI robot that uploads)');
    } else throw new Refusal(`unknown argument ${argv[i]}\n${USAGE}`);
  }
  if (options.key) options.key = path.resolve(options.key);
  return options;
}

const say = (line: string) => console.log(`[deploy] ${line}`);

/** A path as the operator finds it: relative inside the repository, absolute elsewhere. */
function shown(file: string): string {
  const relative = path.relative(root, file);
  return relative && !relative.startsWith('..') ? relative : file;
}

/** A step's child process, its output kept in a log file and its tail shown when it fails. */
function runStep(label: string, command: string, args: string[], env: Record<string, string>, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = fs.openSync(logFile, 'w');
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
    child.on('error', (error) => reject(new Refusal(`${label} could not start: ${error.message}`)));
    child.on('exit', (code, signal) => {
      fs.closeSync(log);
      if (code === 0) return resolve();
      const tail = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-25).join('\n');
      reject(new Refusal(`${label} failed (${signal ?? `exit ${code}`}); the end of ${shown(logFile)}:\n${tail}`));
    });
  });
}

function projectAppid(): string {
  return JSON.parse(fs.readFileSync(path.join(root, 'project.config.json'), 'utf8')).appid as string;
}

/** What a real upload needs that is missing; a dry run lists them, a real run refuses. */
function missingForUpload(options: Options, appid: string, release: Release): string[] {
  const missing: string[] = [];
  if (!/^wx[0-9a-f]{16}$/i.test(appid)) missing.push(`an appid (got ${appid}): --appid or DUET_MINI_APPID`);
  if (!options.env) missing.push('the cloud env id: --env or DUET_CLOUD_ENV');
  if (!options.key) missing.push('the upload key: --key or DUET_UPLOAD_KEY (微信公众平台 → 开发管理 → 开发设置 → 小程序代码上传)');
  if (!release.commit) missing.push('a git checkout (the version and description come from the commit)');
  else if (release.dirty) missing.push('a clean working tree: commit or stash the changes, so the upload is a commit');
  return missing;
}

async function main(argv: string[]): Promise<void> {
  const options = parseArgs(argv);
  const appid = options.appid ?? projectAppid();
  const release = releaseFromGit(root);
  const keyCheck = options.key ? checkUploadKey(options.key, appid) : null;
  say(`${options.dryRun ? 'dry run' : 'upload'}: appid ${appid}, env ${options.env ?? '(none)'}, version ${release.version}`);
  say(`description: ${release.description}${release.dirty && release.commit ? ' (working tree has uncommitted changes)' : ''}`);
  if (keyCheck && !keyCheck.ok) throw new Refusal(keyCheck.problem);
  if (keyCheck?.ok) say(`upload key: ${keyCheck.summary}`);
  const missing = missingForUpload(options, appid, release);
  if (!options.dryRun && missing.length > 0) throw new Refusal(`cannot upload without:\n  - ${missing.join('\n  - ')}`);

  fs.mkdirSync(options.out, { recursive: true });
  const functionsDir = path.join(options.out, 'cloudfunctions');
  const weappDir = path.join(options.out, 'weapp');
  const logs = path.join(options.out, 'logs');
  fs.mkdirSync(logs, { recursive: true });
  const steps = options.skipTests ? 5 : 6;
  let step = 0;
  const next = (what: string) => say(`${++step}/${steps} ${what}`);

  next(`build:functions → ${shown(functionsDir)} (150 KB budget per bundle)`);
  try {
    const built = await buildFunctions({ root, outDir: functionsDir });
    say(`    ${built.length} functions within budget`);
  } catch (error) {
    if (error instanceof FunctionBudgetError)
      throw new Refusal(`build:functions failed:\n${formatBundleTable(error.built)}\n  - ${error.problems.join('\n  - ')}`);
    throw new Refusal(`build:functions failed: ${(error as Error).message}`);
  }

  next(`build:weapp → ${shown(weappDir)} (DUET_CLOUD_ENV=${options.env ?? '(default)'})`);
  fs.rmSync(weappDir, { recursive: true, force: true });
  // Never the local cloud's URL from a developer's shell: the uploaded app talks to the cloud env. And a
  // production build whatever NODE_ENV the shell has: under NODE_ENV=test Babel leaves ES2015+ in the output.
  const weappEnv: Record<string, string> = { DUET_WEAPP_OUT: weappDir, DUET_EMULATOR_URL: '', NODE_ENV: 'production' };
  if (options.env) weappEnv.DUET_CLOUD_ENV = options.env;
  if (options.appid) weappEnv.DUET_MINI_APPID = options.appid;
  await runStep('build:weapp', 'npx', ['taro', 'build', '--type', 'weapp'], weappEnv, path.join(logs, 'build-weapp.log'));
  // The staged project's own appid, so the folder opens in DevTools as what was uploaded.
  const projectConfig = path.join(weappDir, 'project.config.json');
  if (fs.existsSync(projectConfig)) {
    const config = JSON.parse(fs.readFileSync(projectConfig, 'utf8'));
    fs.writeFileSync(projectConfig, `${JSON.stringify({ ...config, appid }, null, 2)}\n`);
  }

  next('check:weapp (pages, ES5, size budgets, WeChat compiler checks)');
  await runStep('check:weapp', 'npx', ['tsx', 'scripts/check-weapp.ts', weappDir], {}, path.join(logs, 'check-weapp.log'));

  next('lint and types (biome, tsc)');
  await runStep('biome', 'npx', ['biome', 'check', '.'], {}, path.join(logs, 'biome.log'));
  await runStep('tsc', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'], {}, path.join(logs, 'tsc.log'));

  if (options.skipTests) say('    tests skipped (--skip-tests): budgets, check:weapp, lint and types still ran');
  else {
    next('tests (vitest run)');
    await runStep('tests', 'npx', ['vitest', 'run'], {}, path.join(logs, 'tests.log'));
  }

  next(options.dryRun ? 'assemble the uploads (dry run: nothing is sent)' : 'assemble and upload');
  const functions = await assembleFunctions(functionsDir);
  printPlan(weappDir, release, appid, options, functions);

  if (options.dryRun) {
    if (missing.length > 0) say(`a real upload also needs:\n  - ${missing.join('\n  - ')}`);
    say('dry run: every check passed; nothing was uploaded');
  } else {
    await upload(weappDir, release, appid, options as Options & { env: string; key: string }, functions);
  }
  console.log('\nChecklist: what miniprogram-ci cannot do (set once in the cloud console, then after changes)');
  for (const line of deployChecklist(root, functions, options.env ?? '<env-id>')) console.log(line);
}

function printPlan(weappDir: string, release: Release, appid: string, options: Options, functions: FunctionUpload[]): void {
  const report = checkWeappOutput(weappDir);
  const files = listFiles(weappDir).length;
  console.log(`\n${options.dryRun ? 'Would upload' : 'Uploading'}:`);
  console.log(`weapp     ${appid}  version ${release.version}  robot ${options.robot}  description "${release.description}"`);
  console.log(
    `          main ${kb(report.sizes.main)} KB, ${Object.keys(report.sizes.subpackages).length} subpackages, ` +
      `${report.sizes.total} bytes in ${files} files`,
  );
  console.log(`functions to env ${options.env ?? '<env-id>'}, remote npm install (wx-server-sdk):`);
  console.log(`  ${'name'.padEnd(14)} ${'index.js'.padStart(9)} ${'zip'.padStart(9)}  files`);
  for (const fn of functions) {
    console.log(`  ${fn.name.padEnd(14)} ${String(fn.bundleBytes).padStart(9)} ${String(fn.zipBytes).padStart(9)}  ${fn.files.join(', ')}`);
  }
  const zipTotal = functions.reduce((sum, fn) => sum + fn.zipBytes, 0);
  console.log(`  ${functions.length} functions, ${zipTotal} bytes zipped`);
  for (const fn of functions)
    for (const trigger of fn.triggers) console.log(`timer     ${fn.name}: ${trigger.name} "${trigger.config}" (createTimeTrigger)`);
}

/** The network part: miniprogram-ci's upload, uploadFunction and createTimeTrigger, one after another. */
async function upload(
  weappDir: string,
  release: Release,
  appid: string,
  options: Options & { env: string; key: string },
  functions: FunctionUpload[],
): Promise<void> {
  const require = createRequire(import.meta.url);
  const ci = require('miniprogram-ci');
  const project = new ci.Project({
    appid,
    type: 'miniProgram',
    projectPath: weappDir,
    privateKeyPath: options.key,
    ignores: ['node_modules/**/*'],
  });
  say(`uploading the weapp ${release.version}`);
  const result = await ci.upload({
    project,
    version: release.version,
    desc: release.description,
    robot: options.robot,
    // The build is ES5 and minified already; the same settings check:weapp compiled with.
    setting: { es6: false, minify: true, minifyJS: true, minifyWXML: true, minifyWXSS: true },
    onProgressUpdate: () => undefined,
  });
  const packages = (result?.subPackageInfo ?? []) as Array<{ name: string; size: number }>;
  say(`    uploaded: ${packages.map((p) => `${p.name} ${p.size} bytes`).join(', ') || 'ok'}`);
  for (const fn of functions) {
    say(`uploading function ${fn.name} to ${options.env}`);
    const done = await ci.cloud.uploadFunction({ project, env: options.env, name: fn.name, path: fn.dir, remoteNpmInstall: true });
    say(`    ${done.filesCount} files, ${done.packSize} bytes`);
    if (fn.triggers.length > 0) {
      // It answers a string rather than throwing when the platform refuses the triggers.
      const answer = await ci.cloud.createTimeTrigger({ project, envId: options.env, functionName: fn.name, triggersConfig: fn.triggers });
      if (answer !== '创建定时触发器成功') throw new Refusal(`the timer trigger of ${fn.name} was refused: ${answer}`);
      say(`    timer ${fn.triggers.map((t) => t.name).join(', ')} created`);
    }
  }
  say(
    `uploaded the weapp ${release.version} and ${functions.length} functions; set it as 体验版 or submit it for review in 微信公众平台 → 版本管理`,
  );
}

main(process.argv.slice(2)).then(
  // miniprogram-ci leaves watchers running: exit explicitly.
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Refusal ? `deploy refused: ${error.message}` : `deploy failed: ${error?.stack ?? error}`);
    process.exit(1);
  },
);
