import { accountFields, normalizeAccount, type PointsAccount } from '../../core/points/account';
import { LEDGER_TITLES, ledgerId, type LedgerEntryDoc, type LedgerSource } from '../../core/points/ledger';
import { DEFAULT_POINTS_RULES, type PointsRules, shanghaiDay } from '../../core/points/rules';
import type { MemberDoc } from '../../core/member/member';
import { DuetError, type ErrorCode } from '../../core/errors';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, findByIds, insertOnce } from '../documents';
import { isDuplicateKeyError } from '../db-errors';
import { instanceCache } from '../instance-cache';
import { creditOf, eventId } from '../../core/funnel/events';
import { recordFunnelEvent } from '../member/event-repository';
import { txFind, withTransaction } from '../transaction';

const MEMBERS = COLLECTIONS.members;
const LEDGER = COLLECTIONS.pointsLedger;
const RULES_ID = 'points_rules';

/** The points fields of a member document (the balance `points` is the one the member center shows). */
/** The points fields of a member document (`core/member/member.ts` says what each holds), as a posting reads them. */
export type PointsFields = Pick<MemberDoc, '_id'> &
  Partial<
    Pick<
      MemberDoc,
      'points' | 'pointLots' | 'pointsSeq' | 'pointsDay' | 'checkIn' | 'pointsNextExpiry' | 'pointsNextNoticed' | 'mergedInto'
    >
  >;

/** What a posting decides from the member's points as they are inside the transaction. */
export type Posting =
  | {
      delta: number;
      account: PointsAccount;
      /** Entry fields besides the common ones (expiresAt, lots, ref, unrecovered …). */
      entry?: Partial<LedgerEntryDoc>;
      /** Member fields written with the balance (check-in state, today's earnings). */
      member?: Record<string, unknown>;
    }
  | { refused: string; message: string; code?: ErrorCode };

export interface PostingView {
  account: PointsAccount;
  member: PointsFields;
  today: string;
  /** What the capped rule has given today. */
  earnedToday(rule: string): number;
}

export interface Posted {
  entry: LedgerEntryDoc;
  /** True when the key had been posted before: nothing changed now. */
  repeated: boolean;
  /** The member as the posting read it (absent on a repeat: nothing was read). */
  member?: Pick<MemberDoc, 'lastTouch' | 'firstTouch'>;
}

/**
 * Posts one ledger entry and the balance it makes, in one transaction: the entry's `_id` is
 * `ledger:<key>`, so a key posts once, whatever the retries and concurrency (a second transaction
 * finds the entry, or conflicts on the member and finds it when it runs again). `decide` sees the
 * member's lots as they are inside the transaction and returns the change, or a refusal (thrown as
 * FAILED_PRECONDITION, or the code it names, with its reason: nothing is written). `also` reads and
 * writes what else must change with the points (an exchange, a limit count) in the same transaction.
 */
export async function postEntry(
  memberId: string,
  key: string,
  base: { source: LedgerSource; title?: string; now: Date },
  decide: (view: PostingView) => Posting,
  also?: (tx: any) => Promise<Extract<Posting, { refused: string }> | null>,
): Promise<Posted> {
  const id = ledgerId(key);
  let target = memberId;
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop += 1) {
    const posted = await postOnce(target, id, key, base, decide, also);
    if ('movedTo' in posted) {
      target = posted.movedTo;
      continue;
    }
    await recordPointsEvent(posted, key);
    // The member read stays here: callers get the entry alone.
    return { entry: posted.entry, repeated: posted.repeated };
  }
  throw new DuetError('INTERNAL', `points ${key}: member ${memberId} was merged more than ${MAX_MERGE_HOPS} times`);
}

const MAX_MERGE_HOPS = 8;

