import { createDecipheriv, createHash } from 'node:crypto';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { PushAnswer, PushRequest } from '../src/client';
import { useTestCloud } from './support';

const KEY = 'duetLocalAesKey0123456789abcdefghijklmnopqr';
const MP = { appid: 'wxd0e7000000000002', secret: 'duet-local-mp-secret', token: 'duetlocaltoken', aesKey: KEY };
const functionsDir = path.join(import.meta.dirname, 'fixtures/mp-aes-functions');

const parser = new XMLParser({ parseTagValue: false });
const fields = (xml: string) => parser.parse(xml).xml as Record<string, string>;
const sha1 = (parts: string[]) => createHash('sha1').update(parts.sort().join('')).digest('hex');

/** The test's own reading of a push, so that the route is not checked with its own crypto. */
function open(encrypt: string): { xml: string; appid: string } {
  const key = Buffer.from(`${KEY}=`, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(Buffer.from(encrypt, 'base64')), decipher.final()]);
  expect(plain.length % 32).toBe(0);
  const body = plain.subarray(0, plain.length - plain[plain.length - 1]);
  const length = body.readUInt32BE(16);
  return { xml: body.subarray(20, 20 + length).toString(), appid: body.subarray(20 + length).toString() };
}

function expectSignedEncrypted(answer: PushAnswer) {
  const { signature, timestamp, nonce, msg_signature, encrypt_type } = answer.query;
  const encrypt = fields(answer.body).Encrypt;
  expect(encrypt_type).toBe('aes');
  expect(signature).toBe(sha1([MP.token, timestamp, nonce]));
  expect(msg_signature).toBe(sha1([MP.token, timestamp, nonce, encrypt]));
  expect(open(encrypt)).toEqual({ xml: answer.xml, appid: MP.appid });
}

