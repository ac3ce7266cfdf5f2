import { createHash, timingSafeEqual } from 'node:crypto';
import { checkTimestamp, missingSignatureParam, signatureBase } from '../../core/mp/signature';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function signatureOf(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1')
    .update(signatureBase(token, timestamp, nonce), 'utf8')
    .digest('hex');
}

/**
 * WeChat's signature over the query (`signature`, `timestamp`, `nonce`), plus freshness of the
 * timestamp: a captured request replayed later is refused even with its valid signature.
 */
export function verifySignature(query: Record<string, string | undefined>, token: string, nowMs: number): SignatureCheck {
  const missing = missingSignatureParam(query);
  if (missing) return { ok: false, reason: `query lacks ${missing}` };
  const { signature, timestamp, nonce } = query as Record<'signature' | 'timestamp' | 'nonce', string>;
  const expected = Buffer.from(signatureOf(token, timestamp, nonce), 'utf8');
  const given = Buffer.from(signature.toLowerCase(), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature does not match' };
  return checkTimestamp(timestamp, nowMs);
}
