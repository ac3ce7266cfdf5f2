import type { Lease } from '../../core/lease';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, insertOnce } from '../documents';
import { releaseLease, takeLease } from '../lease';

/**
 * `mp_tokens`: what every instance shares about the 公众号 — the access token (`_id` = appid, with
 * the refresh lease on it) and the default card thumb (`_id` = `thumb:<appid>`).
 */
const MP_TOKENS = COLLECTIONS.mpTokens;

export interface TokenDoc {
  _id: string;
  token?: string;
  expiresAt?: Date;
  refreshedAt?: Date;
}

export interface ThumbDoc {
  _id: string;
  mediaId: string;
  expiresAt: Date;
}

const thumbId = (appid: string) => `thumb:${appid}`;

export function readToken(appid: string): Promise<TokenDoc | null> {
  return findById<TokenDoc>(MP_TOKENS, appid);
}

/** The refresh lease lives on the token document; the first refresh ever creates it empty. */
export async function takeTokenRefreshLease(appid: string, now: Date, durationMs: number): Promise<Lease | null> {
  await insertOnce(MP_TOKENS, { _id: appid });
  return takeLease(MP_TOKENS, appid, { now, durationMs });
}

/** The new token and the lease's release in one write: no instance sees a released lease with the old token. */
export async function storeToken(appid: string, lease: Lease, token: string, expiresAt: Date, refreshedAt: Date): Promise<void> {
  const stored = await releaseLease(MP_TOKENS, appid, lease, { token, expiresAt, refreshedAt });
  // The lease ran out while WeChat answered: the token is still the newest one issued (WeChat
  // invalidates older ones), so store it anyway.
  if (!stored) await database().collection(MP_TOKENS).doc(appid).update({ data: { token, expiresAt, refreshedAt } });
}

export function releaseTokenRefreshLease(appid: string, lease: Lease): Promise<boolean> {
  return releaseLease(MP_TOKENS, appid, lease);
}

export function readThumb(appid: string): Promise<ThumbDoc | null> {
  return findById<ThumbDoc>(MP_TOKENS, thumbId(appid));
}

export async function storeThumb(appid: string, mediaId: string, expiresAt: Date): Promise<void> {
  await database().collection(MP_TOKENS).doc(thumbId(appid)).set({ data: { mediaId, expiresAt } });
}
