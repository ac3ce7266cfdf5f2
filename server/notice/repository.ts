import { applyGrantAnswer, type GrantAnswer, type GrantCounts, NO_GRANT } from '../../core/notice/grants';
import type { Lease } from '../../core/lease';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, findByIds, updatedCount } from '../documents';
import type { NoticeDoc } from '../notice-repository';
import { txFind, withTransaction } from '../transaction';

const NOTICES = COLLECTIONS.notices;
const GRANTS = COLLECTIONS.subscribeGrants;
const SETTINGS = COLLECTIONS.settings;

/** A notice as the dispatcher holds it: the feature's document plus what dispatching wrote. */
export interface DispatchedNotice extends NoticeDoc {
  lease?: Lease | null;
  /** Set when a claim found the notice `sending` under an expired lease: an earlier run died holding it. */
  resumed?: boolean;
  /** Written just before a send: a run that died after it may have delivered the message. */
  sendStartedAt?: Date | null;
  /** An earlier send timed out: WeChat may have delivered it and used the grant. */
  uncertain?: boolean;
  channel?: 'subscribe' | 'mp' | null;
  reason?: string | null;
  errcode?: number | null;
  sentAt?: Date | null;
  finishedAt?: Date | null;
  lastTriedAt?: Date | null;
}

/** `subscribe_grants`: one document per mini-program openid × template (WeChat counts grants per openid). */
export interface GrantDoc extends GrantCounts {
  _id: string;
  openid: string;
  memberId: string;
  templateId: string;
  /** Times a 43101 showed the ledger held a grant WeChat did not. */
  corrected?: number;
  updatedAt: Date;
}

export function grantIdOf(openid: string, templateId: string): string {
  return `${openid}:${templateId}`;
}

// --- notices -------------------------------------------------------------------------------

function dueCondition(now: Date) {
  const _ = database().command;
  return _.or([
    { state: 'pending', dueAt: _.lte(now) },
    // A run that died mid-batch: its lease ran out, the next run takes the notice over.
    { state: 'sending', 'lease.until': _.lte(now) },
  ]);
}

/** The next due notices, oldest first: their ids and whether a dead run left them `sending`. */
export async function findDueNotices(now: Date, limit: number): Promise<Array<{ _id: string; state: string }>> {
  const result = (await database()
    .collection(NOTICES)
    .where(dueCondition(now))
    .orderBy('dueAt', 'asc')
    .limit(limit)
    .field({ _id: true, state: true })
    .get()) as unknown as { data: Array<{ _id: string; state: string }> };
  return result.data;
}

/**
 * Claims the given notices that are still due for `lease.holder`: one conditional update for the
 * lot, each document's condition checked with its write, so of two dispatchers only one gets any
 * notice. `resumed` marks notices taken over from a dead run.
 */
export async function claimNotices(ids: string[], lease: Lease, now: Date, resumed: boolean): Promise<number> {
  if (ids.length === 0) return 0;
  const _ = database().command;
  const result = await database()
    .collection(NOTICES)
    .where(_.and([{ _id: _.in(ids) }, dueCondition(now)]))
    // A fresh claim starts a new attempt; a resumed one keeps the dead run's send marker to judge by.
    .update({ data: { state: 'sending', lease: _.set(lease), attempts: _.inc(1), resumed, ...(resumed ? {} : { sendStartedAt: null }) } });
  return updatedCount(result);
}

/**
 * Marks the notice's send as begun, if the lease is still this holder's: from here a run that dies
 * leaves a notice that may have been delivered, which the next run must not send again.
 */
export async function markSendStarted(id: string, holder: string, channel: 'subscribe' | 'mp', at: Date): Promise<boolean> {
  const result = await database()
    .collection(NOTICES)
    .where({ _id: id, 'lease.holder': holder })
    .update({ data: { sendStartedAt: at, channel } });
  return updatedCount(result) === 1;
}

