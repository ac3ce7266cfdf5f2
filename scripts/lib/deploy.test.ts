import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FUNCTION_ENV } from '../../core/deploy/function-env';
import { buildFunctions, functionNames } from './build-functions';
import { assembleFunctions, checkUploadKey, deployChecklist, releaseFromGit } from './deploy';

const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-deploy-lib-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the variables each function reads', () => {
  it('are declared for every function, exactly the DUET_ names its bundle reads', async () => {
    expect(Object.keys(FUNCTION_ENV).sort()).toEqual(functionNames(root));
    const out = path.join(dir, 'functions');
    await buildFunctions({ root, outDir: out });
    for (const name of functionNames(root)) {
      const source = fs.readFileSync(path.join(out, name, 'index.js'), 'utf8');
      // `process.env.X`, `env.X` of a passed-in environment, and `env["X"]`.
      const read = new Set([...source.matchAll(/\benv(?:\.|\[["'])(DUET_[A-Z0-9_]+)/g)].map((m) => m[1]));
      expect([...read].sort(), name).toEqual(FUNCTION_ENV[name].map((v) => v.name).sort());
    }
  });
});

/** A project folder outside any git checkout (the temp folder is not in one). */
function notGit(): string {
  const folder = path.join(dir, 'not-git');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'package.json'), '{"version":"1.2.3"}');
  return folder;
}

describe('deploy helpers', () => {
  it('accepts an RSA upload key named for the appid and refuses others', () => {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
    const good = path.join(dir, 'private.wxd0e7000000000001.key');
    fs.writeFileSync(good, privateKey.export({ type: 'pkcs1', format: 'pem' }));
    expect(checkUploadKey(good, 'wxd0e7000000000001')).toEqual({ ok: true, summary: 'private.wxd0e7000000000001.key (RSA 1024)' });
    expect(checkUploadKey(good, 'wx2222222222222222')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/named for wxd0e7000000000001/),
    });
    const ec = path.join(dir, 'ec.key');
    fs.writeFileSync(ec, crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(checkUploadKey(ec, 'wxd0e7000000000001')).toMatchObject({ ok: false, problem: expect.stringMatching(/is ec, not RSA/) });
    const broken = path.join(dir, 'broken.key');
    fs.writeFileSync(broken, '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n');
    expect(checkUploadKey(broken, 'wxd0e7000000000001')).toMatchObject({ ok: false, problem: expect.stringMatching(/does not parse/) });
    expect(checkUploadKey(path.join(dir, 'none.key'), 'wx')).toMatchObject({ ok: false, problem: expect.stringMatching(/does not exist/) });
  });

  it('takes the version from package.json and the commit, the description from its subject', () => {
    const release = releaseFromGit(root);
    expect(release.commit).toMatch(/^[0-9a-f]{7}$/);
    expect(release.version).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    expect([...release.description].length).toBeLessThanOrEqual(100);
    const outside = releaseFromGit(notGit());
    expect(outside).toMatchObject({ version: '1.2.3', commit: null, dirty: true });
  });

  it('zips each function as uploadFunction would and lists the timer in the checklist', async () => {
    const uploads = await assembleFunctions(path.join(dir, 'functions'));
    const scheduler = uploads.find((u) => u.name === 'scheduler');
    expect(scheduler).toMatchObject({ files: ['config.json', 'index.js', 'package.json'], timeout: 60 });
    expect(scheduler?.triggers).toEqual([{ name: 'every-minute', type: 'timer', config: '0 * * * * * *' }]);
    const checklist = deployChecklist(root, uploads, 'env-1');
    expect(checklist).toContain('  [ ] scheduler: 超时时间 60 秒; 环境变量 DUET_PAY_SUB_MCH_ID; optional DUET_PAY_ENV_ID');
    expect(checklist.filter((line) => line.startsWith('  [ ] 集合 '))).toHaveLength(
      Object.keys(JSON.parse(fs.readFileSync(path.join(root, 'cloud/schema.json'), 'utf8')).collections).length,
    );
  });
});
