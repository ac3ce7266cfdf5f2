/**
 * The 公众号 server check (plaintext mode). WeChat signs every request it makes to the gateway
 * with `sha1(sort([token, timestamp, nonce]).join(''))`; core builds the string to hash (core does
 * no I/O and no crypto), the server hashes and compares.
 */

/** A push older than this (by the function's clock) is refused: a replay, or a clock that drifted too far. */
export const MAX_PUSH_AGE_S = 300;
/** A push dated further ahead than this is refused the same way. */
export const MAX_PUSH_SKEW_AHEAD_S = 300;

/** The text WeChat hashes: the three values sorted as strings, concatenated. */
export function signatureBase(token: string, timestamp: string, nonce: string): string {
  return [token, timestamp, nonce].sort().join('');
}

export type TimestampCheck = { ok: true } | { ok: false; reason: string };

/** Whether a request's `timestamp` (seconds, decimal) is close enough to now to be a fresh request. */
export function checkTimestamp(timestamp: string, nowMs: number): TimestampCheck {
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'timestamp is not a number of seconds' };
  const ageS = Math.floor(nowMs / 1000) - Number(timestamp);
  if (ageS > MAX_PUSH_AGE_S) return { ok: false, reason: `timestamp is ${ageS} s old (at most ${MAX_PUSH_AGE_S} s allowed)` };
  if (-ageS > MAX_PUSH_SKEW_AHEAD_S)
    return { ok: false, reason: `timestamp is ${-ageS} s in the future (at most ${MAX_PUSH_SKEW_AHEAD_S} s allowed)` };
  return { ok: true };
}

/** The query must carry all three signed values; returns the name of the first missing one. */
export function missingSignatureParam(query: Record<string, string | undefined>): string | null {
  for (const name of ['signature', 'timestamp', 'nonce'] as const) {
    if (typeof query[name] !== 'string' || query[name] === '') return name;
  }
  return null;
}
