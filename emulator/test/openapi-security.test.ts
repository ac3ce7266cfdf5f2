import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureFunctionsDir, makeOpenapiProject, rejection } from './openapi-support';
import { sdkFor, useTestCloud } from './support';

const ALICE = 'o-mini-alice';
const PNG_A = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const PNG_B = Buffer.from('89504e470d0a1a0a0000000d49484453', 'hex');

describe('content checks: security.msgSecCheck and security.imgSecCheck with configurable verdicts', () => {
  const project = makeOpenapiProject();
  const local = useTestCloud({ projectRoot: project.root, functionsDir: fixtureFunctionsDir });
  let cloud: ReturnType<typeof sdkFor>;
  beforeAll(() => {
    cloud = sdkFor(local.emulator);
  });
  afterAll(() => project.cleanup());

  const v2 = (content: string, openid = ALICE) => cloud.openapi.security.msgSecCheck({ openid, scene: 2, version: 2, content });

  it('passes anything by default, with v2 result, detail and trace id', async () => {
    const answer = await v2('很好喝，会回购');
    expect(answer).toMatchObject({ errCode: 0, result: { suggest: 'pass', label: 100 } });
    expect(answer.detail[0]).toMatchObject({ strategy: 'content_model', suggest: 'pass', label: 100 });
    expect(typeof answer.traceId).toBe('string');
    expect(await cloud.openapi.security.imgSecCheck({ media: { contentType: 'image/png', value: PNG_A } })).toMatchObject({ errCode: 0 });
  });

  it('a text rule makes matching content risky (v2: suggest; v1: 87014), review stays a v2 suggestion, others pass', async () => {
    await local.client.security.set([
      { contains: 'BadWord', suggest: 'risky', label: 20003 },
      { contains: '加微信', suggest: 'review', label: 10001 },
    ]);
    expect(await v2('this has badword inside')).toMatchObject({ errCode: 0, result: { suggest: 'risky', label: 20003 } });
    expect(await v2('便宜 加微信 联系')).toMatchObject({ errCode: 0, result: { suggest: 'review', label: 10001 } });
    expect(await v2('普通评价')).toMatchObject({ result: { suggest: 'pass', label: 100 } });
    const v1 = await rejection(cloud.openapi.security.msgSecCheck({ content: 'BADWORD' }));
    expect(v1.errCode).toBe(87014);
    expect(await cloud.openapi.security.msgSecCheck({ content: '加微信' })).toMatchObject({ errCode: 0 });
  });

  it('v2 refuses an unknown openid (40003), a bad scene and empty content', async () => {
    expect((await rejection(v2('hi', 'o-nobody'))).errCode).toBe(40003);
    expect((await rejection(cloud.openapi.security.msgSecCheck({ openid: ALICE, scene: 9, version: 2, content: 'hi' }))).errCode).toBe(
      40097,
    );
    expect((await rejection(v2(''))).errCode).toBe(47001);
  });

  it('an image rule by hash or by a stored file refuses that image with 87014; other images pass', async () => {
    const uploaded = await cloud.uploadFile({ cloudPath: 'reviews/o1/bad.png', fileContent: PNG_B });
    await local.client.security.set([
      { sha256: createHash('sha256').update(PNG_A).digest('hex'), suggest: 'risky', label: 20002 },
      { fileId: uploaded.fileID, suggest: 'risky', label: 20002 },
    ]);
    const check = (value: Buffer) => cloud.openapi.security.imgSecCheck({ media: { contentType: 'image/png', value } });
    expect((await rejection(check(PNG_A))).errCode).toBe(87014);
    expect((await rejection(check(PNG_B))).errCode).toBe(87014);
    expect(await check(Buffer.from('89504e470d0a1a0a00', 'hex'))).toMatchObject({ errCode: 0 });
    expect((await rejection(check(Buffer.alloc(1024 * 1024 + 1, 1)))).errCode).toBe(40006);
  });

  it('refuses bad rule lists with 400 and forgets the rules on reset', async () => {
    const bad = await local.client.control('POST', '/_emu/security', { rules: [{ contains: 'x', fileId: 'y' }] });
    expect(bad.status).toBe(400);
    const badLabel = await local.client.control('POST', '/_emu/security', { rules: [{ contains: 'x', label: 5 }] });
    expect(badLabel.status).toBe(400);
    await local.client.security.set([{ contains: 'x', suggest: 'risky', label: 20002 }]);
    expect((await local.client.security.list()).rules).toHaveLength(1);
    await local.client.control('POST', '/_emu/reset');
    expect((await local.client.security.list()).rules).toEqual([]);
  });

  it('a timeout or busy fault on the API reaches the caller like any open API fault', async () => {
    await local.client.faults.add('security.msgSecCheck', { errCode: -1, errMsg: 'system error' });
    expect((await rejection(v2('hi'))).errCode).toBe(-1);
  });
});
