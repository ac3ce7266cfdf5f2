import { DuetError } from '../../core/errors';
import type { Segment } from '../../core/funnel/segments';
import { chooseChannel } from '../../core/notice/dispatch';
import { clockFrom, elapsedMs } from '../clock';
import { segmentMemberIds } from '../funnel/segments';
import { inFlight } from '../in-flight';
import { findCursor, insertCursor, releaseJobLease, takeJobLease, updateCursor } from '../jobs/repository';
import { log } from '../log';
import { writeNoticeOnce } from '../notice-repository';
import { findReach } from './find-reach';
import { countGrantHolders, findGrantHolders } from './repository';
import { NOTICE_TEMPLATES, templateOfKind } from './templates';

/** Stop starting new members after this long: the function's timeout is 60 s. */
const TIME_BUDGET_MS = 40_000;
const LEASE_MS = 65_000;
const BATCH = 100;
const WRITES_IN_FLIGHT = 10;
/** A campaign message is worth sending this long after it is due, by default. */
const DEFAULT_TTL_MS = 3 * 24 * 3600_000;

export interface BroadcastRequest {
  broadcastId: string;
  title: string;
  content: string;
  /** A page of the app, with or without a query; the home page by default. */
  page?: string;
  /** Exactly one audience: a list of member ids, every member holding a grant for a template, or a segment's members. */
  memberIds?: string[];
  template?: string;
  segment?: Segment;
  dryRun?: boolean;
  dueAt?: string;
  expiresAt?: string;
}

interface BroadcastCursor {
  _id: string;
  job: 'broadcast';
  broadcastId: string;
  dryRun: boolean;
  message: { title: string; content: string; page: string; dueAt: Date; expiresAt: Date };
  /** A segment is frozen as the list of its members when the broadcast starts (`segment` names it). */
  audience: { memberIds: string[]; segment?: Segment } | { template: string };
  total: number;
  /** Members handled: an offset into the list, or the last grant `_id` of a template audience. */
  done: number;
  after: string;
  written: number;
  already: number;
  unknownMembers: string[];
  byChannel: { subscribe: number; mp: number; none: number };
  startedAt: Date;
  updatedAt: Date;
  doneAt: Date | null;
}

function pageOf(page: string | undefined): string {
  const target = page ?? 'pages/index/index';
  const pages = typeof DUET_APP_PAGES === 'undefined' ? undefined : DUET_APP_PAGES;
  if (!pages?.includes(target.split('?')[0] ?? '')) {
    throw new DuetError('INVALID_ARGUMENT', `page ${target} is not a page of the app (see src/app.config.ts)`);
  }
  return target;
}

/**
 * `broadcast`: a campaign notice to a list of members, to every member holding a grant for a
 * template, or to the members of a segment (listed when the broadcast starts, and kept), written
 * as notices the dispatcher delivers (subscription message, or the 公众号 template for followers
 * without a grant). Once per member per broadcast id (the notice `_id` is
 * `campaign:<broadcast>:<member>`), resumable (the place in the audience is kept in `job_cursors`
 * under a lease), and a dry run counts who would get it through which channel without writing.
 */
export async function broadcast(request: BroadcastRequest, now: Date) {
  const started = performance.now();
  const clock = clockFrom(now);
  const cursorId = `${request.dryRun ? 'broadcast-dry' : 'broadcast'}:${request.broadcastId}`;
  let cursor = await openCursor(cursorId, request, now);
  if (cursor.doneAt) return view(cursor);
  const lease = await takeJobLease(cursorId, now, LEASE_MS);
  if (!lease) throw new DuetError('CONFLICT', `another run is working on broadcast ${request.broadcastId}; try again when it ends`);
  try {
    cursor = (await findCursor<BroadcastCursor>(cursorId)) ?? cursor;
    if (!cursor.doneAt) cursor = await work(cursor, started, clock);
  } finally {
    await releaseJobLease(cursorId, lease);
  }
  return view(cursor);
}

async function nextMembers(cursor: BroadcastCursor): Promise<{ memberIds: string[]; after: string }> {
  if ('memberIds' in cursor.audience) {
    return { memberIds: cursor.audience.memberIds.slice(cursor.done, cursor.done + BATCH), after: '' };
  }
  const holders = await findGrantHolders(cursor.audience.template, cursor.after, BATCH);
  return { memberIds: holders.map((g) => g.memberId), after: holders.at(-1)?._id ?? cursor.after };
}

