import { randomBytes } from 'node:crypto';

/** A 32-hex-character id, shaped like the cloud database's own generated ids. */
export function newId(): string {
  return randomBytes(16).toString('hex');
}
