import { grantCouponId, newCouponDoc } from '../../core/coupon/coupon';
import { DuetError } from '../../core/errors';
import type { Segment } from '../../core/funnel/segments';
import { clockFrom, elapsedMs } from '../clock';
import { issueCoupon } from '../coupon/issue-coupon';
import { findTemplate } from '../coupon/repository';
import { inFlight } from '../in-flight';
import { findCursor, insertCursor, releaseJobLease, takeJobLease, updateCursor } from '../jobs/repository';
import { log } from '../log';
import { segmentMemberIds } from '../funnel/segments';
import { finalMemberId, findMembers } from '../member/repository';

/** Stop starting new members after this long: the function's timeout is 60 s. */
const TIME_BUDGET_MS = 40_000;
const LEASE_MS = 65_000;
/** Members looked up in one query, then granted a few at a time. */
const BATCH = 50;
const GRANTS_IN_FLIGHT = 8;

interface GrantCursor {
  _id: string;
  job: 'grantCoupons';
  batchId: string;
  templateId: string;
  /** The audience, frozen on the first run: the list given, or the segment's members then. */
  memberIds: string[];
  segment?: Segment;
  offset: number;
  granted: number;
  already: number;
  unknownMembers: string[];
  stoppedBy: 'sold_out' | 'paused' | 'ended' | null;
  startedAt: Date;
  updatedAt: Date;
  doneAt: Date | null;
}

export interface GrantRequest {
  templateId: string;
  batchId: string;
  /** Exactly one audience on the first run: a list of member ids, or a segment (its members at that run). */
  memberIds?: string[];
  segment?: Segment;
  chunkSize?: number;
}

/**
 * `grantCoupons`: one coupon of a template to each listed member, or to each member of a segment
 * (compensation, VIPs; the segment's members are listed on the first run and kept). A coupon's
 * `_id` is `grant:<batch>:<member>`, so a member gets one per batch however often the batch runs,
 * and a merged-away id is granted to the member it became. Each grant takes stock like a claim
 * (the template never issues more than its stock) but ignores claim windows, eligibility and the
 * per-member limit: the operator decided. Resumable: the list and the place in it are kept in
 * `job_cursors` under a lease; a run stops after 40 s or `chunkSize` members, or when the template
 * runs out (add stock, run again).
 */
export async function grantCoupons(request: GrantRequest, now: Date) {
  const started = performance.now();
  const clock = clockFrom(now);
  const cursorId = `grant:${request.batchId}`;
  let cursor = await openCursor(cursorId, request, now);
  if (cursor.doneAt) return view(cursor);
  const lease = await takeJobLease(cursorId, now, LEASE_MS);
  if (!lease) throw new DuetError('CONFLICT', `another run is granting batch ${request.batchId}; try again when it ends`);
  try {
    cursor = (await findCursor<GrantCursor>(cursorId)) ?? cursor;
    if (!cursor.doneAt) cursor = await work(cursor, request.chunkSize ?? Number.POSITIVE_INFINITY, started, clock);
  } finally {
    await releaseJobLease(cursorId, lease);
  }
  return view(cursor);
}

