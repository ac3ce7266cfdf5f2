import { bucketOf } from '../../core/funnel/place';
import { DuetError } from '../../core/errors';
import type { IdentityDoc, MemberDoc } from '../../core/member/member';
import { accountFields, addLots, normalizeAccount } from '../../core/points/account';
import { LEDGER_TITLES } from '../../core/points/ledger';
import { laterCheckIn } from '../../core/points/check-in';
import { mergePointsDay } from '../../core/points/rules';
import { database } from '../cloud';
import { findById, findByIds, insertOnce, updatedCount } from '../documents';
import { withTransaction } from '../transaction';

import { COLLECTIONS } from '../collections';

/** `members` and `identities` (each app identity or unionid → its member). */
const MEMBERS = COLLECTIONS.members;
const IDENTITIES = COLLECTIONS.identities;
const LEDGER = COLLECTIONS.pointsLedger;

export function findIdentity(key: string): Promise<IdentityDoc | null> {
  return findById<IdentityDoc>(IDENTITIES, key);
}

export function findMember(memberId: string): Promise<MemberDoc | null> {
  return findById<MemberDoc>(MEMBERS, memberId);
}

/** Identities by key in one query (a batch job's "which of these do we know"). */
export async function findIdentities(keys: string[]): Promise<IdentityDoc[]> {
  return findByIds<IdentityDoc>(IDENTITIES, keys);
}

/** Members by id in one query, as stored (merged-away ones included). */
export async function findMembers(memberIds: string[]): Promise<MemberDoc[]> {
  return findByIds<MemberDoc>(MEMBERS, memberIds);
}

/** The app identities (mini-program, 公众号) of these members: how a message reaches each. */
export async function findAppIdentitiesOf(memberIds: string[]): Promise<IdentityDoc[]> {
  const unique = [...new Set(memberIds)];
  if (unique.length === 0) return [];
  const _ = database().command;
  // Each member has one identity per app; the limit leaves room for a few apps each.
  const result = (await database()
    .collection(IDENTITIES)
    .where({ memberId: _.in(unique), kind: 'app' })
    .limit(Math.min(1000, unique.length * 4))
    .get()) as unknown as { data: IdentityDoc[] };
  return result.data;
}

const MAX_MERGE_HOPS = 8;

/**
 * Follows `mergedInto` to the member that absorbed this one: merged-away ids keep resolving, and
 * every write for a member goes to the member it is now.
 */
export async function finalMemberId(memberId: string): Promise<string> {
  let id = memberId;
  for (let hops = 0; hops < MAX_MERGE_HOPS; hops += 1) {
    const member = await findMember(id);
    if (!member?.mergedInto) return id;
    id = member.mergedInto;
  }
  throw new DuetError('INTERNAL', `merge chain from ${memberId} is longer than ${MAX_MERGE_HOPS}`);
}

/**
 * `finalMemberId` with the document it ends on (null: no member has that id), one read per hop.
 * (Kept apart from `finalMemberId`, which bundles that never read touches — the admin function — use.)
 */
export async function finalMember(memberId: string): Promise<{ id: string; member: MemberDoc | null }> {
  let id = memberId;
  for (let hops = 0; hops < MAX_MERGE_HOPS; hops += 1) {
    const member = await findMember(id);
    if (!member?.mergedInto) return { id, member };
    id = member.mergedInto;
  }
  throw new DuetError('INTERNAL', `merge chain from ${memberId} is longer than ${MAX_MERGE_HOPS}`);
}

/**
 * Claims an identity for a member: the first claim wins, later ones read the winner.
 * Returns the identity as stored.
 */
export async function claimIdentity(doc: IdentityDoc): Promise<IdentityDoc> {
  const existing = await findIdentity(doc._id);
  if (existing) return existing;
  if (await insertOnce(IDENTITIES, doc)) return doc;
  const winner = await findIdentity(doc._id);
  if (!winner) throw new DuetError('CONFLICT', `identity ${doc._id} vanished after a duplicate insert; try again`);
  return winner;
}

export function insertMember(doc: MemberDoc): Promise<boolean> {
  return insertOnce(MEMBERS, doc);
}

export async function updateMember(memberId: string, fields: Record<string, unknown>): Promise<void> {
  await database().collection(MEMBERS).doc(memberId).update({ data: fields });
}

export async function repointIdentities(fromMemberId: string, toMemberId: string): Promise<void> {
  await database()
    .collection(IDENTITIES)
    .where({ memberId: fromMemberId })
    .update({ data: { memberId: toMemberId } });
}

export async function repointOwned(collection: string, fromMemberId: string, toMemberId: string): Promise<void> {
  // A funnel event's bucket follows its member, so the survivor's events of a day stay in one bucket.
  const moved = collection === COLLECTIONS.events ? { memberId: toMemberId, bucket: bucketOf(toMemberId) } : { memberId: toMemberId };
  await database().collection(collection).where({ memberId: fromMemberId }).update({ data: moved });
}

/**
 * Moves whatever points `from` holds now to `into`, with their lots (each keeps its expiry, so
 * nothing expires early or late), in one transaction that zeroes the source, credits the target and
 * writes a ledger entry on each side (`merge:<from>:<seq>:out` / `:in`), so each member's balance
 * stays the sum of their entries before and after the merge repoints `from`'s entries. Safe to run
 * any number of times, concurrently too: a run finds the points a late write left on `from` and
 * moves them; a run that finds none moves nothing. The check-in state that says more (the later
 * day) goes to `into` too, so the person checks in once that day, not once per member.
 */