async function postOnce(
  memberId: string,
  id: string,
  key: string,
  base: { source: LedgerSource; title?: string; now: Date },
  decide: (view: PostingView) => Posting,
  also?: (tx: any) => Promise<Extract<Posting, { refused: string }> | null>,
): Promise<Posted | { movedTo: string }> {
  return withTransaction(async (tx: any): Promise<Posted | { movedTo: string }> => {
    const member = await txFind<PointsFields & Pick<MemberDoc, 'lastTouch' | 'firstTouch'>>(tx, MEMBERS, memberId);
    if (!member) throw new DuetError('NOT_FOUND', `member ${memberId} does not exist`);
    // Merged away (after the caller found it): the points go to the member it became (nothing is written here).
    if (member.mergedInto) return { movedTo: member.mergedInto };
    const refusal = also ? await also(tx) : null;
    if (refusal) throw refusalError(refusal, key, memberId);
    const today = shanghaiDay(base.now);
    const day = member.pointsDay?.day === today ? member.pointsDay : { day: today };
    const view: PostingView = {
      account: normalizeAccount(member),
      member,
      today,
      earnedToday: (rule) => Number(day[rule] ?? 0),
    };
    const posting = decide(view);
    if ('refused' in posting) throw refusalError(posting, key, memberId);
    if (posting.account.balance < 0) throw new DuetError('INTERNAL', `points ${key} would make ${memberId} negative`);
    const seq = Number(member.pointsSeq ?? 0) + 1;
    const entry: LedgerEntryDoc = {
      _id: id,
      memberId,
      delta: posting.delta,
      source: base.source,
      title: base.title ?? LEDGER_TITLES[base.source] ?? '积分变动',
      balanceAfter: posting.account.balance,
      at: base.now,
      seq,
      ...posting.entry,
    };
    await tx.collection(LEDGER).add({ data: entry });
    await tx
      .collection(MEMBERS)
      .doc(memberId)
      .update({ data: { ...accountFields(member, posting.account), pointsSeq: seq, ...posting.member } });
    return { entry, repeated: false, member };
  }).catch(async (error: unknown) => {
    // Two first postings of one key in separate transactions: the loser's insert is the duplicate.
    if (!isDuplicateKeyError(error)) throw error;
    const entry = await findById<LedgerEntryDoc>(LEDGER, id);
    if (!entry) throw error;
    return { entry, repeated: true };
  });
}

function refusalError(refusal: Extract<Posting, { refused: string }>, key: string, memberId: string): DuetError {
  return new DuetError(refusal.code ?? 'FAILED_PRECONDITION', `points ${key} for ${memberId} refused: ${refusal.refused}`, {
    reason: refusal.refused,
    message: refusal.message,
  });
}

export function findEntry(key: string): Promise<LedgerEntryDoc | null> {
  return findById<LedgerEntryDoc>(LEDGER, ledgerId(key));
}

/**
 * The member's entries newest first, after `before` (the last entry of the previous page). Paged by
 * time and `_id`, not by the change counter: a merge brings another member's entries along.
 */
export async function listEntries(memberId: string, before: { at: Date; id: string } | null, limit: number): Promise<LedgerEntryDoc[]> {
  const _ = database().command;
  const where = before ? _.and([{ memberId }, _.or([{ at: _.lt(before.at) }, { at: before.at, _id: _.lt(before.id) }])]) : { memberId };
  const result = (await database()
    .collection(LEDGER)
    .where(where)
    .orderBy('at', 'desc')
    .orderBy('_id', 'desc')
    .limit(limit)
    .get()) as unknown as {
    data: LedgerEntryDoc[];
  };
  return result.data;
}

/** Entries of a member from one source about one reference (a refund's earlier take-backs of an order). */
export async function findEntriesByRef(
  memberId: string,
  source: LedgerSource,
  refKey: string,
  refValue: string,
): Promise<LedgerEntryDoc[]> {
  const result = (await database()
    .collection(LEDGER)
    .where({ memberId, source, [`ref.${refKey}`]: refValue })
    .limit(100)
    .get()) as unknown as { data: LedgerEntryDoc[] };
  return result.data;
}

/** What refunds refund in all (fen), by id: the order's earlier refunds, where a refund's share of the points starts. */
export async function sumRefundAmounts(refundIds: string[]): Promise<number> {
  const refunds = await findByIds<{ _id: string; amount: number }>(COLLECTIONS.refunds, refundIds);
  return refunds.reduce((sum, refund) => sum + Number(refund.amount ?? 0), 0);
}

/** Each member's sum of entries, for the audit. */
export async function sumEntries(memberIds: string[]): Promise<Map<string, number>> {
  const sums = new Map<string, number>(memberIds.map((id) => [id, 0]));
  if (memberIds.length === 0) return sums;
  const db = database();
  const $ = db.command.aggregate;
  const result = (await db
    .collection(LEDGER)
    .aggregate()
    .match({ memberId: db.command.in(memberIds) })
    .group({ _id: '$memberId', total: $.sum('$delta') })
    .limit(memberIds.length)
    .end()) as { list: Array<{ _id: string; total: number }> };
  for (const row of result.list) sums.set(row._id, row.total);
  return sums;
}

/** Members by `_id` order after `afterId` with their points fields (the audit's pages). */
export async function pageMembers(afterId: string | null, limit: number, memberId?: string): Promise<PointsFields[]> {
  const _ = database().command;
  const where: Record<string, unknown> = memberId ? { _id: memberId } : afterId ? { _id: _.gt(afterId) } : {};
  const result = (await database()
    .collection(MEMBERS)
    .where(where)
    .orderBy('_id', 'asc')
    .field({ _id: true, points: true, pointLots: true, pointsSeq: true, pointsNextExpiry: true, pointsNextNoticed: true, mergedInto: true })
    .limit(limit)
    .get()) as unknown as { data: PointsFields[] };
  return result.data;
}

