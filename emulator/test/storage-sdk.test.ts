import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index';
import { sdkFor, startTestCloud, useTestCloud } from './support';

/** A GET with the path exactly as written (fetch would normalise `..` away). */
function rawGet(emulator: RunningEmulator, rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: emulator.port, path: rawPath, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('cloud storage through the real SDK', () => {
  const local = useTestCloud();
  // The SDK's own typings give storage results as `void | ...`.
  let cloud: any;
  beforeAll(() => {
    cloud = sdkFor(local.emulator);
  });
  const url = () => local.emulator.url;
  /** What is stored, as the file route serves it (no signature needed for a bare path). */
  const stored = async (cloudPath: string) => {
    const response = await fetch(`${url()}/_emu/storage/${cloudPath}`);
    return response.status === 200 ? await response.text() : response.status;
  };

  const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 3, 254, 255]);

  it('uploads, hands out a temp URL serving the same bytes, downloads, deletes', async () => {
    const uploaded = await cloud.uploadFile({ cloudPath: 'posters/活动 1.png', fileContent: bytes });
    expect(uploaded.errMsg).toBe('uploadFile:ok');
    const envId = local.emulator.ctx.options.envId;
    expect(uploaded.fileID).toBe(
      `cloud://${envId}.${Buffer.from(envId.slice(0, 2)).toString('hex')}-${envId}-1300000000/posters/活动 1.png`,
    );

    const temp = await cloud.getTempFileURL({ fileList: [uploaded.fileID] });
    expect(temp.fileList).toHaveLength(1);
    const [item] = temp.fileList;
    expect(item).toMatchObject({ fileID: uploaded.fileID, status: 0, errMsg: 'ok' });
    expect(item.tempFileURL.startsWith(`${url()}/_emu/storage/posters/`)).toBe(true);
    const fetched = await fetch(encodeURI(item.tempFileURL));
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await fetched.arrayBuffer()).equals(bytes)).toBe(true);

    const downloaded = await cloud.downloadFile({ fileID: uploaded.fileID });
    expect(Buffer.isBuffer(downloaded.fileContent)).toBe(true);
    expect((downloaded.fileContent as Buffer).equals(bytes)).toBe(true);

    const removed = await cloud.deleteFile({ fileList: [uploaded.fileID] });
    expect(removed.fileList).toEqual([{ fileID: uploaded.fileID, status: 0, errMsg: 'ok' }]);

    const after = await cloud.getTempFileURL({ fileList: [uploaded.fileID] });
    expect(after.fileList[0]).toMatchObject({ fileID: uploaded.fileID, status: -503003, tempFileURL: '' });
    // The SDK rethrows the node-sdk's TcbError: the backend code survives, errCode does not.
    await expect(cloud.downloadFile({ fileID: uploaded.fileID })).rejects.toMatchObject({ code: 'STORAGE_FILE_NONEXIST' });
    expect((await fetch(encodeURI(item.tempFileURL))).status).toBe(404);
  });

  it('overwrites a path with the latest upload and serves a bare path with its content type', async () => {
    await cloud.uploadFile({ cloudPath: 'notes/a.txt', fileContent: Buffer.from('first') });
    await cloud.uploadFile({ cloudPath: 'notes/a.txt', fileContent: Buffer.from('second') });
    const response = await fetch(`${url()}/_emu/storage/notes/a.txt`);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('second');
  });

  it('refuses traversal and absolute cloud paths on upload and on the file route', async () => {
    for (const cloudPath of ['../escape.txt', 'a/../../escape.txt', '/etc/passwd', 'a//b.txt', 'a\\b.txt']) {
      await expect(cloud.uploadFile({ cloudPath, fileContent: Buffer.from('x') }), cloudPath).rejects.toMatchObject({
        code: 'INVALID_PARAM',
        errMsg: expect.stringContaining('uploadFile:fail'),
      });
    }
    const traversal = await rawGet(local.emulator, '/_emu/storage/..%2F..%2Fpackage.json');
    expect(traversal.status).toBe(400);
    expect(JSON.parse(traversal.body)).toEqual({ error: { message: 'cloudPath must not contain . or .. segments' } });
    const dotted = await rawGet(local.emulator, '/_emu/storage/../../package.json');
    expect(dotted.status).not.toBe(200);
    expect(dotted.body).not.toContain('"name": "duet"');
    // Nothing was written anywhere by the refused uploads.
    expect(await stored('escape.txt')).toBe(404);
    expect(await stored('a/b.txt')).toBe(404);
    expect((await local.client.stats()).counts['storage.getUploadMetadata']).toBe(5);
  });

  it('refuses a PUT without the grant from getUploadMetadata', async () => {
    const response = await fetch(`${url()}/_emu/storage/forged.txt`, {
      method: 'PUT',
      body: 'x',
      headers: { authorization: 'made-up' },
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(await stored('forged.txt')).toBe(404);
  });

  it('expires temp URLs on the emulator clock and rejects tampered signatures', async () => {
    const { fileID } = await cloud.uploadFile({ cloudPath: 'expiring.txt', fileContent: Buffer.from('soon gone') });
    const { fileList } = await cloud.getTempFileURL({ fileList: [{ fileID, maxAge: 60 }] });
    expect(fileList[0].maxAge).toBe(60);
    const tampered = fileList[0].tempFileURL.replace(/sign=([0-9a-f])/, (_m: string, c: string) => `sign=${c === '0' ? '1' : '0'}`);
    const refused = await fetch(tampered);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>AccessDenied</Code>');
    const ok = await fetch(fileList[0].tempFileURL);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('soon gone');
    await local.client.clock.advance(61_000);
    const expired = await fetch(fileList[0].tempFileURL);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
    // Refused to read, not removed: the file is still there.
    expect(await stored('expiring.txt')).toBe('soon gone');
  });

  it('reports unknown and foreign file ids per file, and reset removes every file', async () => {
    const { fileID } = await cloud.uploadFile({ cloudPath: 'keep/me.json', fileContent: Buffer.from('{}') });
    const mixed = await cloud.getTempFileURL({ fileList: [fileID, 'cloud://other-env.6f74-other-env-1/x.png'] });
    expect(mixed.fileList.map((f: { status: number }) => f.status)).toEqual([0, -503003]);

    await local.client.reset();
    const gone = await cloud.getTempFileURL({ fileList: [fileID] });
    expect(gone.fileList[0].status).toBe(-503003);
    expect(await stored('keep/me.json')).toBe(404);
  });
});

describe('storage across a restart', () => {
  it('keeps files under <dataDir>/storage', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'duet-storage-'));
    try {
      const first = await startTestCloud({ ephemeral: false, dataDir });
      let fileID: string;
      try {
        fileID = (await (sdkFor(first) as any).uploadFile({ cloudPath: 'kept/file.txt', fileContent: Buffer.from('still here') })).fileID;
      } finally {
        await first.stop();
      }
      expect(readFileSync(path.join(dataDir, 'storage', 'kept', 'file.txt'), 'utf8')).toBe('still here');
      const second = await startTestCloud({ ephemeral: false, dataDir });
      try {
        const { fileContent } = await (sdkFor(second) as any).downloadFile({ fileID });
        expect(fileContent.toString()).toBe('still here');
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
