import type { GroupState } from '../../core/groupbuy/group-state';
import type { LatePaymentPolicy } from '../../core/groupbuy/rules';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, findByIds, insertOnce, MAX_PER_QUERY, updatedCount } from '../documents';

/**
 * `groupbuy_activities`, `groups` and `groupbuy_limits`. A group's seats live on its own document,
 * so every seat rule is one conditional update of one document:
 * - `heldBy` (members holding or having paid a seat) and `taken` (its length): a seat is taken only
 *   where `taken < size` and the member is not in `heldBy` — never over-full, never two seats.
 * - `holds[memberId]` = the order that holds the member's seat: a release or a payment acts only on
 *   the seat of its own order, and removing the entry is the flip that gives stock back once.
 * - `paidBy` and `paid`: a payment counts once per member (`paidBy` must not hold them yet).
 */
const ACTIVITIES = COLLECTIONS.groupbuyActivities;
const GROUPS = COLLECTIONS.groups;
const LIMITS = COLLECTIONS.groupbuyLimits;

export interface ActivityDoc {
  _id: string;
  title: string;
  productId: string;
  skus: Array<{ skuId: string; groupPrice: number }>;
  size: number;
  fillHours: number;
  holdMinutes: number;
  startAt: Date;
  endAt: Date;
  /** Units ever put into the activity, and units not held or sold now. */
  stock: number;
  stockLeft: number;
  perMemberLimit: number;
  leaderNewMembersOnly: boolean;
  simulateMinPaid: number | null;
  latePayment: LatePaymentPolicy;
  couponsAllowed: boolean;
  paused: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface GroupDoc {
  _id: string;
  activityId: string;
  leaderId: string;
  size: number;
  state: GroupState;
  taken: number;
  paid: number;
  heldBy: string[];
  paidBy: string[];
  holds: Record<string, string>;
  /** Display names of the members, kept when they took their seat (the invite page shows them). */
  names: Record<string, string>;
  /** Members of a failed group whose activity unit and limit went back (once each). */
  returnedBy: string[];
  createdAt: Date;
  deadline: Date;
  openedAt?: Date;
  succeededAt?: Date;
  failedAt?: Date;
  abandonedAt?: Date;
  simulated?: boolean;
  /** Set when everything the outcome implies (orders, refunds, notices) is done. */
  settledAt?: Date;
}

export interface LimitDoc {
  _id: string;
  activityId: string;
  memberId: string;
  /** The orders holding or having paid a seat in the activity: the member's count against the limit. */
  orders: string[];
  count: number;
}

/** Whether the order holds a paid seat in the group: its member paid there, and with this order. */
export function holdsPaidSeat(group: Pick<GroupDoc, 'holds' | 'paidBy'>, order: { _id: string; memberId: string }): boolean {
  return group.holds[order.memberId] === order._id && group.paidBy.includes(order.memberId);
}

export const insertActivity = (doc: ActivityDoc) => insertOnce(ACTIVITIES, doc);
export const findActivity = (id: string) => findById<ActivityDoc>(ACTIVITIES, id);
export const findActivities = (ids: readonly string[]) => findByIds<ActivityDoc>(ACTIVITIES, ids);
export const insertGroup = (doc: GroupDoc) => insertOnce(GROUPS, doc);
export const findGroup = (id: string) => findById<GroupDoc>(GROUPS, id);

export async function updateActivity(id: string, fields: Record<string, unknown>): Promise<void> {
  await database().collection(ACTIVITIES).doc(id).update({ data: fields });
}

/** Activities whose window has not ended (the storefront and the list page), soonest to end first. */
export async function findActivitiesEndingAfter(now: Date, limit: number): Promise<ActivityDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(ACTIVITIES)
    .where({ endAt: _.gt(now) })
    .orderBy('endAt', 'asc')
    .limit(Math.min(limit, MAX_PER_QUERY))
    .get()) as unknown as { data: ActivityDoc[] };
  return result.data;
}

export async function listAllActivities(limit: number): Promise<ActivityDoc[]> {
  const result = (await database()
    .collection(ACTIVITIES)
    .orderBy('createdAt', 'desc')
    .limit(Math.min(limit, MAX_PER_QUERY))
    .get()) as unknown as { data: ActivityDoc[] };
  return result.data;
}

