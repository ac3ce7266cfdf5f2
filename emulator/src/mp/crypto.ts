import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { MpEncryptMode, MpOptions } from '../context';

/**
 * WeChat's message encryption (消息加解密) for 兼容模式 and 安全模式, as pure functions:
 * AES-256-CBC with the key and IV taken from the EncodingAESKey, WeChat's own padding, and the
 * msg_signature over the ciphertext. Written from WeChat's description, not shared with the
 * product, so that the two sides can disagree when one of them is wrong.
 */

export const ENCRYPT_MODES: readonly MpEncryptMode[] = ['plain', 'compat', 'safe'];

/** WeChat pads to 32 bytes, twice the AES block, so Node's own PKCS#7 (to 16) cannot be used. */
export const PAD_BLOCK = 32;
const RANDOM_BYTES = 16;
const LENGTH_BYTES = 4;
const AES_BLOCK = 16;

/** Why this is not a usable EncodingAESKey, or undefined when it is. */
export function encodingAesKeyProblem(encodingAesKey: unknown): string | undefined {
  if (typeof encodingAesKey !== 'string') return 'the EncodingAESKey must be a string';
  if (!/^[A-Za-z0-9]{43}$/.test(encodingAesKey)) {
    return `the EncodingAESKey must be 43 characters of A-Z, a-z, 0-9 (got ${encodingAesKey.length} characters${
      /[^A-Za-z0-9]/.test(encodingAesKey) ? ', some of them outside A-Z, a-z, 0-9' : ''
    })`;
  }
  return undefined;
}

/** The 32-byte AES key: Base64 of the EncodingAESKey with the one `=` WeChat leaves off. */
export function aesKeyOf(encodingAesKey: string): Buffer {
  const problem = encodingAesKeyProblem(encodingAesKey);
  if (problem) throw new Error(problem);
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

export function pad(data: Buffer): Buffer {
  const count = PAD_BLOCK - (data.length % PAD_BLOCK);
  return Buffer.concat([data, Buffer.alloc(count, count)]);
}

/**
 * Accepts any pad of 1..32 equal bytes (a peer padding to 16 is still read, as WeChat's samples
 * do), but checks every pad byte: a wrong key must surface as an error, not as garbage text.
 */
export function unpad(data: Buffer): Buffer {
  const count = data.at(-1) ?? 0;
  if (count < 1 || count > PAD_BLOCK || count > data.length) throw new Error(`bad padding (last byte ${count})`);
  for (let i = data.length - count; i < data.length; i += 1) {
    if (data[i] !== count) throw new Error(`bad padding (${count} bytes of ${count} expected)`);
  }
  return data.subarray(0, data.length - count);
}

/** Base64 of AES-256-CBC(random(16) + msg_len (uint32 BE) + msg + appid), padded to 32. */
export function encryptMessage(encodingAesKey: string, appid: string, xml: string, random: Buffer = randomBytes(RANDOM_BYTES)): string {
  if (random.length !== RANDOM_BYTES) throw new Error(`the random prefix must be ${RANDOM_BYTES} bytes`);
  const key = aesKeyOf(encodingAesKey);
  const message = Buffer.from(xml, 'utf8');
  const length = Buffer.alloc(LENGTH_BYTES);
  length.writeUInt32BE(message.length);
  const plain = pad(Buffer.concat([random, length, message, Buffer.from(appid, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The message and the appid inside an `Encrypt` value. Throws on anything that is not a
 * well-formed ciphertext under this key; whether the appid is the right one is the caller's check.
 */
export function decryptMessage(encodingAesKey: string, encrypt: string): { xml: string; appid: string } {
  const key = aesKeyOf(encodingAesKey);
  // Buffer.from skips characters outside the alphabet; a mangled value must not decrypt "fine".
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encrypt) || encrypt.length % 4 !== 0) throw new Error('the ciphertext is not Base64');
  const data = Buffer.from(encrypt, 'base64');
  if (data.length === 0 || data.length % AES_BLOCK !== 0) throw new Error(`the ciphertext is ${data.length} bytes, not whole AES blocks`);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = unpad(Buffer.concat([decipher.update(data), decipher.final()]));
  if (plain.length < RANDOM_BYTES + LENGTH_BYTES) throw new Error('the plaintext is shorter than its header');
  const length = plain.readUInt32BE(RANDOM_BYTES);
  const start = RANDOM_BYTES + LENGTH_BYTES;
  if (length > plain.length - start) throw new Error(`msg_len ${length} exceeds the ${plain.length - start} bytes that follow it`);
  try {
    return {
      xml: utf8.decode(plain.subarray(start, start + length)),
      appid: utf8.decode(plain.subarray(start + length)),
    };
  } catch {
    throw new Error('the plaintext is not UTF-8');
  }
}

/** sha1 of the four values sorted by code unit (not locale) and concatenated. */
export function msgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join(''), 'utf8').digest('hex');
}

/** Refuses, at start, a configuration WeChat's console would not accept. */
export function checkMpEncryption(mp: Pick<MpOptions, 'aesKey' | 'mode'>): void {
  const mode = mp.mode ?? 'plain';
  if (!ENCRYPT_MODES.includes(mode)) {
    throw new Error(`the 公众号 encryption mode (DUET_MP_ENCRYPT_MODE) must be one of ${ENCRYPT_MODES.join(', ')}, not "${mode}"`);
  }
  if (mp.aesKey !== undefined) {
    const problem = encodingAesKeyProblem(mp.aesKey);
    if (problem) throw new Error(`bad 公众号 EncodingAESKey (DUET_MP_AES_KEY): ${problem}`);
  }
  if (mode !== 'plain' && mp.aesKey === undefined) {
    throw new Error(`the 公众号 encryption mode "${mode}" needs an EncodingAESKey: set DUET_MP_AES_KEY (43 characters of A-Z, a-z, 0-9)`);
  }
}
