import { createHash } from 'node:crypto';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, insertOnce } from '../documents';

/**
 * `mp_nonces`: every signed (timestamp, nonce) pair the gateway accepted, with a hash of its body,
 * for as long as the timestamp is fresh. In plaintext mode WeChat's signature does not cover the
 * body: remembering the pair is what stops a captured query from carrying another body.
 */
const MP_NONCES = COLLECTIONS.mpNonces;

interface NonceDoc {
  _id: string;
  bodyHash: string;
  expiresAt: Date;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** `new`: first sight; `same`: WeChat's own retry (same body); `forged`: another body under a used pair. */
export async function rememberNonce(timestamp: string, nonce: string, body: string, expiresAt: Date): Promise<'new' | 'same' | 'forged'> {
  const doc: NonceDoc = { _id: `n:${timestamp}:${sha256(nonce).slice(0, 40)}`, bodyHash: sha256(body), expiresAt };
  if (await insertOnce(MP_NONCES, doc)) return 'new';
  const seen = await findById<NonceDoc>(MP_NONCES, doc._id);
  return seen && seen.bodyHash === doc.bodyHash ? 'same' : 'forged';
}

/** Forgets pairs whose timestamp is no longer accepted anyway. Returns how many went. */
export async function removeExpiredNonces(now: Date): Promise<number> {
  const _ = database().command;
  const result = (await database()
    .collection(MP_NONCES)
    .where({ expiresAt: _.lt(now) })
    .remove()) as { stats?: { removed?: number } };
  return result.stats?.removed ?? 0;
}
