import type { OutputOf, ParsedInputOf } from '../../core/contract';
import type { FunnelAdminContract } from '../../core/contracts/funnel-admin';
import { DuetError } from '../../core/errors';
import {
  isLifecycleSegment,
  LIFECYCLE_SEGMENTS,
  lastActiveDayOf,
  RFM_CELLS,
  type RfmCell,
  rfmAverages,
  SEGMENT_LABELS,
  type Segment,
} from '../../core/funnel/segments';
import { displayNickname } from '../../core/member/member';
import { shanghaiDay } from '../../core/points/rules';

import {
  AGGREGATE_ROWS,
  countLifecycle,
  finalId,
  lifecyclePage,
  type ListedMember,
  MAX_SEGMENT_AUDIENCE,
  membersByIds,
  mergedAway,
  type OrderStats,
  paidStats,
  rfmPayers,
} from './segment-repository';

export { MAX_SEGMENT_AUDIENCE };
const DEFAULT_PAGE = 100;

/**
 * Segments over `members` and `orders` (rules: core/funnel/segments.ts). Lifecycle segments are
 * database queries built from the rule's bounds (counted, or listed by `_id`); RFM cells need every
 * payer's figures, which one aggregate per 10,000 payers sums in the database. Members merged away
 * (`mergedInto`) are never listed, and their stray orders count for the member they became.
 * Requests: `countSegments` 4 counts + 1 per 1,000 merged-away members + 1 per 10,000 payers (6 for a
 * brand under those numbers); a page of `segmentMembers` 3 for a lifecycle segment (merged map, the
 * page, its members' orders) and 2 + 1 per 10,000 payers for an RFM cell; `segmentMemberIds` 1 per
 * 10,000 members of a lifecycle segment, 1 + 1 per 10,000 payers for a cell.
 */
type SegmentMembers = OutputOf<FunnelAdminContract, 'segmentMembers'>;

export async function countSegments(now: Date): Promise<OutputOf<FunnelAdminContract, 'segments'>> {
  const today = shanghaiDay(now);
  const lifecycle = await Promise.all(
    LIFECYCLE_SEGMENTS.map(async (segment) => {
      return countLifecycle(segment, today);
    }),
  );
  const { payers, totals } = await rfmPayers(today);
  const cells = new Map<RfmCell, number>();
  for (const payer of payers) cells.set(payer.cell, (cells.get(payer.cell) ?? 0) + 1);
  return {
    at: now.toISOString(),
    segments: [
      ...LIFECYCLE_SEGMENTS.map((segment, i) => ({ segment, label: SEGMENT_LABELS[segment], members: lifecycle[i] })),
      ...RFM_CELLS.map((segment) => ({ segment, label: SEGMENT_LABELS[segment], members: cells.get(segment) ?? 0 })),
    ],
    rfm: rfmAverages(totals),
  };
}

/**
 * One page of a segment's members in `_id` order after `cursor` (the last id of the page before):
 * each member comes once however the pages are cut. `cursor` is null after the last page (a full
 * page answers a cursor, and the page after it may be empty). A member who enters or leaves the
 * segment between pages is listed or not by where the pages are then.
 */
export async function listSegmentMembers(input: ParsedInputOf<FunnelAdminContract, 'segmentMembers'>, now: Date): Promise<SegmentMembers> {
  const today = shanghaiDay(now);
  const limit = input.limit ?? DEFAULT_PAGE;
  const after = input.cursor ?? '';
  if (isLifecycleSegment(input.segment)) {
    const merged = await mergedAway();
    const page = await lifecyclePage(input.segment, today, after, limit, { _id: 1, nickname: 1, createdAt: 1, loginDay: 1 });
    const ids = new Set(page.map((m) => m._id));
    const strays = [...merged.keys()].filter((id) => ids.has(finalId(id, merged)));
    const stats = await paidStats(today, merged, [...ids, ...strays]);
    return {
      segment: input.segment,
      members: page.map((member) => memberRow(member, stats.get(member._id))),
      cursor: page.length === limit ? (page.at(-1)?._id ?? null) : null,
    };
  }
  const cell = input.segment;
  const { payers } = await rfmPayers(today);
  const inCell = payers.filter((p) => p.cell === cell && p.memberId > after);
  const pageIds = inCell.slice(0, limit).map((p) => p.memberId);
  const docs = new Map((await membersByIds(pageIds)).map((m) => [m._id, m]));
  const byId = new Map(payers.map((p) => [p.memberId, p.stats]));
  return {
    segment: cell,
    members: pageIds.flatMap((id) => {
      const member = docs.get(id);
      return member ? [memberRow(member, byId.get(id))] : [];
    }),
    cursor: inCell.length > limit ? (pageIds.at(-1) ?? null) : null,
  };
}

/**
 * Every member of a segment now, in `_id` order: the audience a grant or a broadcast freezes on its
 * first run. More than `max` members is refused (the list lives in one cursor document).
 */
export async function segmentMemberIds(segment: Segment, now: Date, max = MAX_SEGMENT_AUDIENCE): Promise<string[]> {
  const today = shanghaiDay(now);
  let ids: string[];
  if (isLifecycleSegment(segment)) {
    ids = [];
    for (let after = ''; ; ) {
      const page = await lifecyclePage(segment, today, after, AGGREGATE_ROWS, { _id: 1 });
      ids.push(...page.map((m) => m._id));
      if (ids.length > max || page.length < AGGREGATE_ROWS) break;
      after = page.at(-1)?._id ?? after;
    }
  } else {
    ids = (await rfmPayers(today)).payers.filter((p) => p.cell === segment).map((p) => p.memberId);
  }
  if (ids.length > max) {
    throw new DuetError(
      'FAILED_PRECONDITION',
      `segment ${segment} has more than ${max} members, more than one job holds: list them with segmentMembers and send memberIds in parts`,
    );
  }
  return ids;
}

function memberRow(member: ListedMember, stats: OrderStats | undefined): SegmentMembers['members'][number] {
  const joined = new Date(member.createdAt);
  const valid = !Number.isNaN(joined.getTime());
  return {
    memberId: member._id,
    nickname: displayNickname(member.nickname),
    joinedAt: valid ? joined.toISOString() : '',
    lastActiveDay: valid ? lastActiveDayOf({ createdAt: joined, loginDay: member.loginDay }) : (member.loginDay ?? null),
    orders: stats?.orders ?? 0,
    paidFen: stats?.fen ?? 0,
    lastPaidAt: stats ? new Date(stats.lastPaidAt).toISOString() : null,
  };
}
