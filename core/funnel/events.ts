import type { Touch } from '../member/attribution';

/**
 * The funnel's raw data: one document in `events` per step a member takes, written by the feature
 * where the step's state flips, once (the `_id` is the dedupe key). README.md beside this file lists
 * each kind, its key and its writer.
 */
export const FUNNEL_KINDS = [
  'visit',
  'notice_landing',
  'scan',
  'follow',
  'unfollow',
  'mp_click',
  'login',
  'coupon_claimed',
  'order_created',
  'order_paid',
  'order_refunded',
  'group_opened',
  'group_joined',
  'group_succeeded',
  'points_earned',
  'points_spent',
  'subscribe_answer',
  'notice_sent',
  'help_opened',
  'help_helped',
  'help_completed',
  'lottery_draw',
  'review_posted',
  'bargain_started',
  'bargain_cut',
] as const;
export type FunnelKind = (typeof FUNNEL_KINDS)[number];

/** A touch as events store it: every field present (null when unknown), so reports group on it as is. */
export interface EventTouch {
  scene: string | null;
  article: string | null;
  campaign: string | null;
  channel: string;
  sharer: string | null;
  at: Date;
}

/**
 * What a step is credited to when it happens: the member's last touch (the newest attributed arrival,
 * with its time, so a window can be applied later) and first touch. Null: none yet (direct).
 */
export interface Credit {
  touch: EventTouch | null;
  firstTouch: EventTouch | null;
}

/** What the writer of a step knows: its dedupe key, the step, when, and the step's own fields. */
export interface EventFields {
  _id: string;
  kind: FunnelKind;
  at: Date;
  /** Money the step moved, in fen (order_created, order_paid, order_refunded, group_opened, group_joined). */
  fen?: number;
  /** Points the step moved, signed (points_earned > 0, points_spent < 0). */
  delta?: number;
  [field: string]: unknown;
}

/** Every event: the step, whose, and what it is credited to. */
export interface FunnelEventDoc extends EventFields, Credit {
  memberId: string;
  /** Added by the writer (place.ts): the Shanghai day the event counts on, and its member's bucket. */
  day?: string;
  bucket?: string;
}

export function eventTouch(touch: Partial<Touch> | null | undefined): EventTouch | null {
  if (!touch?.channel || !touch.at) return null;
  return {
    scene: touch.scene ?? null,
    article: touch.article ?? null,
    campaign: touch.campaign ?? null,
    channel: touch.channel,
    sharer: touch.sharer ?? null,
    at: new Date(touch.at),
  };
}

/** The credit of a member as read: their last and first touch. */
export function creditOf(member: { lastTouch?: Touch | null; firstTouch?: Touch | null }): Credit {
  return { touch: eventTouch(member.lastTouch), firstTouch: eventTouch(member.firstTouch) };
}

/**
 * `<kind>:<part>:…:<last>`. Every part but the last has `%` and `:` escaped, so for one kind and one
 * number of parts different keys never make one `_id`; the last part stays as it is (a ledger key or
 * a notice id, which hold colons of their own, read as they are).
 */
export function eventId(kind: FunnelKind, ...parts: string[]): string {
  const escaped = parts.map((part, i) => (i === parts.length - 1 ? part : part.replace(/%/g, '%25').replace(/:/g, '%3A')));
  return [kind, ...escaped].join(':');
}

/** The checks a writer cannot get wrong quietly: money in whole fen, points signed as their kind says. */
export function checkEvent(event: Pick<FunnelEventDoc, 'kind' | 'fen' | 'delta'>): string | null {
  if (event.fen !== undefined && !(Number.isSafeInteger(event.fen) && event.fen >= 0))
    return `fen must be a whole number ≥ 0, not ${event.fen}`;
  if (/^order_(paid|refunded)$/.test(event.kind) && event.fen === undefined) return `${event.kind} needs its fen`;
  const sign = event.kind === 'points_earned' ? 1 : event.kind === 'points_spent' ? -1 : 0;
  if (sign !== 0 && !(Number.isSafeInteger(event.delta) && Math.sign(event.delta as number) === sign))
    return `${event.kind} needs a ${sign > 0 ? 'positive' : 'negative'} whole delta, not ${event.delta}`;
  return null;
}

/** The landing marker a notice's page carries (core/notice/dispatch.ts markLanding). */
export interface Landing {
  channel: 'notice_sub' | 'notice_mp';
  noticeKind: string;
}

const NOTICE_KIND = /^[A-Za-z0-9_.-]{1,64}$/;

/** The marker in a page's query (`from=notice_sub|notice_mp&nk=<kind>`), or null when there is none (or it is malformed). */
export function landingOf(query: { from?: string; nk?: string }): Landing | null {
  if (query.from !== 'notice_sub' && query.from !== 'notice_mp') return null;
  return query.nk && NOTICE_KIND.test(query.nk) ? { channel: query.from, noticeKind: query.nk } : null;
}
