import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CONSOLE_CONTRACTS } from '../../core/contracts/console';
import { projectRoot, useCloud } from '../support/cloud';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('npm run admin (scripts/admin.ts) against a local cloud', () => {
  const cloud = useCloud();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-admin-cli-'));
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    const db = cloud.db();
    for (const _id of ['art-1', 'art-2', 'art-3']) await db.collection('articles').add({ data: { _id, title: _id } });
    await db.collection('campaigns').add({ data: { _id: 'cmp-1', name: 'cmp-1' } });
  });

  const cli = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        path.join(projectRoot, 'node_modules/.bin/tsx'),
        [path.join(projectRoot, 'scripts/admin.ts'), ...args],
        { cwd: dir, env: { ...process.env, DUET_EMULATOR_URL: cloud.url } },
        (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('creates an article code, prints it and writes the PNG to --out', async () => {
    const out = path.join(dir, 'codes');
    const event = { scene: 'cli-1', article: 'art-1', page: 'packages/campaign/detail/index', params: { campaign: 'cmp-1' } };
    const result = await cli('createArticleCode', JSON.stringify(event), '--out', out);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^scene\s+cli-1$/m);
    expect(result.stdout).toMatch(/^fileID\s+cloud:\/\/.*article-codes\/cli-1\.png$/m);
    const png = fs.readFileSync(path.join(out, 'cli-1.png'));
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  });

  it('runs a batch from a file to the end, showing progress, and downloads every code', async () => {
    const file = path.join(dir, 'batch.json');
    const items = ['b-1', 'b-2', 'b-3'].map((scene) => ({ scene, article: 'art-2', page: 'pages/index/index' }));
    fs.writeFileSync(file, JSON.stringify({ items, chunkSize: 1 }));
    const result = await cli('createArticleCodes', `@${file}`, `--out=${path.join(dir, 'batch')}`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1/3 codes');
    expect(result.stdout).toContain('2/3 codes');
    expect(result.stdout).toContain('3/3 codes');
    for (const scene of ['b-1', 'b-2', 'b-3']) expect(fs.existsSync(path.join(dir, 'batch', `${scene}.png`))).toBe(true);
  });

  it('syncs followers run after run to the end, showing progress, and a second time has nothing to do', async () => {
    await cloud.client.mp.addFollowers({ count: 250 });
    const result = await cli('syncFollowers', JSON.stringify({ chunkSize: 100 }));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    // The third run does the last 51 and sees the end of the list: done.
    expect(lines.slice(0, 2)).toEqual(['100/251 followers', '200/251 followers']);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^251\/251 followers {2}\(created 251, bound 0, marked 0, unchanged 0, not following 0; finished 20\d\d-/);
    expect((await cloud.db().collection('members').where({ followsMp: true }).count()).total).toBe(251);
    const again = await cli('syncFollowers');
    expect(again.code).toBe(0);
    expect(again.stdout.trim().split('\n')).toEqual([lines[2]]);
  });

  it('fails with exit code 1 and the error code in English', async () => {
    const result = await cli(
      'createArticleCode',
      JSON.stringify({ scene: 'x'.repeat(33), article: 'a', page: 'pages/index/index' }),
      '--out',
      dir,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: INVALID_ARGUMENT: scene: scene key has 33 characters/m);
    const unknown = await cli('dropEverything');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown job');
    // Neither reached WeChat nor wrote a scene.
    expect((await cloud.client.outbox.list('wxacode')).entries).toEqual([]);
    expect((await cloud.client.db.info()).collections.find((c) => c.name === 'scenes')?.count).toBe(0);
  });

  it('help lists every job of the console contracts, and help <job> its fields', async () => {
    const result = await cli('help');
    expect(result.code).toBe(0);
    const listed = [...result.stdout.matchAll(/^ {2}(\w+)\s{2,}/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(CONSOLE_CONTRACTS.flatMap((contract) => Object.keys(contract.actions)).sort());
    const one = await cli('help', 'syncFollowers');
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('Usage: npm run admin -- syncFollowers');
    expect(one.stdout).toMatch(/^ {2}restart\s/m);
  });
});
