import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureOf, verifySignature } from './verify-signature';

const sign = (token: string, timestamp: string, nonce: string) =>
  createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');

describe('verifySignature', () => {
  const now = 1_700_000_000_000;
  const timestamp = String(now / 1000);
  it('matches sha1 of the sorted, concatenated values', () => {
    expect(signatureOf('duettoken', timestamp, '12345')).toBe(sign('duettoken', timestamp, '12345'));
  });
  it('accepts a good signature, refuses a bad, missing or stale one', () => {
    const signature = sign('duettoken', timestamp, '12345');
    expect(verifySignature({ signature, timestamp, nonce: '12345' }, 'duettoken', now)).toEqual({ ok: true });
    expect(verifySignature({ signature: signature.toUpperCase(), timestamp, nonce: '12345' }, 'duettoken', now).ok).toBe(true);
    expect(verifySignature({ signature, timestamp, nonce: '12346' }, 'duettoken', now).ok).toBe(false);
    expect(verifySignature({ signature, timestamp, nonce: '12345' }, 'othertoken', now).ok).toBe(false);
    expect(verifySignature({ timestamp, nonce: '12345' }, 'duettoken', now)).toMatchObject({ ok: false, reason: 'query lacks signature' });
    expect(verifySignature({ signature: 'short', timestamp, nonce: '12345' }, 'duettoken', now).ok).toBe(false);
    const old = String(now / 1000 - 600);
    expect(verifySignature({ signature: sign('duettoken', old, '1'), timestamp: old, nonce: '1' }, 'duettoken', now).ok).toBe(false);
  });
});