async function work(start: BroadcastCursor, started: number, clock: () => Date): Promise<BroadcastCursor> {
  const cursor: BroadcastCursor = { ...start, byChannel: { ...start.byChannel }, unknownMembers: [...start.unknownMembers] };
  const template = templateOfKind('campaign');
  const hasMp = !!NOTICE_TEMPLATES.notices.campaign?.mp;
  while (!cursor.doneAt && elapsedMs(started) < TIME_BUDGET_MS) {
    const { memberIds, after } = await nextMembers(cursor);
    if (memberIds.length === 0) {
      cursor.doneAt = clock();
      await save(cursor, clock());
      break;
    }
    const reaches = await findReach(memberIds.map((memberId) => ({ key: memberId, memberId, templateId: template })));
    const outcomes = memberIds.map((memberId) => reaches.get(memberId));
    const targets = [...new Set(outcomes.flatMap((reach) => (reach?.known ? [reach.memberId] : [])))];
    for (const [index, reach] of outcomes.entries()) {
      if (!reach?.known) cursor.unknownMembers.push(memberIds[index]);
    }
    // Two ids of one merged member are one person: counted and written once.
    const counted = new Set<string>();
    for (const reach of outcomes) {
      if (!reach?.known || counted.has(reach.memberId)) continue;
      counted.add(reach.memberId);
      const decision = chooseChannel(reach, hasMp);
      if ('channel' in decision) cursor.byChannel[decision.channel] += 1;
      else cursor.byChannel.none += 1;
    }
    if (!cursor.dryRun) {
      await inFlight(targets, WRITES_IN_FLIGHT, async (memberId) => {
        const wrote = await writeNoticeOnce(
          {
            kind: 'campaign',
            key: `${cursor.broadcastId}:${memberId}`,
            memberId,
            data: {
              title: cursor.message.title,
              content: cursor.message.content,
              page: cursor.message.page,
              broadcastId: cursor.broadcastId,
            },
            dueAt: cursor.message.dueAt,
            expiresAt: cursor.message.expiresAt,
          },
          clock(),
        );
        if (wrote) cursor.written += 1;
        else cursor.already += 1;
      });
    }
    cursor.done += memberIds.length;
    cursor.after = after;
    if ('memberIds' in cursor.audience && cursor.done >= cursor.audience.memberIds.length) cursor.doneAt = clock();
    await save(cursor, clock());
  }
  log('info', {
    event: 'admin.broadcast.progress',
    broadcast: cursor.broadcastId,
    dryRun: cursor.dryRun,
    done: cursor.done,
    total: cursor.total,
  });
  return cursor;
}

async function save(cursor: BroadcastCursor, now: Date): Promise<void> {
  cursor.updatedAt = now;
  const { done, after, written, already, unknownMembers, byChannel, updatedAt, doneAt } = cursor;
  await updateCursor(cursor._id, () => ({ done, after, written, already, unknownMembers, byChannel, updatedAt, doneAt }));
}

async function openCursor(cursorId: string, request: BroadcastRequest, now: Date): Promise<BroadcastCursor> {
  const existing = await findCursor<BroadcastCursor>(cursorId);
  if (existing) return existing;
  if ([request.memberIds, request.template, request.segment].filter(Boolean).length !== 1) {
    throw new DuetError(
      'INVALID_ARGUMENT',
      'give exactly one audience: memberIds (a list), template (every member holding a grant for it) or segment (its members now)',
    );
  }
  if (request.template && !NOTICE_TEMPLATES.templates.some((t) => t.id === request.template)) {
    throw new DuetError('INVALID_ARGUMENT', `unknown subscription template ${request.template}`);
  }
  const dueAt = request.dueAt ? new Date(request.dueAt) : now;
  const expiresAt = request.expiresAt ? new Date(request.expiresAt) : new Date(dueAt.getTime() + DEFAULT_TTL_MS);
  if (expiresAt.getTime() <= dueAt.getTime()) throw new DuetError('INVALID_ARGUMENT', 'expiresAt must be after dueAt');
  const message = { title: request.title, content: request.content, page: pageOf(request.page), dueAt, expiresAt };
  // A segment is listed once, here: members who enter it later are not added when the broadcast resumes.
  const memberIds = request.segment
    ? await segmentMemberIds(request.segment, now)
    : request.memberIds
      ? [...new Set(request.memberIds)]
      : undefined;
  const cursor: BroadcastCursor = {
    _id: cursorId,
    job: 'broadcast',
    broadcastId: request.broadcastId,
    dryRun: !!request.dryRun,
    message,
    audience: memberIds
      ? { memberIds, ...(request.segment ? { segment: request.segment } : {}) }
      : { template: request.template as string },
    total: memberIds ? memberIds.length : await countGrantHolders(request.template as string),
    done: 0,
    after: '',
    written: 0,
    already: 0,
    unknownMembers: [],
    byChannel: { subscribe: 0, mp: 0, none: 0 },
    startedAt: now,
    updatedAt: now,
    // An empty segment is a broadcast with nothing to do.
    doneAt: memberIds?.length === 0 ? now : null,
  };
  if (await insertCursor(cursor)) return cursor;
  // Another run opened it first: its audience stands.
  return (await findCursor<BroadcastCursor>(cursorId)) ?? cursor;
}

function view(cursor: BroadcastCursor) {
  return {
    broadcastId: cursor.broadcastId,
    dryRun: cursor.dryRun,
    total: cursor.total,
    done: cursor.done,
    remaining: cursor.doneAt ? 0 : Math.max(1, cursor.total - cursor.done),
    written: cursor.written,
    already: cursor.already,
    unknownMembers: cursor.unknownMembers.slice(0, 100),
    unknownCount: cursor.unknownMembers.length,
    byChannel: cursor.byChannel,
    finishedAt: cursor.doneAt ? new Date(cursor.doneAt).toISOString() : null,
  };
}
