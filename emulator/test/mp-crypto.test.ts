import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { functionEnv } from '../src/context';
import { resolveOptions, startEmulator } from '../src/index';
import { aesKeyOf, checkMpEncryption, decryptMessage, encryptMessage, msgSignature } from '../src/mp/crypto';
import { buildEncryptedPushXml } from '../src/mp/push';

const KEY = 'duetLocalAesKey0123456789abcdefghijklmnopqr';
const APPID = 'wxd0e7000000000002';

/** The AES step alone, with no padding of Node's: what the spec says, spelled out here. */
function rawAes(direction: 'encrypt' | 'decrypt', encodingAesKey: string, data: Buffer): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  const cipher =
    direction === 'encrypt'
      ? createCipheriv('aes-256-cbc', key, key.subarray(0, 16))
      : createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** random + uint32 BE length + msg + appid, before padding. */
function frame(random: Buffer, msg: Buffer, appid: string): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(msg.length);
  return Buffer.concat([random, length, msg, Buffer.from(appid)]);
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

describe('WeChat message encryption: vectors', () => {
  it('matches the vector of WeChat\'s own sample code (WXBizMsgCryptTest: fixed random "aaaabbbbccccdddd")', () => {
    const key = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    const published = 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==';
    expect(encryptMessage(key, 'wxb11529c136998cb6', '我是中文abcd123', Buffer.from('aaaabbbbccccdddd'))).toBe(published);
    expect(decryptMessage(key, published)).toEqual({ xml: '我是中文abcd123', appid: 'wxb11529c136998cb6' });
  });

  it("reads the compat-mode push of WeChat's Python sample, msg_signature included", () => {
    const key = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    const encrypt =
      'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=';
    expect(msgSignature('spamtest', '1409735669', '1320562132', encrypt)).toBe('5d197aaffba7e9b25a30732f161a50dee96bd5fa');
    const { xml, appid } = decryptMessage(key, encrypt);
    expect(appid).toBe('wx2c2769f8efd9abc2');
    expect(xml).toContain('<Content><![CDATA[abcdteT]]></Content>');
    expect(xml).toContain('<MsgId>6054768590064713728</MsgId>');
  });

  it('matches a vector built by hand from the spec', () => {
    const random = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const msg = '<xml><Content><![CDATA[你好]]></Content></xml>';
    const framed = frame(random, Buffer.from(msg), APPID);
    const padCount = 32 - (framed.length % 32);
    const expected = rawAes('encrypt', KEY, Buffer.concat([framed, Buffer.alloc(padCount, padCount)])).toString('base64');
    expect(encryptMessage(KEY, APPID, msg, random)).toBe(expected);
    expect(decryptMessage(KEY, expected)).toEqual({ xml: msg, appid: APPID });
  });

  it('round-trips any message, with a fresh random prefix each time', () => {
    const msg = '<xml><Content><![CDATA[😀 é ]]]]><![CDATA[> 中文]]></Content></xml>';
    const first = encryptMessage(KEY, APPID, msg);
    const second = encryptMessage(KEY, APPID, msg);
    expect(first).not.toBe(second);
    expect(decryptMessage(KEY, first)).toEqual({ xml: msg, appid: APPID });
    expect(decryptMessage(KEY, second)).toEqual({ xml: msg, appid: APPID });
    expect(decryptMessage(KEY, encryptMessage(KEY, APPID, ''))).toEqual({ xml: '', appid: APPID });
  });

  it('decodes the EncodingAESKey as Base64 with the missing "=", and the IV is its first 16 bytes', () => {
    const key = aesKeyOf(KEY);
    expect(key).toHaveLength(32);
    expect(key.equals(Buffer.from(`${KEY}=`, 'base64'))).toBe(true);
  });
});