/** One unit of the activity's stock, taken with a conditional decrement: true when there was one. */
export async function takeActivityUnit(activityId: string): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(ACTIVITIES)
    .where({ _id: activityId, stockLeft: _.gte(1) })
    .update({ data: { stockLeft: _.inc(-1) } });
  return updatedCount(result) === 1;
}

export async function giveBackActivityUnit(activityId: string): Promise<void> {
  const _ = database().command;
  await database()
    .collection(ACTIVITIES)
    .doc(activityId)
    .update({ data: { stockLeft: _.inc(1) } });
}

export async function addActivityStock(activityId: string, units: number, now: Date): Promise<void> {
  const _ = database().command;
  await database()
    .collection(ACTIVITIES)
    .doc(activityId)
    .update({ data: { stock: _.inc(units), stockLeft: _.inc(units), updatedAt: now } });
}

/**
 * Counts `orderId` against the member's limit in the activity: true when it fits (or already
 * counts). The order's id in `orders` makes a repeat count once.
 */
export async function takeLimit(activityId: string, memberId: string, orderId: string, limit: number): Promise<boolean> {
  const _ = database().command;
  const id = `lim:${activityId}:${memberId}`;
  await insertOnce<LimitDoc>(LIMITS, { _id: id, activityId, memberId, orders: [], count: 0 });
  const result = await database()
    .collection(LIMITS)
    .where({ _id: id, count: _.lt(limit), orders: _.nin([orderId]) })
    .update({ data: { orders: _.push(orderId), count: _.inc(1) } });
  if (updatedCount(result) === 1) return true;
  const current = await findById<LimitDoc>(LIMITS, id);
  return !!current?.orders.includes(orderId);
}

/** The order no longer counts against the member's limit (any number of times: once). */
export async function releaseLimit(activityId: string, memberId: string, orderId: string): Promise<void> {
  const _ = database().command;
  await database()
    .collection(LIMITS)
    .where({ _id: `lim:${activityId}:${memberId}`, orders: orderId })
    .update({ data: { orders: _.pull(orderId), count: _.inc(-1) } });
}

/**
 * Takes a seat for `orderId`: where the group is in `states`, has a free seat, has not passed its
 * deadline and does not hold the member yet. `paid` takes it already paid (a late payment placed).
 */
export async function takeGroupSeat(
  group: Pick<GroupDoc, '_id' | 'size'>,
  seat: { memberId: string; orderId: string; name: string; paid: boolean },
  states: readonly GroupState[],
  now: Date,
): Promise<boolean> {
  const _ = database().command;
  const data: Record<string, unknown> = {
    heldBy: _.push(seat.memberId),
    taken: _.inc(1),
    [`holds.${seat.memberId}`]: seat.orderId,
    [`names.${seat.memberId}`]: seat.name,
  };
  if (seat.paid) Object.assign(data, { paidBy: _.push(seat.memberId), paid: _.inc(1) });
  const result = await database()
    .collection(GROUPS)
    .where({
      _id: group._id,
      state: states.length === 1 ? states[0] : _.in([...states]),
      taken: _.lt(group.size),
      deadline: _.gt(now),
      heldBy: _.nin([seat.memberId]),
    })
    .update({ data });
  return updatedCount(result) === 1;
}

/** The order's unpaid seat is freed: true when this call freed it (what it took goes back only then). */
export async function releaseGroupSeat(groupId: string, memberId: string, orderId: string): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(GROUPS)
    .where({ _id: groupId, [`holds.${memberId}`]: orderId, paidBy: _.nin([memberId]) })
    .update({ data: { heldBy: _.pull(memberId), taken: _.inc(-1), [`holds.${memberId}`]: _.remove() } });
  return updatedCount(result) === 1;
}

/** The order's held seat becomes paid, once, while the group takes payments. True when this call did it. */
export async function payGroupSeat(groupId: string, memberId: string, orderId: string, states: readonly GroupState[]): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(GROUPS)
    .where({ _id: groupId, state: _.in([...states]), [`holds.${memberId}`]: orderId, paidBy: _.nin([memberId]) })
    .update({ data: { paidBy: _.push(memberId), paid: _.inc(1) } });
  return updatedCount(result) === 1;
}

