import { COLLECTIONS } from './collections';
import { insertOnce } from './documents';

/**
 * A notice for the subscription-message dispatcher (DESIGN: Notices). Features write notices,
 * never messages; `_id` is the dedupe key (`coupon.expiring:<couponId>`), so a notice is written
 * once whatever the retries and concurrency.
 */
export interface NoticeDoc {
  _id: string;
  kind: string;
  memberId: string;
  /** What the message needs, already in display form where it can be. */
  data: Record<string, unknown>;
  dueAt: Date;
  /** After this the notice is pointless (the coupon expired): the dispatcher skips it. */
  expiresAt: Date;
  state: 'pending' | 'sending' | 'sent' | 'fallback' | 'skipped' | 'failed';
  attempts: number;
  createdAt: Date;
}

/** True when this call wrote it; false when a notice with this key exists. */
export function insertNotice(doc: NoticeDoc): Promise<boolean> {
  return insertOnce(COLLECTIONS.notices, doc);
}

/**
 * A new notice, pending and due at `dueAt`, written once under `<kind>:<key>`: the dedupe key
 * every feature's notice uses. True when this call wrote it.
 */
export function writeNoticeOnce(
  notice: { kind: string; key: string; memberId: string; data: Record<string, unknown>; dueAt: Date; expiresAt: Date },
  now: Date,
): Promise<boolean> {
  const { key, ...rest } = notice;
  return insertNotice({ _id: `${notice.kind}:${key}`, ...rest, state: 'pending', attempts: 0, createdAt: now });
}