/** Members holding a lot that expired before `now` (the expiry job), or one expiring by `until` and not noticed (the notice job). */
export async function findMembersByNextExpiry(
  where: { before: Date } | { after: Date; until: Date },
  limit: number,
): Promise<PointsFields[]> {
  const _ = database().command;
  const query =
    'before' in where
      ? { pointsNextExpiry: _.lt(where.before) }
      : { pointsNextExpiry: _.and(_.gt(where.after), _.lte(where.until)), pointsNextNoticed: false };
  const result = (await database().collection(MEMBERS).where(query).limit(limit).get()) as unknown as { data: PointsFields[] };
  return result.data;
}

/** Marks the next expiry noticed, unless it moved meanwhile (then the new one gets its own notice). */
export async function markNextExpiryNoticed(memberId: string, expiresAt: Date): Promise<void> {
  await database()
    .collection(MEMBERS)
    .where({ _id: memberId, pointsNextExpiry: expiresAt })
    .update({ data: { pointsNextNoticed: true } });
}

/** The rules change rarely; an instance reads them at most every 30 s (a change applies within it everywhere). */
const rulesCache = instanceCache(30_000, async () =>
  mergeRules((await findById<Partial<PointsRules>>(COLLECTIONS.settings, RULES_ID)) ?? {}),
);

/** The earning rules: what `setPointsRules` stored over the defaults. */
export function findPointsRules(): Promise<PointsRules> {
  return rulesCache.get();
}

export function mergeRules(stored: Partial<PointsRules>): PointsRules {
  return {
    checkIn: { ...DEFAULT_POINTS_RULES.checkIn, ...stored.checkIn },
    follow: { ...DEFAULT_POINTS_RULES.follow, ...stored.follow },
    purchase: { ...DEFAULT_POINTS_RULES.purchase, ...stored.purchase },
    invite: { ...DEFAULT_POINTS_RULES.invite, ...stored.invite },
    expiry: stored.expiry ?? DEFAULT_POINTS_RULES.expiry,
  };
}

export async function putPointsRules(rules: PointsRules): Promise<void> {
  await database().collection(COLLECTIONS.settings).doc(RULES_ID).set({ data: rules });
  rulesCache.put(rules);
}

/**
 * The audit's repair: the member's balance becomes `balance` (the ledger's sum) and the lots follow
 * (the soonest spent when there are too many, a lot that never expires added when too few) — only
 * when no entry was posted since `seq` was read, so a posting racing the audit is never undone.
 */
export async function repairAccount(
  memberId: string,
  seq: number,
  balance: number,
  repair: (stored: PointsFields) => PointsAccount,
): Promise<boolean> {
  return withTransaction(async (tx: any) => {
    const member = await txFind<PointsFields>(tx, MEMBERS, memberId);
    if (!member || Number(member.pointsSeq ?? 0) !== seq) return false;
    const account = repair(member);
    if (account.balance !== balance) throw new DuetError('INTERNAL', `repair of ${memberId} made ${account.balance}, not ${balance}`);
    await tx
      .collection(MEMBERS)
      .doc(memberId)
      .update({ data: accountFields(member, account) });
    return true;
  });
}

/** The defaults written as the stored rules unless some exist (the seed: an operator's rules stay). */
export async function putRulesUnlessSet(rules: PointsRules): Promise<boolean> {
  return insertOnce(COLLECTIONS.settings, { _id: RULES_ID, ...rules });
}

/**
 * The funnel's points steps, one per ledger entry (`points_earned:<key>` / `points_spent:<key>`, with
 * the entry's signed `delta`): written after the posting and again by any retry of it, so a function
 * that died in between is healed by the retry. Credited to the member as the posting read them; a
 * repeat reads the member. (Spent covers every negative entry: exchanges, refund take-backs, expiry,
 * admin; `source` tells them apart. A merge's moves are no step: merges write no events.)
 */
async function recordPointsEvent(posted: Posted, key: string): Promise<void> {
  const { entry, member } = posted;
  if (entry.delta === 0) return;
  const kind = entry.delta > 0 ? 'points_earned' : 'points_spent';
  await recordFunnelEvent(
    { _id: eventId(kind, key), kind, at: entry.at, delta: entry.delta, source: entry.source, ledgerId: entry._id },
    member ? { memberId: entry.memberId, credit: creditOf(member) } : { memberId: entry.memberId },
  );
}
