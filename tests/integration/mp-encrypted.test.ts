import { describe, expect, it } from 'vitest';
import { ghIdFor, randomNonce, signatureOf } from '../../emulator/src/mp/push';
import { useCloud } from '../support/cloud';

const AES_KEY = 'duetLocalAesKey0123456789abcdefghijklmnopqr'.slice(0, 43);
const MP = { appid: 'wxd0e7000000000002', secret: 'duet-local-mp-secret', token: 'duetlocaltoken', aesKey: AES_KEY, mode: 'safe' as const };

/**
 * 安全模式 through the real gateway: the 公众号 fake encrypts pushes with its own implementation of
 * WeChat's algorithm (emulator/src/mp/crypto.ts) and checks the gateway's encrypted replies.
 */
describe('mpGateway in 安全模式 / 兼容模式 (DUET_MP_AES_KEY)', () => {
  const cloud = useCloud({ mp: MP });
  const push = (body: Record<string, unknown>) => cloud.control<any>('POST', '/_emu/mp/push', body);
  const count = async (collection: string, where: Record<string, unknown> = {}) =>
    (await cloud.db().collection(collection).where(where).count()).total as number;

  it('handles an encrypted push and answers an encrypted passive reply WeChat can verify', async () => {
    await cloud
      .db()
      .collection('keyword_replies')
      .add({ data: { _id: 'r1', keyword: '你好', match: 'exact', priority: 0, reply: { type: 'text', content: '欢迎光临' } } });
    for (const mode of ['safe', 'compat'] as const) {
      const answered = await push({ persona: 'alice', type: 'text', content: '你好', mode });
      expect(answered.query.encrypt_type).toBe('aes');
      expect(answered.replyEncryption).toMatchObject({ encrypted: true });
      expect(answered.replyEncryption.error).toBeUndefined();
      expect(answered.reply.Content).toBe('欢迎光临');
    }
    const click = await push({ persona: 'alice', type: 'CLICK', eventKey: 'MENU_HELLO' });
    expect(click.response).toMatchObject({ statusCode: 200, body: 'success' });
    expect(await count('events', { kind: 'mp_click' })).toBe(1);
  });

  it('refuses a plaintext push and a bad msg_signature once an AES key is set, writing nothing', async () => {
    const plain = await push({ persona: 'alice', type: 'CLICK', eventKey: 'MENU_HELLO', mode: 'plain' });
    expect(plain.response.statusCode).toBe(401);
    const forged = await push({ persona: 'alice', type: 'CLICK', eventKey: 'MENU_HELLO', tamper: 'msg_signature' });
    expect(forged.response.statusCode).toBe(401);
    // A query signed with the token but an <Encrypt> the token does not sign.
    const t = Math.floor(Date.parse((await cloud.control<{ now: string }>('GET', '/_emu/clock')).now) / 1000);
    const nonce = randomNonce();
    const query = new URLSearchParams({
      signature: signatureOf(MP.token, String(t), nonce),
      timestamp: String(t),
      nonce,
      encrypt_type: 'aes',
      msg_signature: 'f'.repeat(40),
    });
    const body = `<xml><ToUserName><![CDATA[${ghIdFor(MP.appid)}]]></ToUserName><Encrypt><![CDATA[AAAA]]></Encrypt></xml>`;
    const response = await fetch(`${cloud.url}/_emu/http/mpGateway?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body,
    });
    expect(response.status).toBe(401);
    expect(await count('mp_pushes_seen')).toBe(0);
    expect(await count('events')).toBe(0);
  });
});
