import { wechatError } from '../wechat-errors';

/**
 * The dispatcher's decisions, pure: which channel a notice goes by, what a send's answer means,
 * when a retry is due and when quiet hours end. `server/notice/` does the reading and writing.
 */

/** How a notice reached (or did not reach) the member. */
export type NoticeChannel = 'subscribe' | 'mp';

/** Why a notice was skipped or failed: closed, so the report can count them. */
export const NOTICE_REASONS = [
  'expired',
  'no_grant',
  'no_openid',
  'not_following',
  'no_mp_template',
  'grant_used',
  'invalid',
  'retries_exhausted',
  'unknown_kind',
  'unconfirmed',
] as const;
export type NoticeReason = (typeof NOTICE_REASONS)[number];

export interface DispatchPolicy {
  /** Sends tried per notice before it fails for good (transient errors only; the first try counts). */
  maxAttempts: number;
  /** First retry after this long; each next one waits `backoffFactor` times longer, up to `maxBackoffMs`. */
  backoffMs: number;
  backoffFactor: number;
  maxBackoffMs: number;
  /** Shanghai wall-clock minutes since midnight: promotional notices wait from `start` to `end` (may wrap midnight). */
  quietHours: { start: number; end: number } | null;
}

export const DEFAULT_DISPATCH_POLICY: DispatchPolicy = {
  maxAttempts: 5,
  backoffMs: 60_000,
  backoffFactor: 4,
  maxBackoffMs: 3_600_000,
  quietHours: { start: 22 * 60, end: 8 * 60 },
};

/** The member as the dispatcher sees them: their mini-program openid, 公众号 state and grant for the template. */
export interface Reach {
  /** The mini-program openid: a subscription message can only go there. */
  miniOpenid: string | null;
  grant: { remaining: number; banned: boolean } | null;
  follows: boolean;
  mpOpenid: string | null;
}

export type ChannelDecision = { channel: NoticeChannel } | { skip: NoticeReason };

/**
 * A member with a grant gets the subscription message; one without (or who banned the template)
 * who follows the 公众号 gets its template message, if the kind has one; anyone else is skipped
 * with the reason the report shows.
 */
export function chooseChannel(reach: Reach, hasMpTemplate: boolean, options: { subscribeRefused?: boolean } = {}): ChannelDecision {
  const grantUsable = !options.subscribeRefused && !!reach.miniOpenid && !!reach.grant && !reach.grant.banned && reach.grant.remaining > 0;
  if (grantUsable) return { channel: 'subscribe' };
  if (reach.follows && reach.mpOpenid && hasMpTemplate) return { channel: 'mp' };
  if (options.subscribeRefused) return { skip: 'grant_used' };
  if (reach.follows && reach.mpOpenid) return { skip: 'no_mp_template' };
  if (!reach.miniOpenid && !reach.mpOpenid) return { skip: 'no_openid' };
  return { skip: 'no_grant' };
}

/** What one send's answer means for the notice. */
export type SendVerdict =
  | { outcome: 'sent' }
  /** 43101: WeChat holds no grant although the ledger had one: correct the ledger, try the 公众号. */
  | { outcome: 'grant_used' }
  /** 43004 from the 公众号: the member stopped following since we last heard. */
  | { outcome: 'not_following' }
  | { outcome: 'retry'; errcode: number | null }
  | { outcome: 'failed'; errcode: number };

/** `null` errcode: the call timed out or the connection failed (nobody answered). */
export function judgeSend(errcode: number | null): SendVerdict {
  if (errcode === 0) return { outcome: 'sent' };
  if (errcode === null) return { outcome: 'retry', errcode: null };
  if (errcode === 43101) return { outcome: 'grant_used' };
  if (errcode === 43004) return { outcome: 'not_following' };
  return wechatError(errcode).retryable ? { outcome: 'retry', errcode } : { outcome: 'failed', errcode };
}

/** When the next try of a notice that has been tried `attempts` times is due; null when it has had its last. */
export function nextAttemptAt(attempts: number, now: Date, policy: DispatchPolicy = DEFAULT_DISPATCH_POLICY): Date | null {
  if (attempts >= policy.maxAttempts) return null;
  const wait = Math.min(policy.maxBackoffMs, policy.backoffMs * policy.backoffFactor ** Math.max(0, attempts - 1));
  return new Date(now.getTime() + wait);
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;
const MINUTE_MS = 60_000;

/** `22:00` → 1320; null for anything that is not HH:mm. */
export function parseClockTime(value: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

export function formatClockTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * When the quiet hours around `now` end (Shanghai time), or null when `now` is outside them. A
 * window with `start === end` is empty.
 */
export function quietHoursEnd(now: Date, quiet: DispatchPolicy['quietHours']): Date | null {
  if (!quiet || quiet.start === quiet.end) return null;
  const local = now.getTime() + SHANGHAI_OFFSET_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  const minute = Math.floor((local - dayStart) / MINUTE_MS);
  const wraps = quiet.start > quiet.end;
  const inside = wraps ? minute >= quiet.start || minute < quiet.end : minute >= quiet.start && minute < quiet.end;
  if (!inside) return null;
  // The end is today when we are before it, else tomorrow (a window that wraps midnight, seen from the evening).
  const endDay = minute < quiet.end ? dayStart : dayStart + DAY_MS;
  return new Date(endDay + quiet.end * MINUTE_MS - SHANGHAI_OFFSET_MS);
}

/**
 * `pages/x?id=1` + marker → `pages/x?id=1&from=notice_sub&nk=<kind>`: the funnel credits the landing
 * to the message. A marker already there is replaced, never doubled.
 */
export function markLanding(page: string, channel: NoticeChannel, kind: string): string {
  const marker = `from=${channel === 'subscribe' ? 'notice_sub' : 'notice_mp'}&nk=${encodeURIComponent(kind)}`;
  const at = page.indexOf('?');
  if (at < 0) return `${page}?${marker}`;
  const kept = page
    .slice(at + 1)
    .split('&')
    .filter((part) => part !== '' && !part.startsWith('from=') && !part.startsWith('nk='));
  return `${page.slice(0, at)}?${[...kept, marker].join('&')}`;
}