describe('WeChat message encryption: padding to 32', () => {
  it('pads every length to a multiple of 32 with n bytes of n, a whole 32 when already aligned', () => {
    const random = Buffer.alloc(16, 7);
    const seen = new Set<number>();
    for (let size = 0; size <= 70; size += 1) {
      const msg = 'x'.repeat(size);
      const plain = rawAes('decrypt', KEY, Buffer.from(encryptMessage(KEY, APPID, msg, random), 'base64'));
      const unpadded = 16 + 4 + size + APPID.length;
      const expectedPad = 32 - (unpadded % 32);
      expect(plain.length % 32, `size ${size}`).toBe(0);
      expect(plain.length - unpadded, `size ${size}`).toBe(expectedPad);
      expect(
        [...plain.subarray(unpadded)].every((byte) => byte === expectedPad),
        `size ${size}`,
      ).toBe(true);
      seen.add(expectedPad);
    }
    // Node's PKCS#7 pads to 16 (1..16 bytes): only pads above 16, up to a whole 32, show the block is 32.
    expect(seen.has(32)).toBe(true);
    expect(seen.has(17)).toBe(true);
  });

  it('still reads a peer that padded to 16 (pad values 1..32 are accepted)', () => {
    const framed = frame(Buffer.alloc(16, 1), Buffer.from('<xml/>'), APPID);
    const key = Buffer.from(`${KEY}=`, 'base64');
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)); // Node's padding: to 16
    const sixteen = Buffer.concat([cipher.update(framed), cipher.final()]);
    expect(sixteen.length % 32).not.toBe(0);
    expect(decryptMessage(KEY, sixteen.toString('base64'))).toEqual({ xml: '<xml/>', appid: APPID });
  });
});

describe('WeChat message encryption: refusals', () => {
  const good = encryptMessage(KEY, APPID, '<xml><Content><![CDATA[hello]]></Content></xml>', Buffer.alloc(16, 3));

  it('refuses a wrong key instead of answering garbage', () => {
    expect(() => decryptMessage('ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut', good)).toThrow(/padding|msg_len|UTF-8/);
  });

  it('refuses corrupted, truncated and non-Base64 ciphertext', () => {
    const bytes = Buffer.from(good, 'base64');
    const lastBlockFlipped = Buffer.from(bytes);
    lastBlockFlipped[lastBlockFlipped.length - 1] ^= 0x55;
    expect(() => decryptMessage(KEY, lastBlockFlipped.toString('base64'))).toThrow(/padding/);
    expect(() => decryptMessage(KEY, bytes.subarray(0, bytes.length - 3).toString('base64'))).toThrow(/not whole AES blocks/);
    expect(() => decryptMessage(KEY, '')).toThrow(/not whole AES blocks/);
    expect(() => decryptMessage(KEY, `${good.slice(0, 8)}*${good.slice(9)}`)).toThrow(/not Base64/);
  });

  it('refuses a pad value outside 1..32, unequal pad bytes, and a msg_len beyond the data', () => {
    const framed = frame(Buffer.alloc(16), Buffer.from('<xml/>'), APPID); // 44 bytes
    const sealed = (plain: Buffer) => rawAes('encrypt', KEY, plain).toString('base64');
    expect(() => decryptMessage(KEY, sealed(Buffer.concat([framed, Buffer.alloc(20, 0)])))).toThrow(/bad padding/);
    expect(() => decryptMessage(KEY, sealed(Buffer.concat([framed, Buffer.alloc(52, 52)])))).toThrow(/bad padding/);
    const uneven = Buffer.concat([framed, Buffer.alloc(20, 20)]);
    uneven[framed.length] = 19;
    expect(() => decryptMessage(KEY, sealed(uneven))).toThrow(/bad padding/);
    const tooLong = Buffer.from(framed);
    tooLong.writeUInt32BE(1000, 16);
    expect(() => decryptMessage(KEY, sealed(Buffer.concat([tooLong, Buffer.alloc(20, 20)])))).toThrow(/msg_len 1000/);
  });

  it('refuses an EncodingAESKey that is not 43 characters of A-Z, a-z, 0-9', () => {
    expect(() => encryptMessage(KEY.slice(1), APPID, '<xml/>')).toThrow(/43 characters/);
    expect(() => decryptMessage(`${KEY.slice(1)}+`, good)).toThrow(/outside A-Z, a-z, 0-9/);
  });
});