async function work(start: GrantCursor, chunk: number, started: number, clock: () => Date): Promise<GrantCursor> {
  const cursor: GrantCursor = { ...start, stoppedBy: null };
  const template = await findTemplate(cursor.templateId);
  if (!template) throw new DuetError('NOT_FOUND', `no coupon template ${cursor.templateId}`);
  let processed = 0;
  while (cursor.offset < cursor.memberIds.length && processed < chunk && elapsedMs(started) < TIME_BUDGET_MS) {
    if (template.status === 'ended') {
      cursor.stoppedBy = 'ended';
      break;
    }
    const ids = cursor.memberIds.slice(cursor.offset, cursor.offset + Math.min(BATCH, chunk - processed));
    const known = new Map((await findMembers(ids)).map((member) => [member._id, member]));
    const outcomes: Array<'issued' | 'duplicate' | 'sold_out' | 'unknown'> = new Array(ids.length);
    await inFlight(
      ids.map((id, index) => ({ id, index })),
      GRANTS_IN_FLIGHT,
      async ({ id, index }) => {
        const member = known.get(id);
        if (!member) {
          outcomes[index] = 'unknown';
          return;
        }
        const target = member.mergedInto ? await finalMemberId(member._id) : member._id;
        const at = clock();
        const coupon = newCouponDoc(template, {
          id: grantCouponId(cursor.batchId, target),
          memberId: target,
          source: 'grant',
          batchId: cursor.batchId,
          now: at,
        });
        outcomes[index] = await issueCoupon(template, coupon, at);
      },
    );
    // Up to the first member the stock did not cover: that member and the rest wait for more stock.
    const soldOutAt = outcomes.indexOf('sold_out');
    const settled = soldOutAt === -1 ? ids.length : soldOutAt;
    for (let index = 0; index < settled; index += 1) {
      if (outcomes[index] === 'issued') cursor.granted += 1;
      else if (outcomes[index] === 'duplicate') cursor.already += 1;
      else cursor.unknownMembers.push(ids[index]);
    }
    cursor.offset += settled;
    processed += settled;
    if (soldOutAt !== -1) {
      // The take refuses a template that is not active as it refuses one with no stock: say which.
      const status = (await findTemplate(template._id))?.status;
      cursor.stoppedBy = status === 'paused' ? 'paused' : status === 'ended' ? 'ended' : 'sold_out';
    }
    if (cursor.offset >= cursor.memberIds.length) cursor.doneAt = clock();
    await save(cursor, clock());
    if (cursor.stoppedBy) break;
  }
  if (cursor.stoppedBy === 'ended') await save(cursor, clock());
  log('info', {
    event: 'admin.grantCoupons.progress',
    batch: cursor.batchId,
    done: cursor.offset,
    total: cursor.memberIds.length,
    processed,
  });
  return cursor;
}

async function save(cursor: GrantCursor, now: Date): Promise<void> {
  cursor.updatedAt = now;
  const { offset, granted, already, unknownMembers, stoppedBy, updatedAt, doneAt } = cursor;
  await updateCursor(cursor._id, () => ({ offset, granted, already, unknownMembers, stoppedBy, updatedAt, doneAt }));
}

async function openCursor(cursorId: string, request: GrantRequest, now: Date): Promise<GrantCursor> {
  if (request.memberIds && request.segment) throw new DuetError('INVALID_ARGUMENT', 'give memberIds or segment, not both');
  const existing = await findCursor<GrantCursor>(cursorId);
  if (existing) {
    if (existing.templateId !== request.templateId) {
      throw new DuetError('CONFLICT', `batch ${request.batchId} grants template ${existing.templateId}, not ${request.templateId}`);
    }
    if (request.memberIds && (existing.segment || [...new Set(request.memberIds)].join('\n') !== existing.memberIds.join('\n'))) {
      throw new DuetError('CONFLICT', `batch ${request.batchId} was started with another member list: name a new batch`);
    }
    if (request.segment && request.segment !== existing.segment) {
      throw new DuetError('CONFLICT', `batch ${request.batchId} was started with another audience: name a new batch`);
    }
    return existing;
  }
  if (!request.memberIds && !request.segment) {
    throw new DuetError('INVALID_ARGUMENT', `memberIds or segment: batch ${request.batchId} is new, so it needs its members`);
  }
  if (!(await findTemplate(request.templateId))) throw new DuetError('NOT_FOUND', `no coupon template ${request.templateId}`);
  // A segment is frozen here: members who enter it later are not added when the batch resumes.
  const memberIds = request.segment ? await segmentMemberIds(request.segment, now) : [...new Set(request.memberIds)];
  const fresh: GrantCursor = {
    _id: cursorId,
    job: 'grantCoupons',
    batchId: request.batchId,
    templateId: request.templateId,
    memberIds,
    ...(request.segment ? { segment: request.segment } : {}),
    offset: 0,
    granted: 0,
    already: 0,
    unknownMembers: [],
    stoppedBy: null,
    startedAt: now,
    updatedAt: now,
    // An empty segment is a batch with nothing to do.
    doneAt: memberIds.length === 0 ? now : null,
  };
  if (await insertCursor(fresh)) return fresh;
  return (await findCursor<GrantCursor>(cursorId)) ?? fresh;
}

function view(cursor: GrantCursor) {
  const total = cursor.memberIds.length;
  return {
    batchId: cursor.batchId,
    templateId: cursor.templateId,
    total,
    done: cursor.offset,
    remaining: total - cursor.offset,
    granted: cursor.granted,
    already: cursor.already,
    unknownMembers: cursor.unknownMembers,
    stoppedBy: cursor.stoppedBy,
    finishedAt: cursor.doneAt ? new Date(cursor.doneAt).toISOString() : null,
  };
}
