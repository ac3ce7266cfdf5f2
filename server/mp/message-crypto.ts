import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * WeChat's message encryption for 安全模式 and 兼容模式 (消息加解密): AES-256-CBC with the key from the
 * 43-character EncodingAESKey, IV = the key's first 16 bytes, PKCS#7 padding to 32 bytes, and a
 * plaintext of 16 random bytes + the message length (4 bytes, big-endian) + the message + the
 * 公众号's appid. `msg_signature` is sha1 of the sorted token, timestamp, nonce and ciphertext.
 */
const BLOCK = 32;

export class MessageCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageCryptoError';
  }
}

/** The 32-byte AES key of an EncodingAESKey (43 characters of A-Z a-z 0-9). */
export function aesKeyOf(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9]{43}$/.test(encodingAesKey)) throw new MessageCryptoError('EncodingAESKey must be 43 letters or digits');
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new MessageCryptoError('EncodingAESKey does not decode to 32 bytes');
  return key;
}

export function msgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join(''), 'utf8').digest('hex');
}

export function msgSignatureMatches(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(String(given ?? '').toLowerCase(), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function decryptMessage(key: Buffer, encrypt: string): { xml: string; appid: string } {
  let padded: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    padded = Buffer.concat([decipher.update(Buffer.from(encrypt, 'base64')), decipher.final()]);
  } catch (error) {
    throw new MessageCryptoError(`ciphertext does not decrypt: ${(error as Error).message}`);
  }
  const pad = padded.length > 0 ? padded[padded.length - 1] : 0;
  if (pad < 1 || pad > BLOCK || pad > padded.length) throw new MessageCryptoError('bad padding');
  const plain = padded.subarray(0, padded.length - pad);
  if (plain.length < 20) throw new MessageCryptoError('message too short');
  const length = plain.readUInt32BE(16);
  if (20 + length > plain.length) throw new MessageCryptoError('message length exceeds the plaintext');
  return { xml: plain.subarray(20, 20 + length).toString('utf8'), appid: plain.subarray(20 + length).toString('utf8') };
}

export function encryptMessage(key: Buffer, appid: string, xml: string, random: Buffer = randomBytes(16)): string {
  const message = Buffer.from(xml, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(message.length, 0);
  const plain = Buffer.concat([random, length, message, Buffer.from(appid, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

/** An encrypted passive reply, as WeChat expects it in 安全模式 / 兼容模式. */
export function encryptedReply(key: Buffer, token: string, appid: string, xml: string, timestamp: string, nonce: string): string {
  const encrypt = encryptMessage(key, appid, xml);
  const signature = msgSignature(token, timestamp, nonce, encrypt);
  return `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt><MsgSignature><![CDATA[${signature}]]></MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`;
}
