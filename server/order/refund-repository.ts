import { DuetError } from '../../core/errors';
import type { RefundState } from '../../core/order/refund';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, insertOnce, MAX_PER_QUERY, updatedCount } from '../documents';
import { releaseLease, takeLease } from '../lease';
import { isTransactionConflict, withTransaction } from '../transaction';
import type { Lease } from '../../core/lease';
import type { OrderDoc } from './repository';

/**
 * `refunds`: one document per refund, `_id` = its `out_refund_no`, which never changes — a retry
 * asks WeChat Pay about the same refund, so money goes back once however often it is tried.
 */
const REFUNDS = COLLECTIONS.refunds;

export interface RefundDoc {
  _id: string;
  /** The order's id (= its out_trade_no); for a payment no order knows, the out_trade_no it came with. */
  orderId: string;
  memberId: string | null;
  state: RefundState;
  /** Fen to give back, and what the payment was (WeChat Pay wants both). */
  amount: number;
  totalFee: number;
  /** Units of each line this refund gives back (empty for a payment with no order behind it). */
  lines: Array<{ skuId: string; quantity: number; amount: number }>;
  /** True when, with the refunds before it, the whole order is given back. */
  whole: boolean;
  reason: string;
  requestedBy: 'member' | 'admin' | 'system';
  /** The operator or member id that asked, when one did. */
  requester: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  submittedAt?: Date;
  succeededAt?: Date;
  /** Set once stock and coupon went back after success (the return runs once). */
  returnedAt?: Date;
  lease?: unknown;
}

export function insertRefund(doc: RefundDoc): Promise<boolean> {
  return insertOnce(REFUNDS, doc);
}

export function findRefund(id: string): Promise<RefundDoc | null> {
  return findById<RefundDoc>(REFUNDS, id);
}

/** The refunds of these orders, oldest first. */
export async function findOrderRefunds(orderIds: readonly string[]): Promise<RefundDoc[]> {
  const unique = [...new Set(orderIds)];
  if (unique.length === 0) return [];
  const _ = database().command;
  const result = (await database()
    .collection(REFUNDS)
    .where({ orderId: unique.length === 1 ? unique[0] : _.in(unique) })
    .orderBy('createdAt', 'asc')
    .limit(MAX_PER_QUERY)
    .get()) as unknown as { data: RefundDoc[] };
  return result.data;
}

/** What a refund decision writes: the refund, and the order's refund bookkeeping (and maybe its state). */
export type RefundDecision = { refund: RefundDoc; orderFields: Record<string, unknown> } | { existing: string };

/**
 * Reserves a refund of an order in one transaction: reads the order, lets `decide` plan against what
 * earlier refunds already promised, writes the order's bookkeeping and the refund document together.
 * So two refunds asked at once can never promise more than was paid, and a crash leaves either both
 * or neither. No payment API is called here (DESIGN: money paths): the scheduler submits the refund.
 */
export async function reserveRefund(
  orderId: string,
  decide: (order: OrderDoc) => RefundDecision,
): Promise<{ refund: RefundDoc; created: boolean }> {
  let outcome: RefundDecision;
  try {
    outcome = await withTransaction(async (tx: any) => {
      const order = (await tx.collection(COLLECTIONS.orders).doc(orderId).get()).data as OrderDoc;
      const decision = decide(order);
      if ('existing' in decision) return decision;
      await tx.collection(COLLECTIONS.orders).doc(orderId).update({ data: decision.orderFields });
      await tx.collection(REFUNDS).add({ data: decision.refund });
      return decision;
    });
  } catch (error) {
    // Other refunds of the order kept winning every retry: nothing was written; the caller may ask again.
    if (isTransactionConflict(error))
      throw new DuetError('CONFLICT', `order ${orderId} is being refunded by other requests right now; try again`);
    throw error;
  }
  if ('existing' in outcome) {
    const refund = await findRefund(outcome.existing);
    if (!refund) throw new DuetError('INTERNAL', `refund ${outcome.existing} is named by order ${orderId} but missing`);
    return { refund, created: false };
  }
  return { refund: outcome.refund, created: true };
}

/** Moves a refund from one of `from` to `to` with `fields`: true when this call moved it. */
export async function moveRefund(
  id: string,
  from: readonly RefundState[],
  to: RefundState,
  fields: Record<string, unknown>,
): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(REFUNDS)
    .where({ _id: id, state: from.length === 1 ? from[0] : _.in([...from]) })
    .update({ data: { ...fields, state: to } });
  return updatedCount(result) === 1;
}

export async function updateRefund(id: string, fields: Record<string, unknown>): Promise<void> {
  await database().collection(REFUNDS).doc(id).update({ data: fields });
}

/** Refunds the scheduler should act on now: due to be (re)submitted or polled, or succeeded without their follow-ups. */
export async function findDueRefunds(now: Date, limit: number): Promise<RefundDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(REFUNDS)
    .where(
      _.or([
        { state: _.in(['requested', 'submitted', 'failed']), nextAttemptAt: _.lte(now) },
        { state: 'succeeded', returnedAt: _.exists(false) },
      ]),
    )
    .orderBy('nextAttemptAt', 'asc')
    .limit(limit)
    .get()) as unknown as { data: RefundDoc[] };
  return result.data;
}

/** Refunds not finished and asked for before `before`, oldest first (what `listStuckRefunds` shows). */
export async function findUnfinishedRefunds(before: Date, limit: number): Promise<RefundDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(REFUNDS)
    .where({ state: _.in(['requested', 'submitted', 'failed']), createdAt: _.lt(before) })
    .orderBy('createdAt', 'asc')
    .limit(Math.min(limit, MAX_PER_QUERY))
    .get()) as unknown as { data: RefundDoc[] };
  return result.data;
}

/** One refund's lease: while held, no other scheduler run or retry works on it. */
export function takeRefundLease(id: string, now: Date, durationMs: number): Promise<Lease | null> {
  return takeLease(REFUNDS, id, { now, durationMs });
}

export function releaseRefundLease(id: string, lease: Lease): Promise<boolean> {
  return releaseLease(REFUNDS, id, lease);
}
