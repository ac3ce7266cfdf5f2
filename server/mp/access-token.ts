import { database } from '../cloud';
import { requestJson } from '../http-client';
import { newId } from '../ids';
import { log } from '../log';
import type { MpConfig } from './config';
import { findById, insertOnce } from '../documents';

export const MP_TOKENS = 'mp_tokens';

/** Refresh this long before the token expires, so no call carries a token about to die. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** A refresh lease older than this belongs to an instance that died mid-refresh. */
const LEASE_MS = 10_000;
/** How long an instance waits for another instance's refresh before giving up. */
const WAIT_MS = 3000;
const POLL_MS = 150;

interface TokenDoc {
  _id: string;
  token: string;
  expiresAt: Date;
  refreshedAt: Date;
}

interface LeaseDoc {
  _id: string;
  holder: string;
  until: Date;
}

const leaseId = (appid: string) => `lease:${appid}`;

/**
 * The 公众号 access token, shared by every instance through `mp_tokens` (`_id` = appid): fetching
 * a new token invalidates the previous one, so instances must not each fetch their own. One
 * instance refreshes under a lease (an insert-once document); the others keep using the current
 * token while it still works, or wait briefly for the new one.
 *
 * `invalid`: a token WeChat just refused (40001/42001). It is replaced only if it is still the
 * stored one — when another instance already replaced it, its token is used instead.
 */
export async function accessToken(config: MpConfig, invalid?: string): Promise<string> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const now = Date.now();
    const stored = await readToken(config.appid);
    if (isFresh(stored, invalid, now)) return (stored as TokenDoc).token;
    const holder = newId();
    if (await acquireLease(config.appid, holder)) {
      try {
        const again = await readToken(config.appid);
        if (isFresh(again, invalid, Date.now())) return (again as TokenDoc).token;
        return await fetchAndStore(config);
      } finally {
        await releaseLease(config.appid, holder);
      }
    }
    // Someone else is refreshing: a token that has not expired (only near expiry) still works.
    if (stored && stored.token !== invalid && new Date(stored.expiresAt).getTime() > now) return stored.token;
    if (Date.now() > deadline) throw new Error(`no 公众号 access token after ${WAIT_MS} ms: another instance holds the refresh lease`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function isFresh(doc: TokenDoc | null, invalid: string | undefined, now: number): boolean {
  return Boolean(doc?.token && doc.token !== invalid && new Date(doc.expiresAt).getTime() - REFRESH_MARGIN_MS > now);
}

async function fetchAndStore(config: MpConfig): Promise<string> {
  const answer = await requestJson<{ access_token?: string; expires_in?: number; errcode?: number; errmsg?: string }>({
    method: 'GET',
    url: `${config.apiBase}/cgi-bin/token`,
    query: { grant_type: 'client_credential', appid: config.appid, secret: config.secret },
  });
  if (!answer.access_token) {
    throw new Error(`cgi-bin/token refused: ${answer.errcode} ${answer.errmsg} (check DUET_MP_APPID, DUET_MP_SECRET and the IP whitelist)`);
  }
  const now = new Date();
  const expiresAt = new Date(now.getTime() + Number(answer.expires_in ?? 7200) * 1000);
  await database()
    .collection(MP_TOKENS)
    .doc(config.appid)
    .set({ data: { token: answer.access_token, expiresAt, refreshedAt: now } });
  log('info', { event: 'mp.token.refreshed', appid: config.appid, expiresAt: expiresAt.toISOString() });
  return answer.access_token;
}

async function readToken(appid: string): Promise<TokenDoc | null> {
  return findById<TokenDoc>(MP_TOKENS, appid);
}

async function acquireLease(appid: string, holder: string): Promise<boolean> {
  const id = leaseId(appid);
  const doc: LeaseDoc = { _id: id, holder, until: new Date(Date.now() + LEASE_MS) };
  if (await insertLease(doc)) return true;
  const current = await findById<LeaseDoc>(MP_TOKENS, id);
  if (!current) return insertLease(doc);
  if (new Date(current.until).getTime() > Date.now()) return false;
  // The holder died mid-refresh: remove exactly the lease we saw (not a newer one), then compete again.
  await database().collection(MP_TOKENS).where({ _id: id, holder: current.holder }).remove();
  return insertLease(doc);
}

function insertLease(doc: LeaseDoc): Promise<boolean> {
  return insertOnce(MP_TOKENS, doc);
}

async function releaseLease(appid: string, holder: string): Promise<void> {
  await database()
    .collection(MP_TOKENS)
    .where({ _id: leaseId(appid), holder })
    .remove();
}