describe('encrypted pushes (a local cloud with an EncodingAESKey, plain by default)', () => {
  const cloud = useTestCloud({ functionsDir, mp: MP });
  const push = (body: PushRequest) => cloud.client.mp.push(body);

  it('sends plain by default: no Encrypt, no encrypt_type, a plaintext reply as before', async () => {
    const answer = await push({ persona: 'alice', type: 'text', content: '你好' });
    expect(answer.mode).toBe('plain');
    expect(answer.body).toBe(answer.xml);
    expect(answer.query).not.toHaveProperty('encrypt_type');
    expect(answer.query).not.toHaveProperty('msg_signature');
    expect(fields(answer.body).Encrypt).toBeUndefined();
    expect(answer.reply).toMatchObject({ MsgType: 'text', Content: 'echo: 你好 (plaintext)' });
    expect(answer.replyEncryption).toBeUndefined();
  });

  it('safe mode: only ToUserName and Encrypt, both signatures, and the encrypted reply decrypted and verified', async () => {
    const answer = await push({ persona: 'alice', type: 'text', content: '你好 <&> ]]>', mode: 'safe' });
    expect(answer.mode).toBe('safe');
    expect(Object.keys(fields(answer.body))).toEqual(['ToUserName', 'Encrypt']);
    expect(fields(answer.body).ToUserName).toBe(fields(answer.xml).ToUserName);
    expectSignedEncrypted(answer);
    expect(fields(answer.xml)).toMatchObject({ MsgType: 'text', Content: '你好 <&> ]]>', FromUserName: 'o-mp-alice' });

    // The gateway decrypted it by itself and answered an envelope, which the route opened.
    expect(answer.response.statusCode).toBe(200);
    expect(Object.keys(fields(answer.response.body)).sort()).toEqual(['Encrypt', 'MsgSignature', 'Nonce', 'TimeStamp']);
    expect(answer.reply).toMatchObject({ ToUserName: 'o-mp-alice', MsgType: 'text', Content: 'echo: 你好 <&> ]]> (decrypted)' });
    expect(answer.replyEncryption).toEqual({ encrypted: true, xml: expect.stringMatching(/^<xml><ToUserName>/) });
    // `reply` is the decrypted XML, parsed: the same reading as a plaintext reply.
    expect(fields((answer.replyEncryption as { xml: string }).xml)).toEqual(answer.reply);
  });

  it('compat mode: the plaintext fields and Encrypt in one body; the gateway may answer either way', async () => {
    const answer = await push({ persona: 'alice', type: 'text', content: 'hi', msgId: '23000000000000000007', mode: 'compat' });
    const body = fields(answer.body);
    expect(body).toMatchObject({ ...fields(answer.xml), Encrypt: expect.any(String) });
    expect(Object.keys(body).at(-1)).toBe('Encrypt');
    expectSignedEncrypted(answer);
    expect(answer.reply?.Content).toBe('echo: hi (decrypted)');
    expect(answer.replyEncryption).toMatchObject({ encrypted: true });

    const plainReply = await push({ persona: 'alice', type: 'text', content: 'plain please', mode: 'compat' });
    expect(plainReply.reply?.Content).toBe('echo: plain please (decrypted)');
    expect(plainReply.replyEncryption).toEqual({ encrypted: false });
  });

  it('safe mode refuses a plaintext XML reply, but "success" and an empty body are no reply in every mode', async () => {
    const plainReply = await push({ persona: 'alice', type: 'text', content: 'plain please', mode: 'safe' });
    expect(plainReply.response.body).toContain('echo: plain please');
    expect(plainReply.reply).toBeUndefined();
    expect(plainReply.replyEncryption).toEqual({
      encrypted: false,
      error: expect.stringContaining('plaintext XML reply to a safe-mode push'),
    });

    for (const mode of ['safe', 'compat'] as const) {
      const click = await push({ persona: 'alice', type: 'CLICK', eventKey: 'MENU', mode });
      expect(click.response).toMatchObject({ statusCode: 200, body: 'success' });
      expect(click.reply).toBeUndefined();
      expect(click.replyEncryption).toBeUndefined();
      const empty = await push({ persona: 'alice', type: 'text', content: 'no reply', mode });
      expect(empty.response).toMatchObject({ statusCode: 200, body: '' });
      expect(empty.replyEncryption).toBeUndefined();
    }
  });

  it('reports an encrypted reply with a bad MsgSignature, the wrong appid or the wrong key, and delivers none of them', async () => {
    const cases: Array<[string, string]> = [
      ['break signature', 'MsgSignature does not match'],
      ['wrong appid', `the appid inside the reply is "wx0000000000000bad", not the 公众号's "${MP.appid}"`],
      ['wrong key', 'Encrypt does not decrypt with the EncodingAESKey'],
    ];
    for (const [content, error] of cases) {
      const answer = await push({ persona: 'alice', type: 'text', content, mode: 'safe' });
      expect(answer.response.statusCode, content).toBe(200);
      expect(answer.reply, content).toBeUndefined();
      expect(answer.replyEncryption, content).toEqual({ encrypted: true, error: expect.stringContaining(error) });
    }
  });

  it('tamper "msg_signature" breaks only msg_signature, and the gateway refuses it', async () => {
    const answer = await push({ persona: 'alice', type: 'text', content: 'x', mode: 'safe', tamper: 'msg_signature' });
    const { timestamp, nonce } = answer.query;
    expect(answer.query.signature).toBe(sha1([MP.token, timestamp, nonce]));
    expect(answer.query.msg_signature).toMatch(/^[0-9a-f]{40}$/);
    expect(answer.query.msg_signature).not.toBe(sha1([MP.token, timestamp, nonce, fields(answer.body).Encrypt]));
    expect(answer.response).toMatchObject({ statusCode: 401, body: 'bad msg_signature' });
    expect(answer.reply).toBeUndefined();

    const signature = await push({ persona: 'alice', type: 'text', content: 'x', mode: 'compat', tamper: 'signature' });
    expect(signature.response).toMatchObject({ statusCode: 401, body: 'bad signature' });
  });

  it('repeats the same encrypted request on every delivery, each reply verified', async () => {
    const answer = await push({ persona: 'alice', type: 'text', content: 'again', mode: 'safe', deliveries: 3 });
    expect(answer.deliveries).toHaveLength(3);
    for (const delivery of answer.deliveries) {
      expect(delivery.reply?.Content).toBe('echo: again (decrypted)');
      expect(delivery.replyEncryption).toMatchObject({ encrypted: true, xml: expect.stringContaining('echo: again') });
    }
    expect((await cloud.client.functions.logs('mpGateway')).logs).toHaveLength(3);
  });

  it('refuses an unknown mode or tamper, and msg_signature tampering of a plain push, changing nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ mode: 'aes' }, '"mode" must be one of plain, compat, safe'],
      [{ tamper: 'everything' }, '"tamper" must be one of signature, stale, msg_signature'],
      [{ tamper: 'msg_signature' }, 'a plain push has no msg_signature to tamper with'],
    ];
    for (const [extra, reason] of cases) {
      const answer = await cloud.client.control('POST', '/_emu/mp/push', { persona: 'alice', type: 'text', content: 'x', ...extra });
      expect(answer.status, reason).toBe(400);
      expect(answer.body.error.message).toContain(reason);
    }
    expect((await cloud.client.functions.logs('mpGateway')).logs).toHaveLength(0);
    expect((await cloud.client.mp.state()).interactions).toEqual({});
  });
});

describe('a local cloud configured in safe mode', () => {
  const cloud = useTestCloud({ functionsDir, mp: { ...MP, mode: 'safe' } });

  it('pushes encrypted without being asked, a push may still ask for plain, and the GET check stays plaintext', async () => {
    const answer = await cloud.client.mp.push({ persona: 'alice', type: 'text', content: 'configured' });
    expect(answer.mode).toBe('safe');
    expect(Object.keys(fields(answer.body))).toEqual(['ToUserName', 'Encrypt']);
    expectSignedEncrypted(answer);
    expect(answer.reply?.Content).toBe('echo: configured (decrypted)');

    const plain = await cloud.client.mp.push({ persona: 'alice', type: 'text', content: 'override', mode: 'plain' });
    expect(plain.query.encrypt_type).toBeUndefined();
    expect(plain.reply?.Content).toBe('echo: override (plaintext)');

    const verify = await cloud.client.mp.verify({ echostr: '8031516498321004' });
    expect(verify).toMatchObject({ echoed: true, response: { statusCode: 200, body: '8031516498321004' } });
    expect(verify.query).not.toHaveProperty('encrypt_type');
  });
});
