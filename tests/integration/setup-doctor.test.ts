import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FUNCTION_ENV } from '../../core/deploy/function-env';
import { runAdminCli } from '../support/admin-cli';
import { projectRoot, useCloud } from '../support/cloud';

const schema = JSON.parse(fs.readFileSync(path.join(projectRoot, 'cloud/schema.json'), 'utf8'));
const templates = JSON.parse(fs.readFileSync(path.join(projectRoot, 'cloud/subscribe-templates.json'), 'utf8'));
const builtFunctions = path.join(projectRoot, 'build/cloudfunctions');

type Check = { area: string; item: string; ok: boolean; detail: string };

describe('doctor on a local cloud set up as the repository says', () => {
  const cloud = useCloud();

  it('passes every check: each collection, the unique index, every function and its variables, the 公众号, each template', async () => {
    const result = await cloud.invoke('setupAdmin', { action: 'doctor' });
    expect(result.ok).toBe(true);
    const failed = (result.data.checks as Check[]).filter((c) => !c.ok);
    expect(failed).toEqual([]);
    expect(result.data).toMatchObject({ ok: true, failed: 0 });
    const items = (area: string) => (result.data.checks as Check[]).filter((c) => c.area === area).map((c) => c.item);
    expect(items('collection')).toEqual(Object.keys(schema.collections));
    expect(items('unique index')).toEqual(['identities.identity_unique']);
    expect(items('function').sort()).toEqual(Object.keys(FUNCTION_ENV).sort());
    const order = (result.data.checks as Check[]).find((c) => c.area === 'function' && c.item === 'order');
    expect(order?.detail).toBe(`deployed (Node ${process.version})`);
    expect(items('env')).toContain('order.DUET_PAY_SUB_MCH_ID');
    expect(items('公众号')).toEqual(['DUET_MP_TOKEN', 'access token']);
    expect(items('template')).toHaveLength(templates.templates.length);
    // The probe's scratch documents are gone.
    const left = await cloud.db().collection('identities').where({ doctorProbe: true }).count();
    expect(left.total).toBe(0);
  });

  it('runs from the CLI, a table and exit code 0', async () => {
    const run = await runAdminCli(cloud.url, ['doctor']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^collection\s+members\s+ok\s+exists$/m);
    expect(run.stdout).toMatch(/doctor: all \d+ checks pass/);
  });

  it('is refused to a member who is not an admin', async () => {
    const result = await cloud.invoke('setupAdmin', { action: 'doctor' }, 'alice');
    expect(result).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' });
  });

  it('answers the variable probe to the console only, with names and never values', async () => {
    const probe = await cloud.invoke('order', { action: '$env' });
    expect(probe).toEqual({ ok: true, data: { set: expect.arrayContaining(['DUET_PAY_SUB_MCH_ID']), node: process.version } });
    expect(JSON.stringify(probe)).not.toContain('1900000109');
    const asMember = await cloud.invoke('order', { action: '$env' }, 'alice');
    expect(asMember.ok).toBe(false);
    const gateway = await cloud.invoke('mpGateway', { action: '$env' });
    expect(gateway.data.set).toEqual(expect.arrayContaining(['DUET_MP_TOKEN', 'DUET_MP_SECRET']));
  });
});

/**
 * A setup with one of each mistake: a collection not created, the unique index created without 唯一,
 * a function not deployed, a variable not set on one function, a wrong 公众号 secret, a template not
 * added to the account.
 */
function brokenProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-doctor-'));
  const broken = structuredClone(schema);
  delete broken.collections.refunds;
  for (const index of broken.collections.identities.indexes) delete index.unique;
  fs.mkdirSync(path.join(root, 'cloud'));
  fs.writeFileSync(path.join(root, 'cloud/schema.json'), JSON.stringify(broken));
  const account = { ...templates, templates: templates.templates.filter((t: { id: string }) => t.id !== 'TPL_REFUND') };
  fs.writeFileSync(path.join(root, 'cloud/subscribe-templates.json'), JSON.stringify(account));
  const functions = path.join(root, 'functions');
  fs.mkdirSync(functions);
  for (const name of fs.readdirSync(builtFunctions))
    if (name !== 'review') fs.symlinkSync(path.join(builtFunctions, name), path.join(functions, name), 'dir');
  return root;
}

describe('doctor on a local cloud set up wrong', () => {
  const root = brokenProject();
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const cloud = useCloud({
    projectRoot: root,
    functionsDir: path.join(root, 'functions'),
    functionEnvOverrides: { order: { DUET_PAY_SUB_MCH_ID: null }, setupAdmin: { DUET_MP_SECRET: 'not-the-secret' } },
  });

  it('names each missing thing, and only those', async () => {
    const result = await cloud.invoke('setupAdmin', { action: 'doctor' });
    expect(result.ok).toBe(true);
    const failed = (result.data.checks as Check[]).filter((c) => !c.ok);
    expect(failed.map((c) => `${c.area} ${c.item}`).sort()).toEqual(
      [
        'collection refunds',
        'unique index identities.identity_unique',
        'function review',
        'env order.DUET_PAY_SUB_MCH_ID',
        '公众号 access token',
        'template TPL_REFUND 退款通知',
      ].sort(),
    );
    expect(result.data).toMatchObject({ ok: false, failed: 6 });
    const detail = (item: string) => failed.find((c) => c.item === item)?.detail;
    expect(detail('refunds')).toMatch(/missing: create it/);
    expect(detail('identities.identity_unique')).toMatch(
      /a duplicate was accepted; add index identity_unique on kind, appid, openid, unionid with 唯一/,
    );
    expect(detail('review')).toMatch(/not callable/);
    expect(detail('order.DUET_PAY_SUB_MCH_ID')).toMatch(/missing: set it in 云函数 → order → 配置 → 环境变量/);
    expect(detail('access token')).toMatch(/WeChat refused wx\w+: .*DUET_MP_SECRET/);
    expect(detail('TPL_REFUND 退款通知')).toMatch(/not in the account/);
    // The probe of the index that does not refuse removed both of its documents.
    expect((await cloud.db().collection('identities').where({ doctorProbe: true }).count()).total).toBe(0);
  });

  it('exits 1 from the CLI, listing each failed check', async () => {
    const run = await runAdminCli(cloud.url, ['doctor']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^collection\s+refunds\s+FAIL\s+missing: create it/m);
    expect(run.stderr).toMatch(/^error: doctor: 6 of \d+ checks failed/m);
  });
});
