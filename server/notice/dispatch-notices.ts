import { buildMpTemplateMessage, buildSubscribeMessage, type NoticeKind } from '../../core/notice/builders';
import {
  type ChannelDecision,
  chooseChannel,
  type DispatchPolicy,
  judgeSend,
  markLanding,
  type NoticeChannel,
  type NoticeReason,
  nextAttemptAt,
  quietHoursEnd,
} from '../../core/notice/dispatch';
import { clockFrom, elapsedMs } from '../clock';
import { newId } from '../ids';
import { inFlight } from '../in-flight';
import { log } from '../log';
import { insertEventOnce } from '../member/event-repository';
import type { MpConfig } from '../mp/config';
import {
  claimNotices,
  type DispatchedNotice,
  findClaimed,
  findDueNotices,
  finishNotices,
  giveBackNotices,
  markSendStarted,
  returnGrant,
  takeGrant,
  zeroGrant,
} from './repository';
import { findReach, type ResolvedReach } from './find-reach';
import { optionalMpConfig, sendMpTemplateMessage, sendSubscribeMessage } from './send-message';
import { noticePolicy } from './settings';
import { isNoticeKind, isPromotional, NOTICE_TEMPLATES, templateOfKind } from './templates';

/** Notices claimed at a time: one query and one conditional update claim them all. */
const BATCH = 100;
/** One send waits this long for WeChat before the notice is retried later. */
const SEND_TIMEOUT_MS = 5_000;
/** A claim outlives the run that holds it by this much; after it, another run may take the notice over. */
const LEASE_MARGIN_MS = SEND_TIMEOUT_MS + 15_000;

export interface DispatchReport {
  claimed: number;
  sent: number;
  fellBack: number;
  skipped: number;
  failed: number;
  retried: number;
  /** Promotional notices moved past the quiet hours. */
  deferred: number;
  /** Claimed but given back untouched when the time ran out. */
  released: number;
  /** Due notices were left when the budget ran out: the next run goes on. */
  more: boolean;
}

interface RunState {
  holder: string;
  clock: () => Date;
  policy: DispatchPolicy & { concurrency: number };
  mp: MpConfig | null;
  report: DispatchReport;
  stopAt: number;
}

/**
 * The one dispatcher of every notice (DESIGN: Notices; README beside this file). Due notices are
 * claimed in batches under a lease, each is sent by the channel its member can be reached on, and
 * its outcome written while the lease is still this run's; a run stops starting sends when its
 * budget is spent, and gives back what it claimed but did not start.
 */
export async function dispatchNotices(now: Date, options: { budgetMs: number; concurrency?: number }): Promise<DispatchReport> {
  const started = performance.now();
  const clock = clockFrom(now);
  const policy = await noticePolicy();
  const run: RunState = {
    holder: newId(),
    clock,
    policy: { ...policy, concurrency: options.concurrency ?? policy.concurrency },
    mp: optionalMpConfig(),
    report: { claimed: 0, sent: 0, fellBack: 0, skipped: 0, failed: 0, retried: 0, deferred: 0, released: 0, more: false },
    stopAt: options.budgetMs,
  };
  const lease = () => ({ holder: run.holder, until: new Date(clock().getTime() + options.budgetMs + LEASE_MARGIN_MS) });
  for (;;) {
    if (elapsedMs(started) >= run.stopAt) {
      run.report.more = (await findDueNotices(clock(), 1)).length > 0;
      break;
    }
    const due = await findDueNotices(clock(), BATCH);
    if (due.length === 0) break;
    const stale = due.filter((notice) => notice.state === 'sending').map((notice) => notice._id);
    const fresh = due.filter((notice) => notice.state !== 'sending').map((notice) => notice._id);
    const at = clock();
    await Promise.all([claimNotices(fresh, lease(), at, false), claimNotices(stale, lease(), at, true)]);
    const claimed = await findClaimed(
      due.map((notice) => notice._id),
      run.holder,
    );
    // Another dispatcher took the whole batch: the next query finds what is left.
    if (claimed.length === 0) continue;
    run.report.claimed += claimed.length;
    await dispatchBatch(claimed, run, started);
  }
  log('info', { event: 'notice.dispatch', ms: Math.round(elapsedMs(started)), ...run.report });
  return run.report;
}

