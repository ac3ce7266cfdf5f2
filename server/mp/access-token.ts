import { DuetError } from '../../core/errors';
import type { Lease } from '../../core/lease';
import { wechatError } from '../../core/wechat-errors';
import { clockFrom, elapsedMs } from '../clock';
import { requestJson } from '../http-client';
import { log } from '../log';
import type { MpConfig } from './config';
import { readToken, releaseTokenRefreshLease, storeToken, takeTokenRefreshLease, type TokenDoc } from './token-repository';

/** Refresh this long before the token expires, so no call carries a token about to die. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** A refresh lease older than this belongs to an instance that died mid-refresh. */
const LEASE_MS = 10_000;
/** How long an instance waits for another instance's refresh before giving up. */
const WAIT_MS = 3000;
const POLL_MS = 150;

/**
 * The 公众号 access token, shared by every instance through `mp_tokens` (`_id` = appid): fetching
 * a new token invalidates the previous one, so instances must not each fetch their own. One
 * instance refreshes under a lease (an insert-once document); the others keep using the current
 * token while it still works, or wait briefly for the new one.
 *
 * `invalid`: a token WeChat just refused (40001/42001). It is replaced only if it is still the
 * stored one — when another instance already replaced it, its token is used instead.
 */
export async function accessToken(config: MpConfig, now: Date, invalid?: string): Promise<string> {
  const started = performance.now();
  const clock = clockFrom(now);
  for (;;) {
    const stored = await readToken(config.appid);
    if (isFresh(stored, invalid, clock())) return stored?.token as string;
    const lease = await takeTokenRefreshLease(config.appid, clock(), LEASE_MS);
    if (lease) {
      try {
        const again = await readToken(config.appid);
        if (isFresh(again, invalid, clock())) return again?.token as string;
        return await fetchAndStore(config, lease, clock);
      } finally {
        // Already released when the token was stored; this covers a failed fetch.
        await releaseTokenRefreshLease(config.appid, lease);
      }
    }
    // Someone else is refreshing: a token that has not expired (only near expiry) still works.
    if (stored?.token && stored.token !== invalid && new Date(stored.expiresAt ?? 0).getTime() > clock().getTime()) return stored.token;
    if (elapsedMs(started) > WAIT_MS) {
      throw new DuetError('UNAVAILABLE', `no 公众号 access token after ${WAIT_MS} ms: another instance holds the refresh lease`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function isFresh(doc: TokenDoc | null, invalid: string | undefined, now: Date): boolean {
  return Boolean(doc?.token && doc.token !== invalid && new Date(doc.expiresAt ?? 0).getTime() - REFRESH_MARGIN_MS > now.getTime());
}

async function fetchAndStore(config: MpConfig, lease: Lease, clock: () => Date): Promise<string> {
  const answer = await requestJson<{ access_token?: string; expires_in?: number; errcode?: number; errmsg?: string }>({
    method: 'GET',
    url: `${config.apiBase}/cgi-bin/token`,
    query: { grant_type: 'client_credential', appid: config.appid, secret: config.secret },
  });
  if (!answer.access_token) {
    const rule = wechatError(typeof answer.errcode === 'number' ? answer.errcode : -1);
    throw new DuetError(
      rule.code,
      `cgi-bin/token refused: ${answer.errcode} ${answer.errmsg} (${rule.reason}; check DUET_MP_APPID, DUET_MP_SECRET and the IP whitelist)`,
    );
  }
  const now = clock();
  const expiresAt = new Date(now.getTime() + Number(answer.expires_in ?? 7200) * 1000);
  await storeToken(config.appid, lease, answer.access_token, expiresAt, now);
  log('info', { event: 'mp.token.refreshed', appid: config.appid, expiresAt: expiresAt.toISOString() });
  return answer.access_token;
}
