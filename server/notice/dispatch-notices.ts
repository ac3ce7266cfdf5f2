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
import { eventId } from '../../core/funnel/events';
import { clockFrom, elapsedMs } from '../clock';
import { newId } from '../ids';
import { log } from '../log';
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
import { OutcomeWriter } from './outcome-writer';
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
  started: number;
  budgetMs: number;
  /** Outcomes are written in groups: a send's lane does not wait for them; the run does, before it ends. */
  outcomes: OutcomeWriter;
}

interface Queued {
  notice: DispatchedNotice;
  reach: ResolvedReach;
}

const outOfTime = (run: RunState) => elapsedMs(run.started) >= run.budgetMs;

/**
 * The one dispatcher of every notice (DESIGN: Notices; README beside this file). Due notices are
 * claimed in batches under a lease and queued; `concurrency` lanes send from the queue, and the next
 * batch is claimed while the lanes are still busy with the last, so a lane waits for WeChat, not for
 * the database. A run stops starting sends when its budget is spent, and gives back what it
 * claimed but did not start.
 */
export async function dispatchNotices(now: Date, options: { budgetMs: number; concurrency?: number }): Promise<DispatchReport> {
  const policy = await noticePolicy();
  const holder = newId();
  const clock = clockFrom(now);
  const run: RunState = {
    holder,
    clock,
    policy: { ...policy, concurrency: options.concurrency ?? policy.concurrency },
    mp: optionalMpConfig(),
    report: { claimed: 0, sent: 0, fellBack: 0, skipped: 0, failed: 0, retried: 0, deferred: 0, released: 0, more: false },
    started: performance.now(),
    budgetMs: options.budgetMs,
    outcomes: new OutcomeWriter(holder, clock),
  };
  const lease = () => ({ holder: run.holder, until: new Date(run.clock().getTime() + options.budgetMs + LEASE_MARGIN_MS) });
  const queue: Queued[] = [];
  let exhausted = false;
  let feeding: Promise<void> | null = null;
  // The first error stops every lane from starting another send; the running ones end, then it is thrown.
  let failure: { error: unknown } | null = null;

  // Claims batches until the queue holds a lane's worth or nothing is due.
  const feed = async () => {
    while (!exhausted && queue.length < run.policy.concurrency && !outOfTime(run)) {
      const due = await findDueNotices(run.clock(), BATCH);
      if (due.length === 0) {
        exhausted = true;
        return;
      }
      const stale = due.filter((notice) => notice.state === 'sending').map((notice) => notice._id);
      const fresh = due.filter((notice) => notice.state !== 'sending').map((notice) => notice._id);
      const at = run.clock();
      await Promise.all([claimNotices(fresh, lease(), at, false), claimNotices(stale, lease(), at, true)]);
      const claimed = await findClaimed(
        due.map((notice) => notice._id),
        run.holder,
      );
      // Another dispatcher took the whole batch: the next query finds what is left.
      if (claimed.length === 0) continue;
      run.report.claimed += claimed.length;
      queue.push(...(await sortOut(claimed, run)));
    }
  };
  const refill = () => {
    if (!feeding && !exhausted && !failure && queue.length < run.policy.concurrency) {
      feeding = feed()
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => {
          feeding = null;
        });
    }
    return feeding;
  };
  const lane = async () => {
    while (!outOfTime(run) && !failure) {
      const next = queue.shift();
      if (!next) {
        const pending = refill();
        if (!pending) return;
        await pending;
        if (queue.length === 0 && (exhausted || outOfTime(run))) return;
        continue;
      }
      // Claim the next batch while this one is being sent.
      void refill();
      try {
        await dispatchOne(next.notice, next.reach, run);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: run.policy.concurrency }, lane));
  await feeding;
  // Every outcome is written before the run ends (or gives back its lease): no write outlives it.
  const closed = run.outcomes.close().then(
    () => null,
    (error: unknown) => ({ error }),
  );
  const failedWrite = await closed;
  // Set by the lanes and the feed (TypeScript cannot see closures assign it).
  const stopped = failure as { error: unknown } | null;
  if (stopped) throw stopped.error;
  if (failedWrite) throw failedWrite.error;
  if (queue.length > 0) {
    // Claimed but never tried: back to pending as they were, for the next run.
    await giveBackNotices(
      queue.map((item) => item.notice._id),
      run.holder,
      null,
    );
    run.report.released += queue.length;
  }
  run.report.more = queue.length > 0 || (!exhausted && (await findDueNotices(run.clock(), 1)).length > 0);
  log('info', { event: 'notice.dispatch', ms: Math.round(elapsedMs(run.started)), ...run.report });
  return run.report;
}

/**
 * Closes what cannot be sent (expired, unknown kind), moves promotional notices past the quiet
 * hours, and answers the rest with how each member can be reached.
 */
