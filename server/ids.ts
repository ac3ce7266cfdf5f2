import { createHash, randomBytes } from 'node:crypto';

/** A 32-hex-character id, shaped like the cloud database's own generated ids. */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * What an app's retry key makes for its owner: the sha256 (hex) of the owner and the request id, so a
 * retried request finds what the first one made (an order, an exchange, an operator's refund).
 */
export function requestDigest(owner: string, requestId: string): string {
  return createHash('sha256').update(`${owner}\u0000${requestId}`).digest('hex');
}
