import { execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { functionNames } from '../../scripts/lib/build-functions';
import { projectRoot } from '../support/cloud';

const APPID = 'wxd0e7000000000001';
const ENV = 'duet-deploy-test-7f3a';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-deploy-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function deploy(cwd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    // The env of whoever runs the tests must not choose the appid, env or key.
    const env = { ...process.env, DUET_UPLOAD_KEY: '', DUET_CLOUD_ENV: '', DUET_MINI_APPID: '' };
    execFile('npm', ['run', '--silent', 'deploy', '--', ...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A key the way 微信公众平台 hands it out: PEM RSA, named private.<appid>.key. */
function uploadKey(name: string): string {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
  const file = path.join(work, name);
  fs.writeFileSync(file, privateKey.export({ type: 'pkcs1', format: 'pem' }));
  return file;
}

describe('npm run deploy -- --dry-run', () => {
  // Both builds, check:weapp, biome and tsc: minutes on a busy 2-core runner.
  it('builds and checks everything, prints every upload with its bytes and the checklist, and sends nothing', {
    timeout: 900_000,
  }, async () => {
    const out = path.join(work, 'good');
    const run = await deploy(projectRoot, [
      '--dry-run',
      '--skip-tests',
      '--out',
      out,
      '--env',
      ENV,
      '--appid',
      APPID,
      '--key',
      uploadKey(`private.${APPID}.key`),
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { stdout } = run;
    expect(stdout).toMatch(new RegExp(`upload key: private\\.${APPID}\\.key \\(RSA 1024\\)`));
    for (const step of ['build:functions', 'build:weapp', 'check:weapp', 'lint and types', 'assemble the uploads'])
      expect(stdout).toContain(step);
    expect(stdout).toMatch(/tests skipped \(--skip-tests\)/);
    expect(stdout).toMatch(/dry run: every check passed; nothing was uploaded/);

    // The weapp: the version from git, its bytes, and built for the env given (Taro.cloud.init's env).
    const git = (...args: string[]) => {
      try {
        return execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      } catch {
        return null;
      }
    };
    const tag = git('describe', '--tags', '--exact-match', 'HEAD');
    const version = tag ? tag.replace(/^v/, '') : `0.1.0-${git('rev-parse', '--short=7', 'HEAD')}`;
    const weapp = new RegExp(`^weapp +${APPID} +version (\\S+) +robot 1 +description "(.*)"$`, 'm').exec(stdout);
    expect(weapp?.[1]).toBe(version);
    expect(git('log', '-1', '--format=%s')?.startsWith((weapp?.[2] ?? '').replace(/…$/, ''))).toBe(true);
    const total = Number(/^ +main [\d.]+ KB, \d+ subpackages, (\d+) bytes in \d+ files$/m.exec(stdout)?.[1]);
    expect(total).toBeGreaterThan(300 * 1024);
    const staged = path.join(out, 'weapp');
    const js = fs
      .readdirSync(staged)
      .filter((f) => f.endsWith('.js'))
      .map((f) => fs.readFileSync(path.join(staged, f), 'utf8'))
      .join('\n');
    expect(js).toContain(ENV);
    expect(JSON.parse(fs.readFileSync(path.join(staged, 'project.config.json'), 'utf8')).appid).toBe(APPID);

    // Every function, with the bytes of its bundle and its zip, and the scheduler's timer.
    for (const name of functionNames(projectRoot)) {
      const row = new RegExp(`^  ${name} +(\\d+) +(\\d+)  config\\.json, index\\.js, package\\.json$`, 'm').exec(stdout);
      expect(row, name).not.toBeNull();
      const bundle = fs.statSync(path.join(out, 'cloudfunctions', name, 'index.js')).size;
      expect(Number(row?.[1])).toBe(bundle);
      expect(Number(row?.[2])).toBeGreaterThan(0);
      expect(Number(row?.[2])).toBeLessThan(bundle);
    }
    expect(stdout).toMatch(/^timer +scheduler: every-minute "0 \* \* \* \* \* \*" \(createTimeTrigger\)$/m);

    // The checklist: every collection and its unique index, each function's timeout and variables, the templates.
    const schema = JSON.parse(fs.readFileSync(path.join(projectRoot, 'cloud/schema.json'), 'utf8'));
    for (const name of Object.keys(schema.collections)) expect(stdout).toMatch(new RegExp(`^  \\[ \\] 集合 ${name}( |$)`, 'm'));
    expect(stdout).toMatch(/集合 identities — 索引管理: identity_unique \(kind 升序, appid 升序, openid 升序, unionid 升序\) 唯一/);
    expect(stdout).toMatch(/^ {2}\[ \] order: 超时时间 10 秒; 环境变量 DUET_PAY_SUB_MCH_ID; optional DUET_PAY_ENV_ID$/m);
    expect(stdout).toMatch(
      /^ {2}\[ \] mpGateway: 超时时间 15 秒; 环境变量 DUET_MP_APPID, DUET_MP_SECRET, DUET_MP_TOKEN, DUET_MINI_APPID;/m,
    );
    expect(stdout).toMatch(new RegExp(`https://${ENV}\\.service\\.tcloudbase\\.com/mpGateway`));
    expect(stdout).toMatch(/^ {2}\[ \] 退款通知 TPL_REFUND: character_string1, amount2, phrase3$/m);
    expect(stdout).toMatch(/setupAdmin → 云端测试 \{"action":"doctor"\}/);
  });

  it('refuses a key file that is not an upload key, before building anything', async () => {
    const bad = path.join(work, `private.${APPID}.key`.replace('.key', '-bad.key'));
    fs.writeFileSync(bad, 'not a key\n');
    const out = path.join(work, 'bad-key');
    const run = await deploy(projectRoot, ['--dry-run', '--out', out, '--appid', APPID, '--key', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^deploy refused: upload key .*-bad\.key is not a PEM private key/m);
    expect(fs.existsSync(path.join(out, 'cloudfunctions'))).toBe(false);

    const other = uploadKey('private.wx1111111111111111.key');
    const wrong = await deploy(projectRoot, ['--dry-run', '--out', out, '--appid', APPID, '--key', other]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(new RegExp(`deploy refused: upload key .* is named for wx1111111111111111, but the appid is ${APPID}`));
  });

  it('refuses a real upload without its settings, before building anything', async () => {
    const out = path.join(work, 'no-settings');
    const run = await deploy(projectRoot, ['--out', out, '--appid', 'touristappid']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/deploy refused: cannot upload without:\n {2}- an appid \(got touristappid\)/);
    expect(run.stderr).toMatch(/- the cloud env id: --env or DUET_CLOUD_ENV/);
    expect(run.stderr).toMatch(/- the upload key: --key or DUET_UPLOAD_KEY/);
    expect(fs.existsSync(path.join(out, 'cloudfunctions'))).toBe(false);
  });

  it('refuses when a check fails: a function bundle over its 150 KB budget stops it before anything is assembled', async () => {
    // A copy of the project (its files, the same node_modules) whose content function carries 200 KB too many.
    const copy = path.join(work, 'project');
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
      cwd: projectRoot,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((file) => file && file !== 'node_modules' && fs.existsSync(path.join(projectRoot, file)));
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      fs.copyFileSync(path.join(projectRoot, file), path.join(copy, file));
    }
    fs.symlinkSync(path.join(projectRoot, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    const entry = path.join(copy, 'cloudfunctions/content/index.ts');
    fs.appendFileSync(entry, `\nexport const ballast = ${JSON.stringify(crypto.randomBytes(150 * 1024).toString('base64'))};\n`);

    const run = await deploy(copy, ['--dry-run', '--skip-tests', '--appid', APPID]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^deploy refused: build:functions failed:/m);
    expect(run.stderr).toMatch(
      /^ {2}- function content is \d+\.\d KB, over the 150\.0 KB budget; biggest inputs: cloudfunctions\/content\/index\.ts/m,
    );
    expect(run.stdout).toMatch(/1\/5 build:functions/);
    expect(run.stdout).not.toMatch(/build:weapp|Would upload|Checklist/);
  });
});