describe('msg_signature', () => {
  it('is sha1 of token, timestamp, nonce and Encrypt sorted by code unit, whatever order they come in', () => {
    // "B" (0x42) sorts before "a" (0x61) by code unit; a locale sort would put "a" first.
    expect(msgSignature('a', '2', '1', 'B+/=')).toBe(sha1('12B+/=a'));
    expect(msgSignature('B+/=', '1', 'a', '2')).toBe(sha1('12B+/=a'));
    expect(msgSignature('a', '2', '1', 'B+/=')).not.toBe(sha1('a21B+/='));
    expect(msgSignature('token', '1700000000', '42', 'zzz')).toBe(sha1(['token', '1700000000', '42', 'zzz'].sort().join('')));
  });
});

describe('the encrypted push body', () => {
  const plain = '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Content><![CDATA[hi]]></Content></xml>';

  it('carries only the 公众号 id and Encrypt in safe mode, both the fields and Encrypt (last) in compat mode', () => {
    expect(buildEncryptedPushXml('safe', plain, 'gh_1', 'QUJD')).toBe(
      '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[QUJD]]></Encrypt></xml>',
    );
    expect(buildEncryptedPushXml('compat', plain, 'gh_1', 'QUJD')).toBe(
      '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Content><![CDATA[hi]]></Content><Encrypt><![CDATA[QUJD]]></Encrypt></xml>',
    );
  });
});

describe('encryption options', () => {
  const mp = { appid: APPID, secret: 's', token: 't' };

  it('accepts plain without a key, and compat or safe with one', () => {
    expect(() => checkMpEncryption({})).not.toThrow();
    expect(() => checkMpEncryption({ aesKey: KEY, mode: 'safe' })).not.toThrow();
    expect(() => checkMpEncryption({ aesKey: KEY, mode: 'compat' })).not.toThrow();
  });

  it('refuses to start with a bad key, an unknown mode, or an encrypted mode without a key', async () => {
    const start = (extra: Record<string, unknown>) =>
      startEmulator({ port: 0, ephemeral: true, quiet: true, triggers: false, mp: { ...mp, ...extra } });
    await expect(start({ aesKey: 'short' })).rejects.toThrow(
      'bad 公众号 EncodingAESKey (DUET_MP_AES_KEY): the EncodingAESKey must be 43 characters of A-Z, a-z, 0-9 (got 5 characters)',
    );
    await expect(start({ aesKey: `${KEY.slice(1)}_` })).rejects.toThrow('some of them outside A-Z, a-z, 0-9');
    await expect(start({ mode: 'safe' })).rejects.toThrow('the 公众号 encryption mode "safe" needs an EncodingAESKey: set DUET_MP_AES_KEY');
    await expect(start({ aesKey: KEY, mode: 'secure' })).rejects.toThrow(
      'the 公众号 encryption mode (DUET_MP_ENCRYPT_MODE) must be one of plain, compat, safe, not "secure"',
    );
  });

  it('reads DUET_MP_AES_KEY and DUET_MP_ENCRYPT_MODE, an empty one meaning unset', () => {
    const saved = { key: process.env.DUET_MP_AES_KEY, mode: process.env.DUET_MP_ENCRYPT_MODE };
    try {
      process.env.DUET_MP_AES_KEY = KEY;
      process.env.DUET_MP_ENCRYPT_MODE = 'compat';
      expect(resolveOptions().mp).toMatchObject({ aesKey: KEY, mode: 'compat' });
      process.env.DUET_MP_AES_KEY = '';
      process.env.DUET_MP_ENCRYPT_MODE = '';
      expect(resolveOptions().mp.aesKey).toBeUndefined();
      expect(resolveOptions().mp.mode).toBeUndefined();
    } finally {
      for (const [name, value] of [
        ['DUET_MP_AES_KEY', saved.key],
        ['DUET_MP_ENCRYPT_MODE', saved.mode],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('gives functions DUET_MP_AES_KEY only when a key is set', () => {
    const options = resolveOptions({ mp });
    expect(functionEnv({ options, baseUrl: 'http://x' })).not.toHaveProperty('DUET_MP_AES_KEY');
    const keyed = resolveOptions({ mp: { ...mp, aesKey: KEY } });
    expect(functionEnv({ options: keyed, baseUrl: 'http://x' }).DUET_MP_AES_KEY).toBe(KEY);
  });
});