/** The notices among `ids` this holder's lease is on. */
export async function findClaimed(ids: string[], holder: string): Promise<DispatchedNotice[]> {
  if (ids.length === 0) return [];
  const _ = database().command;
  const result = (await database()
    .collection(NOTICES)
    .where({ _id: _.in(ids), 'lease.holder': holder })
    .limit(ids.length)
    .get()) as unknown as { data: DispatchedNotice[] };
  return result.data;
}

/** Writes a notice's outcome and drops the lease, if the lease is still this holder's. */
export async function finishNotices(ids: string[], holder: string, fields: Record<string, unknown>): Promise<number> {
  if (ids.length === 0) return 0;
  const _ = database().command;
  const result = await database()
    .collection(NOTICES)
    .where({ _id: ids.length === 1 ? ids[0] : _.in(ids), 'lease.holder': holder })
    .update({ data: { ...fields, lease: _.remove() } });
  return updatedCount(result);
}

/** Back to pending, untried (the claim's attempt is taken back): time ran out, or quiet hours until `dueAt`. */
export async function giveBackNotices(ids: string[], holder: string, dueAt: Date | null): Promise<number> {
  const _ = database().command;
  return finishNotices(ids, holder, { state: 'pending', attempts: _.inc(-1), resumed: false, ...(dueAt ? { dueAt } : {}) });
}

export function findNotice(id: string): Promise<DispatchedNotice | null> {
  return findById<DispatchedNotice>(NOTICES, id);
}

/** Notices written in [from, to) counted by kind, state, channel and reason: one aggregate. */
export async function countNotices(
  from: Date | null,
  to: Date | null,
): Promise<Array<{ kind: string; state: string; channel: string | null; reason: string | null; count: number }>> {
  const _ = database().command;
  const $ = _.aggregate;
  const range = [...(from ? [_.gte(from)] : []), ...(to ? [_.lt(to)] : [])];
  const match = range.length === 0 ? {} : { createdAt: range.length === 1 ? range[0] : _.and(range) };
  const result = (await database()
    .collection(NOTICES)
    .aggregate()
    .match(match)
    .group({ _id: { kind: '$kind', state: '$state', channel: '$channel', reason: '$reason' }, count: $.sum(1) })
    .limit(10_000)
    .end()) as unknown as {
    list: Array<{ _id: { kind: string; state: string; channel?: string | null; reason?: string | null }; count: number }>;
  };
  return result.list.map((row) => ({
    kind: row._id.kind,
    state: row._id.state,
    channel: row._id.channel ?? null,
    reason: row._id.reason ?? null,
    count: row.count,
  }));
}

/** The latest failures (and retries waiting), newest first. */
export async function findRecentFailures(limit: number): Promise<DispatchedNotice[]> {
  const _ = database().command;
  const result = (await database()
    .collection(NOTICES)
    .where(_.or([{ state: 'failed' }, { state: 'pending', errcode: _.nin([null, 0]) }]))
    .orderBy('lastTriedAt', 'desc')
    .limit(limit)
    .get()) as unknown as { data: DispatchedNotice[] };
  return result.data;
}

// --- grants ----------------------------------------------------------------------------------

export function findGrants(ids: string[]): Promise<GrantDoc[]> {
  return findByIds<GrantDoc>(GRANTS, ids);
}

export async function findGrantsOfOpenid(openid: string): Promise<GrantDoc[]> {
  const result = (await database().collection(GRANTS).where({ openid }).limit(100).get()) as unknown as { data: GrantDoc[] };
  return result.data;
}

/** Takes one grant if the ledger holds one (conditional: concurrent takers never go below zero). */
export async function takeGrant(id: string): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(GRANTS)
    .where({ _id: id, remaining: _.gt(0), banned: _.neq(true) })
    .update({ data: { remaining: _.inc(-1) } });
  return updatedCount(result) === 1;
}