/** A conditional move of the group's state; `where` adds conditions (counts, the leader's order). */
export async function moveGroup(
  groupId: string,
  from: GroupState,
  to: GroupState,
  where: Record<string, unknown>,
  fields: Record<string, unknown>,
): Promise<boolean> {
  const result = await database()
    .collection(GROUPS)
    .where({ ...where, _id: groupId, state: from })
    .update({ data: { ...fields, state: to } });
  return updatedCount(result) === 1;
}

/** open → succeeded where at least `minPaid` seats are paid (the size; fewer for 模拟成团). True when this call moved it. */
export async function succeedGroupIf(groupId: string, minPaid: number, fields: Record<string, unknown>): Promise<boolean> {
  return moveGroup(groupId, 'open', 'succeeded', { paid: database().command.gte(minPaid) }, fields);
}

/** open → failed where fewer than `size` seats are paid: a group that filled meanwhile cannot fail. */
export async function failGroupIf(groupId: string, size: number, fields: Record<string, unknown>): Promise<boolean> {
  return moveGroup(groupId, 'open', 'failed', { paid: database().command.lt(size) }, fields);
}

/** A failed group's member got their unit and limit back: true the first time only. */
export async function markReturned(groupId: string, memberId: string): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(GROUPS)
    .where({ _id: groupId, returnedBy: _.nin([memberId]) })
    .update({ data: { returnedBy: _.push(memberId) } });
  return updatedCount(result) === 1;
}

export async function updateGroup(groupId: string, fields: Record<string, unknown>): Promise<void> {
  await database().collection(GROUPS).doc(groupId).update({ data: fields });
}

/** Open groups of an activity a reader could still join, the closest to filling first. */
export async function findJoinableGroups(activityId: string, now: Date, limit: number): Promise<GroupDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(GROUPS)
    .where({ activityId, state: 'open', deadline: _.gt(now) })
    .orderBy('paid', 'desc')
    .orderBy('deadline', 'asc')
    .limit(Math.min(limit, MAX_PER_QUERY))
    .get()) as unknown as { data: GroupDoc[] };
  return result.data;
}

/** Open groups whose deadline passed, oldest first: what the deadline job decides. */
export async function findGroupsPastDeadline(now: Date, limit: number): Promise<GroupDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(GROUPS)
    .where({ state: 'open', deadline: _.lte(now) })
    .orderBy('deadline', 'asc')
    .limit(limit)
    .get()) as unknown as { data: GroupDoc[] };
  return result.data;
}

/** Groups that ended (succeeded or failed) before `before` and whose follow-ups are not all done. */
export async function findUnsettledGroups(state: 'succeeded' | 'failed', before: Date, limit: number): Promise<GroupDoc[]> {
  const _ = database().command;
  const field = state === 'succeeded' ? 'succeededAt' : 'failedAt';
  const result = (await database()
    .collection(GROUPS)
    .where({ state, settledAt: _.exists(false), [field]: _.lt(before) })
    .limit(limit)
    .get()) as unknown as { data: GroupDoc[] };
  return result.data;
}

/** The groups in which a member holds or paid a seat, newest first (a hold that ran out is gone from `heldBy`). */
export async function findMemberGroups(memberId: string, limit: number): Promise<GroupDoc[]> {
  const result = (await database()
    .collection(GROUPS)
    .where({ heldBy: memberId })
    .orderBy('createdAt', 'desc')
    .limit(limit)
    .get()) as unknown as { data: GroupDoc[] };
  return result.data;
}

/** Groups of activities by state, with paid seats: what `listGroupBuys` reports (one aggregate). */
export async function countGroupsByActivity(
  activityIds: readonly string[],
): Promise<Array<{ activityId: string; state: GroupState; groups: number; paidSeats: number }>> {
  if (activityIds.length === 0) return [];
  const _ = database().command;
  const $ = _.aggregate;
  const result = (await database()
    .collection(GROUPS)
    .aggregate()
    .match({ activityId: _.in([...activityIds]) })
    .group({ _id: { activityId: '$activityId', state: '$state' }, groups: $.sum(1), paidSeats: $.sum('$paid') })
    .limit(MAX_PER_QUERY)
    .end()) as unknown as { list: Array<{ _id: { activityId: string; state: GroupState }; groups: number; paidSeats: number }> };
  return result.list.map((row) => ({ activityId: row._id.activityId, state: row._id.state, groups: row.groups, paidSeats: row.paidSeats }));
}