async function sortOut(notices: DispatchedNotice[], run: RunState): Promise<Queued[]> {
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
  if (live.length === 0) return [];
  const reaches = await findReach(
    live.map((notice) => ({ key: notice._id, memberId: notice.memberId, templateId: templateOfKind(notice.kind) })),
  );
  return live.map((notice) => ({ notice, reach: reaches.get(notice._id) as ResolvedReach }));
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
  if ('skip' in decision) return finish(notice, run, { state: 'skipped', reason: decision.skip, channel: null });

  if (decision.channel === 'subscribe') {
    let message: ReturnType<typeof buildSubscribeMessage>;
    try {
      message = buildSubscribeMessage(NOTICE_TEMPLATES, kind, notice.data);
    } catch (error) {
      // A feature wrote data its builder cannot read: a bug to fix, not a send to retry.
      log('error', { event: 'notice.build_failed', noticeId: notice._id, error: String(error) });
      return finish(notice, run, { state: 'failed', reason: 'invalid', channel: 'subscribe' });
    }
    const grantId = reach.grantId as string;
    // The marker and the grant in one round trip; the conditional take decides among concurrent sends to one member.
    const [marked, took] = await Promise.all([markSendStarted(notice._id, run.holder, 'subscribe', run.clock()), takeGrant(grantId)]);
    // Another run took the notice over (this run outlived its lease): it is that run's now.
    if (!marked) {
      if (took) await returnGrant(grantId);
      return;
    }
    if (!took) {
      decision = chooseChannel({ ...reach, grant: null }, hasMp);
      if ('skip' in decision) return finish(notice, run, { state: 'skipped', reason: decision.skip, channel: null });
      return sendByMp(notice, reach, run, null);
    }
    const errcode = await sendSubscribeMessage(
      reach.miniOpenid as string,
      { ...message, page: markLanding(message.page, 'subscribe', kind) },
      SEND_TIMEOUT_MS,
    );
    const verdict = judgeSend(errcode);
    if (verdict.outcome === 'sent') return finish(notice, run, { state: 'sent', channel: 'subscribe', errcode: 0 }, reach);
    if (verdict.outcome === 'grant_used') {
      await zeroGrant(grantId, run.clock());
      // An earlier send timed out and WeChat has taken the grant since: that send most likely arrived.
      if (notice.uncertain) return finish(notice, run, { state: 'skipped', reason: 'unconfirmed', channel: 'subscribe', errcode: 43101 });
      const fallback = chooseChannel(reach, hasMp, { subscribeRefused: true });
      if ('skip' in fallback) return finish(notice, run, { state: 'skipped', reason: fallback.skip, channel: null, errcode: 43101 });
      return sendByMp(notice, reach, run, 43101);
    }
    // WeChat did not use the grant: it goes back to the ledger (a retry takes it again).
    await returnGrant(grantId);
    // 43004 is the 公众号's word; from the open API it is just a refusal.
    return afterFailure(notice, run, 'subscribe', verdict.outcome === 'not_following' ? { outcome: 'failed', errcode: 43004 } : verdict);
  }
  if (!(await markSendStarted(notice._id, run.holder, 'mp', run.clock()))) return;
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
  run.outcomes.track(
    finishNotices([notice._id], run.holder, {
      state: 'pending',
      dueAt: next,
      channel,
      errcode: verdict.errcode,
      lastTriedAt: run.clock(),
      resumed: false,
      sendStartedAt: null,
      // No answer is not a refusal: WeChat may have delivered it (see the 43101 case above).
      ...(verdict.errcode === null ? { uncertain: true } : {}),
    }),
  );
  run.report.retried += 1;
}

type Outcome =
  | { state: 'sent' | 'fallback'; channel: NoticeChannel; errcode: number }
  | { state: 'skipped' | 'failed'; reason: NoticeReason; channel: NoticeChannel | null; errcode?: number | null };

/**
 * The outcome, and for a delivered notice its funnel event (the landing marker in its page credits
 * the visit), handed to the run's writer: the send is done, the lane takes the next.
 */
function finish(notice: DispatchedNotice, run: RunState, outcome: Outcome, reach?: ResolvedReach): void {
  const delivered = outcome.state === 'sent' || outcome.state === 'fallback';
  run.outcomes.add(
    notice._id,
    {
      state: outcome.state,
      channel: outcome.channel,
      reason: delivered ? null : (outcome as { reason: string }).reason,
      errcode: outcome.errcode ?? null,
    },
    delivered && reach
      ? {
          _id: eventId('notice_sent', notice._id),
          kind: 'notice_sent',
          memberId: reach.memberId,
          ...reach.credit,
          noticeId: notice._id,
          noticeKind: notice.kind,
          channel: outcome.channel,
        }
      : null,
  );
  const counter = { sent: 'sent', fallback: 'fellBack', skipped: 'skipped', failed: 'failed' } as const;
  run.report[counter[outcome.state]] += 1;
}
