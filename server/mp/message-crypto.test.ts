import { createCipheriv, createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aesKeyOf, decryptMessage, encryptedReply, encryptMessage, MessageCryptoError, msgSignature } from './message-crypto';

const ENCODING_AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const key = aesKeyOf(ENCODING_AES_KEY);

/** WeChat's format written out by hand (not through encryptMessage), with fixed random bytes. */
function byHand(xml: string, appid: string, random: Buffer): string {
  const msg = Buffer.from(xml, 'utf8');
  const len = Buffer.from([(msg.length >>> 24) & 255, (msg.length >>> 16) & 255, (msg.length >>> 8) & 255, msg.length & 255]);
  const plain = Buffer.concat([random, len, msg, Buffer.from(appid)]);
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

describe('message crypto (安全模式)', () => {
  it('decrypts a message built by hand from the spec, and encrypts to the same bytes', () => {
    const random = Buffer.from('0123456789abcdef');
    const xml = '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Content><![CDATA[你好]]></Content></xml>';
    const cipher = byHand(xml, 'wxd0e7000000000002', random);
    expect(decryptMessage(key, cipher)).toEqual({ xml, appid: 'wxd0e7000000000002' });
    expect(encryptMessage(key, 'wxd0e7000000000002', xml, random)).toBe(cipher);
    // Padded to 32-byte blocks, not 16.
    expect(Buffer.from(cipher, 'base64').length % 32).toBe(0);
  });

  it('round-trips any message and appid', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), fc.stringMatching(/^wx[0-9a-f]{16}$/), (xml, appid) => {
        expect(decryptMessage(key, encryptMessage(key, appid, xml))).toEqual({ xml, appid });
      }),
    );
  });

  it('refuses a wrong key, a corrupted ciphertext and a bad EncodingAESKey as errors, never garbage', () => {
    const cipher = encryptMessage(key, 'wx1', '<xml/>');
    const other = aesKeyOf('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg');
    expect(() => decryptMessage(other, cipher)).toThrow(MessageCryptoError);
    expect(() => decryptMessage(key, `${cipher.slice(0, -8)}AAAAAAA=`)).toThrow(MessageCryptoError);
    expect(() => decryptMessage(key, 'not base64 at all')).toThrow(MessageCryptoError);
    expect(() => aesKeyOf('short')).toThrow(/43 letters or digits/);
  });

  it('signs sha1 of the sorted token, timestamp, nonce and ciphertext', () => {
    const expected = createHash('sha1').update(['tok', '1700000000', 'n1', 'CIPHER'].sort().join('')).digest('hex');
    expect(msgSignature('tok', '1700000000', 'n1', 'CIPHER')).toBe(expected);
  });

  it('builds a reply whose signature and content WeChat can check', () => {
    const reply = encryptedReply(key, 'tok', 'wx1', '<xml><Content>hi</Content></xml>', '1700000000', 'n2');
    const encrypt = /<Encrypt><!\[CDATA\[(.+?)\]\]><\/Encrypt>/.exec(reply)?.[1] as string;
    const signature = /<MsgSignature><!\[CDATA\[(.+?)\]\]><\/MsgSignature>/.exec(reply)?.[1];
    expect(signature).toBe(msgSignature('tok', '1700000000', 'n2', encrypt));
    expect(decryptMessage(key, encrypt)).toEqual({ xml: '<xml><Content>hi</Content></xml>', appid: 'wx1' });
  });
});