async function dispatchBatch(notices: DispatchedNotice[], run: RunState, started: number): Promise<void> {
  const now = run.clock();
  const live: DispatchedNotice[] = [];
  const expired: string[] = [];
  const unknown: string[] = [];
  const deferred = new Map<number, string[]>();
  for (const notice of notices) {
    if (!isNoticeKind(notice.kind)) unknown.push(notice._id);
    else if (new Date(notice.expiresAt).getTime() <= now.getTime()) expired.push(notice._id);
    else {
      const quietEnd = isPromotional(notice.kind) ? quietHoursEnd(now, run.policy.quietHours) : null;
      if (!quietEnd) live.push(notice);
      else if (quietEnd.getTime() >= new Date(notice.expiresAt).getTime()) expired.push(notice._id);
      else deferred.set(quietEnd.getTime(), [...(deferred.get(quietEnd.getTime()) ?? []), notice._id]);
    }
  }
  await Promise.all([
    finishNotices(expired, run.holder, { state: 'skipped', reason: 'expired', channel: null, finishedAt: now }),
    finishNotices(unknown, run.holder, { state: 'failed', reason: 'unknown_kind', channel: null, finishedAt: now }),
    // Waiting out the quiet hours is not an attempt.
    ...[...deferred].map(([until, ids]) => giveBackNotices(ids, run.holder, new Date(until))),
  ]);
  run.report.skipped += expired.length;
  run.report.failed += unknown.length;
  run.report.deferred += [...deferred.values()].reduce((sum, ids) => sum + ids.length, 0);
  if (live.length === 0) return;

  const reaches = await findReach(
    live.map((notice) => ({ key: notice._id, memberId: notice.memberId, templateId: templateOfKind(notice.kind) })),
  );
  const notStarted: string[] = [];
  await inFlight(live, run.policy.concurrency, async (notice) => {
    if (elapsedMs(started) >= run.stopAt) {
      notStarted.push(notice._id);
      return;
    }
    await dispatchOne(notice, reaches.get(notice._id) as ResolvedReach, run);
  });
  if (notStarted.length > 0) {
    // Claimed but never tried: back to pending as they were, for the next run.
    await giveBackNotices(notStarted, run.holder, null);
    run.report.released += notStarted.length;
    run.report.more = true;
  }
}

/** Sends one claimed notice and records what happened, while the lease is still this run's. */
async function dispatchOne(notice: DispatchedNotice, reach: ResolvedReach, run: RunState): Promise<void> {
  const kind = notice.kind as NoticeKind;
  const hasMp = !!run.mp && !!NOTICE_TEMPLATES.notices[kind]?.mp;
  // A run died after it began this send: the message may have arrived. At most once, so not again.
  if (notice.resumed && notice.sendStartedAt) {
    return finish(notice, run, { state: 'skipped', reason: 'unconfirmed', channel: notice.channel ?? null });
  }
  let decision: ChannelDecision = chooseChannel(reach, hasMp);
  if ('channel' in decision) {
    // Another run took the notice over (this run outlived its lease): it is that run's now.
    if (!(await markSendStarted(notice._id, run.holder, decision.channel, run.clock()))) return;
  }
  if ('channel' in decision && decision.channel === 'subscribe') {
    // The ledger said yes; the conditional take decides among concurrent sends to the same member.
    if (!(await takeGrant(reach.grantId as string))) decision = chooseChannel({ ...reach, grant: null }, hasMp);
  }
  if ('skip' in decision) return finish(notice, run, { state: 'skipped', reason: decision.skip, channel: null });

  if (decision.channel === 'subscribe') {
    const message = buildSubscribeMessage(NOTICE_TEMPLATES, kind, notice.data);
    const errcode = await sendSubscribeMessage(
      reach.miniOpenid as string,
      { ...message, page: markLanding(message.page, 'subscribe', kind) },
      SEND_TIMEOUT_MS,
    );
    const verdict = judgeSend(errcode);
    if (verdict.outcome === 'sent') return finish(notice, run, { state: 'sent', channel: 'subscribe', errcode: 0 }, reach);
    if (verdict.outcome === 'grant_used') {
      await zeroGrant(reach.grantId as string, run.clock());
      // An earlier send timed out and WeChat has taken the grant since: that send most likely arrived.
      if (notice.uncertain) return finish(notice, run, { state: 'skipped', reason: 'unconfirmed', channel: 'subscribe', errcode: 43101 });
      const fallback = chooseChannel(reach, hasMp, { subscribeRefused: true });
      if ('skip' in fallback) return finish(notice, run, { state: 'skipped', reason: fallback.skip, channel: null, errcode: 43101 });
      return sendByMp(notice, reach, run, 43101);
    }
    // WeChat did not use the grant: it goes back to the ledger (a retry takes it again).
    await returnGrant(reach.grantId as string);
    // 43004 is the 公众号's word; from the open API it is just a refusal.
    return afterFailure(notice, run, 'subscribe', verdict.outcome === 'not_following' ? { outcome: 'failed', errcode: 43004 } : verdict);
  }
  return sendByMp(notice, reach, run, null);
}