/** Gives back a grant WeChat did not use (the send was refused before delivery, or will be retried). */
export async function returnGrant(id: string): Promise<void> {
  const _ = database().command;
  await database()
    .collection(GRANTS)
    .where({ _id: id })
    .update({ data: { remaining: _.inc(1) } });
}

/** 43101: WeChat holds no grant for this openid and template, whatever the ledger counted. */
export async function zeroGrant(id: string, now: Date): Promise<void> {
  const _ = database().command;
  await database()
    .collection(GRANTS)
    .where({ _id: id })
    .update({ data: { remaining: 0, corrected: _.inc(1), updatedAt: now } });
}

/**
 * One grant document takes every sheet of a member for a template, and each conflict round commits
 * one of the sheets racing: as many rounds as a burst of sheets (ten at once in the tests) needs.
 */
const SHEET_ATTEMPTS = 14;

/**
 * One sheet's answers, once: the grants and the answer's event (`eventId`, named by the app's
 * request id) are written in one transaction, so a retried call after a lost answer counts
 * nothing twice and a call that died counts nothing at all. Answers the ledger after the sheet.
 */
export async function recordAnswersOnce(
  openid: string,
  memberId: string,
  answers: Record<string, GrantAnswer>,
  event: { _id: string } & Record<string, unknown>,
  now: Date,
): Promise<Array<{ templateId: string; counts: GrantCounts }>> {
  const { _id: eventId, ...eventFields } = event;
  return withTransaction(async (tx) => {
    const recorded = await txFind(tx, COLLECTIONS.events, eventId);
    const after: Array<{ templateId: string; counts: GrantCounts }> = [];
    for (const [templateId, answer] of Object.entries(answers)) {
      const id = grantIdOf(openid, templateId);
      const current = await txFind<GrantDoc>(tx, GRANTS, id);
      const counts: GrantCounts = current ?? { ...NO_GRANT };
      if (recorded) {
        after.push({ templateId, counts });
        continue;
      }
      const next = applyGrantAnswer(counts, answer);
      const doc: Omit<GrantDoc, '_id'> = { openid, memberId, templateId, ...next, corrected: current?.corrected ?? 0, updatedAt: now };
      await tx.collection(GRANTS).doc(id).set({ data: doc });
      after.push({ templateId, counts: next });
    }
    if (!recorded) await tx.collection(COLLECTIONS.events).doc(eventId).set({ data: eventFields });
    return after;
  }, SHEET_ATTEMPTS);
}

/** Members holding a grant for a template, by grant `_id` after `after` (a broadcast's audience, paged). */
export async function findGrantHolders(templateId: string, after: string, limit: number): Promise<GrantDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(GRANTS)
    .where({ templateId, remaining: _.gt(0), banned: _.neq(true), ...(after ? { _id: _.gt(after) } : {}) })
    .orderBy('_id', 'asc')
    .limit(limit)
    .get()) as unknown as { data: GrantDoc[] };
  return result.data;
}

export async function countGrantHolders(templateId: string): Promise<number> {
  const _ = database().command;
  const result = (await database()
    .collection(GRANTS)
    .where({ templateId, remaining: _.gt(0), banned: _.neq(true) })
    .count()) as unknown as { total: number };
  return result.total;
}

// --- settings --------------------------------------------------------------------------------

export const NOTICE_SETTINGS_ID = 'notice';

export interface NoticeSettingsDoc {
  _id: string;
  quietHours: { start: number; end: number } | null;
  maxAttempts: number;
  concurrency: number;
  updatedAt: Date;
  updatedBy: string;
}

export function findNoticeSettings(): Promise<NoticeSettingsDoc | null> {
  return findById<NoticeSettingsDoc>(SETTINGS, NOTICE_SETTINGS_ID);
}

export async function putNoticeSettings(doc: NoticeSettingsDoc): Promise<void> {
  const { _id, ...fields } = doc;
  await database().collection(SETTINGS).doc(_id).set({ data: fields });
}