export async function movePoints(fromMemberId: string, intoMemberId: string, now: Date): Promise<number> {
  return withTransaction(async (tx: any) => {
    const from = (await tx.collection(MEMBERS).doc(fromMemberId).get()).data as MemberDoc;
    const into = (await tx.collection(MEMBERS).doc(intoMemberId).get()).data as MemberDoc;
    // Today's check-in is the person's: one made as `from` leaves `into` checked in too (and its streak goes on).
    const checkIn = laterCheckIn(into.checkIn, from.checkIn);
    // So are today's capped earnings: added to the survivor's once (cleared on `from` as they move), never a second cap.
    const pointsDay = from.pointsDay ? mergePointsDay(into.pointsDay, from.pointsDay) : into.pointsDay;
    const carried = { ...(checkIn !== into.checkIn ? { checkIn } : {}), ...(pointsDay !== into.pointsDay ? { pointsDay } : {}) };
    const clearFrom = from.pointsDay ? { pointsDay: null } : {};
    const moving = Number(from.points ?? 0);
    if (!moving) {
      if (Object.keys(carried).length > 0) await tx.collection(MEMBERS).doc(intoMemberId).update({ data: carried });
      if (from.pointsDay) await tx.collection(MEMBERS).doc(fromMemberId).update({ data: clearFrom });
      return 0;
    }
    const lots = normalizeAccount(from).lots;
    const intoAccount = addLots(normalizeAccount(into), lots);
    const fromSeq = Number(from.pointsSeq ?? 0) + 1;
    const intoSeq = Number(into.pointsSeq ?? 0) + 1;
    const key = `ledger:merge:${fromMemberId}:${fromSeq}`;
    const entry = { source: 'merge', title: LEDGER_TITLES.merge, at: now, lots };
    await tx.collection(LEDGER).add({
      data: {
        _id: `${key}:out`,
        memberId: fromMemberId,
        delta: -moving,
        balanceAfter: 0,
        seq: fromSeq,
        ref: { into: intoMemberId },
        ...entry,
      },
    });
    await tx.collection(LEDGER).add({
      data: {
        _id: `${key}:in`,
        memberId: intoMemberId,
        delta: moving,
        balanceAfter: intoAccount.balance,
        seq: intoSeq,
        ref: { from: fromMemberId },
        ...entry,
      },
    });
    await tx
      .collection(MEMBERS)
      .doc(intoMemberId)
      .update({ data: { ...accountFields(into, intoAccount), pointsSeq: intoSeq, ...carried } });
    await tx
      .collection(MEMBERS)
      .doc(fromMemberId)
      .update({ data: { ...accountFields(from, { balance: 0, lots: [] }), pointsSeq: fromSeq, ...clearFrom } });
    return moving;
  });
}

/** Merged-away members whose merge may not be complete: not settled yet, or holding points again. */
export async function findUnsettledMerges(limit: number): Promise<MemberDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(MEMBERS)
    .where(_.and([{ mergedInto: _.exists(true) }, _.or([{ mergeSettledAt: _.exists(false) }, { points: _.neq(0) }])]))
    .limit(limit)
    .get()) as unknown as { data: MemberDoc[] };
  return result.data;
}

/**
 * Follow state, ordered by the push's own time: an update older than the state stored (a retry,
 * a slow instance) changes nothing. True when this update was applied.
 */
export async function updateFollowState(memberId: string, fields: Record<string, unknown>, pushAt: Date): Promise<boolean> {
  // Written to the member this one is now: a follow never lands on a merged-away member.
  const target = await finalMemberId(memberId);
  const _ = database().command;
  const result = await database()
    .collection(MEMBERS)
    .where(
      _.or([
        { _id: target, mpFollowStateAt: _.lte(pushAt) },
        { _id: target, mpFollowStateAt: _.exists(false) },
      ]),
    )
    .update({ data: { ...fields, mpFollowStateAt: pushAt } });
  return updatedCount(result) === 1;
}

/** Counts behind the member center's entries (coupons and orders get their own repositories with their features). */
export async function countMemberHoldings(memberId: string, now: Date): Promise<{ usableCoupons: number; orders: number }> {
  const db = database();
  const _ = db.command;
  const [coupons, orders] = await Promise.all([
    // As the wallet's first tab counts them: usable and still valid, or held by an unpaid order.
    db
      .collection(COLLECTIONS.coupons)
      .where(
        _.or([
          { memberId, state: 'usable', validUntil: _.gte(now) },
          { memberId, state: 'locked' },
        ]),
      )
      .count(),
    db.collection(COLLECTIONS.orders).where({ memberId }).count(),
  ]);
  return { usableCoupons: (coupons as { total: number }).total, orders: (orders as { total: number }).total };
}

/** Records the member's first paid order (what "new member" coupon rules read), once: an earlier time is kept. */
export async function markFirstPaid(memberId: string, at: Date): Promise<void> {
  const _ = database().command;
  await database()
    .collection(MEMBERS)
    .where(_.and([{ _id: await finalMemberId(memberId) }, _.or([{ firstPaidAt: _.exists(false) }, { firstPaidAt: null }])]))
    .update({ data: { firstPaidAt: at } });
}