async function sendByMp(notice: DispatchedNotice, reach: ResolvedReach, run: RunState, after43101: number | null): Promise<void> {
  const kind = notice.kind as NoticeKind;
  const message = buildMpTemplateMessage(NOTICE_TEMPLATES, kind, notice.data);
  if (!message || !run.mp || !reach.mpOpenid) return finish(notice, run, { state: 'skipped', reason: 'no_mp_template', channel: null });
  const errcode = await sendMpTemplateMessage(
    run.mp,
    reach.mpOpenid,
    { ...message, page: markLanding(message.page, 'mp', kind) },
    run.clock(),
    SEND_TIMEOUT_MS,
  );
  const verdict = judgeSend(errcode);
  if (verdict.outcome === 'sent') return finish(notice, run, { state: 'fallback', channel: 'mp', errcode: after43101 ?? 0 }, reach);
  if (verdict.outcome === 'not_following' || verdict.outcome === 'grant_used') {
    return finish(notice, run, { state: 'skipped', reason: 'not_following', channel: 'mp', errcode: errcode ?? null });
  }
  return afterFailure(notice, run, 'mp', verdict);
}

async function afterFailure(
  notice: DispatchedNotice,
  run: RunState,
  channel: NoticeChannel,
  verdict: { outcome: 'retry'; errcode: number | null } | { outcome: 'failed'; errcode: number },
): Promise<void> {
  if (verdict.outcome === 'failed') {
    return finish(notice, run, { state: 'failed', reason: 'invalid', channel, errcode: verdict.errcode });
  }
  const next = nextAttemptAt(notice.attempts, run.clock(), run.policy);
  if (!next) return finish(notice, run, { state: 'failed', reason: 'retries_exhausted', channel, errcode: verdict.errcode });
  await finishNotices([notice._id], run.holder, {
    state: 'pending',
    dueAt: next,
    channel,
    errcode: verdict.errcode,
    lastTriedAt: run.clock(),
    resumed: false,
    sendStartedAt: null,
    // No answer is not a refusal: WeChat may have delivered it (see the 43101 case above).
    ...(verdict.errcode === null ? { uncertain: true } : {}),
  });
  run.report.retried += 1;
}

type Outcome =
  | { state: 'sent' | 'fallback'; channel: NoticeChannel; errcode: number }
  | { state: 'skipped' | 'failed'; reason: NoticeReason; channel: NoticeChannel | null; errcode?: number | null };

/** The outcome, and for a delivered notice its funnel event (the landing marker in its page credits the visit). */
async function finish(notice: DispatchedNotice, run: RunState, outcome: Outcome, reach?: ResolvedReach): Promise<void> {
  const at = run.clock();
  const delivered = outcome.state === 'sent' || outcome.state === 'fallback';
  const fields = delivered
    ? { ...outcome, reason: null, sentAt: at, finishedAt: at, lastTriedAt: at }
    : { errcode: null, ...outcome, sentAt: null, finishedAt: at, lastTriedAt: at };
  await Promise.all([
    finishNotices([notice._id], run.holder, fields),
    delivered && reach
      ? insertEventOnce(
          { _id: `notice:${notice._id}`, kind: 'notice', memberId: reach.memberId, noticeKind: notice.kind, channel: outcome.channel, at },
          true,
        )
      : null,
  ]);
  const counter = { sent: 'sent', fallback: 'fellBack', skipped: 'skipped', failed: 'failed' } as const;
  run.report[counter[outcome.state]] += 1;
}
