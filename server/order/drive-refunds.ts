import { nextRefundState, refundRetryDelayMs } from '../../core/order/refund';
import { elapsedMs } from '../clock';
import { log } from '../log';
import { markRefundFailed, markRefundSucceeded, finishRefund } from './finish-refund';
import { queryRefund, refund as submitRefund } from './pay-api';
import {
  findDueRefunds,
  findRefund,
  moveRefund,
  type RefundDoc,
  releaseRefundLease,
  takeRefundLease,
  updateRefund,
} from './refund-repository';

const BATCH = 20;
/** One refund's work (a payment API call and a few writes) never takes this long; a run that died frees it then. */
const LEASE_MS = 60_000;
/** How soon a submitted refund is asked about when no callback came. */
const POLL_AFTER_MS = 2 * 60_000;

export interface DriveRefundsResult {
  submitted: number;
  succeeded: number;
  failed: number;
  retried: number;
  busy: number;
  more: boolean;
}

/**
 * The scheduler's refund driver: each due refund is leased (two runs at once never work on one
 * refund), then submitted (requested, or failed: again with the same out_refund_no), polled
 * (submitted: `queryRefund`) or finished (succeeded without its follow-ups). A call that fails or
 * times out counts an attempt and waits 1, 2, 4 … 60 minutes; it is never given up.
 */
export async function driveRefunds(now: Date, budgetMs: number): Promise<DriveRefundsResult> {
  const started = performance.now();
  const result: DriveRefundsResult = { submitted: 0, succeeded: 0, failed: 0, retried: 0, busy: 0, more: false };
  const due = await findDueRefunds(now, BATCH);
  for (const candidate of due) {
    if (elapsedMs(started) >= budgetMs) return { ...result, more: true };
    const lease = await takeRefundLease(candidate._id, now, LEASE_MS);
    if (!lease) {
      result.busy += 1;
      continue;
    }
    try {
      // Read again under the lease: the callback may have settled it since the query.
      const refund = (await findRefund(candidate._id)) as RefundDoc;
      const outcome = await driveOne(refund, now);
      result[outcome] += 1;
    } finally {
      await releaseRefundLease(candidate._id, lease);
    }
  }
  return { ...result, more: due.length === BATCH };
}

/** Tries one refund now, whatever its backoff (the admin job `retryRefund`). */
export async function driveRefundNow(id: string, now: Date): Promise<RefundDoc | null> {
  const lease = await takeRefundLease(id, now, LEASE_MS);
  if (!lease) return findRefund(id);
  try {
    const refund = await findRefund(id);
    if (refund) await driveOne(refund, now);
  } finally {
    await releaseRefundLease(id, lease);
  }
  return findRefund(id);
}

async function driveOne(refund: RefundDoc, now: Date): Promise<'submitted' | 'succeeded' | 'failed' | 'retried'> {
  if (refund.state === 'succeeded') {
    await finishRefund(refund, now);
    return 'succeeded';
  }
  if (refund.state === 'submitted') return poll(refund, now);
  return submit(refund, now);
}

async function submit(refund: RefundDoc, now: Date): Promise<'submitted' | 'failed' | 'retried'> {
  const attempts = refund.attempts + 1;
  const later = new Date(now.getTime() + refundRetryDelayMs(attempts));
  let answer: Awaited<ReturnType<typeof submitRefund>>;
  try {
    answer = await submitRefund({
      outTradeNo: refund.orderId,
      outRefundNo: refund._id,
      totalFee: refund.totalFee,
      refundFee: refund.amount,
      reason: refund.reason,
    });
  } catch (error) {
    // No answer (a platform error or a timeout): the refund may or may not exist at WeChat Pay; the same number makes the retry safe.
    const why = error instanceof Error ? error.message : String((error as { errMsg?: string })?.errMsg ?? error);
    await updateRefund(refund._id, { attempts, lastError: why.slice(0, 500), nextAttemptAt: later });
    log('warn', { event: 'refund call failed', refundId: refund._id, attempts, error: why });
    return 'retried';
  }
  if (!answer.ok) {
    const to = nextRefundState(refund.state, 'fail');
    if (to)
      await moveRefund(refund._id, [refund.state], to, { attempts, lastError: answer.errCodeDes.slice(0, 500), nextAttemptAt: later });
    log('warn', { event: 'refund refused', refundId: refund._id, attempts, errCodeDes: answer.errCodeDes });
    return 'failed';
  }
  const event = refund.state === 'failed' ? 'resubmit' : 'submit';
  await moveRefund(refund._id, [refund.state], 'submitted', {
    attempts,
    lastError: null,
    submittedAt: now,
    refundNo: answer.value.refundId,
    nextAttemptAt: new Date(now.getTime() + POLL_AFTER_MS),
  });
  log('info', { event: `refund ${event}`, refundId: refund._id, attempts });
  return 'submitted';
}

async function poll(refund: RefundDoc, now: Date): Promise<'succeeded' | 'failed' | 'retried'> {
  let answer: Awaited<ReturnType<typeof queryRefund>>;
  try {
    answer = await queryRefund(refund._id);
  } catch (error) {
    await updateRefund(refund._id, {
      nextAttemptAt: new Date(now.getTime() + POLL_AFTER_MS),
      lastError: String((error as Error)?.message ?? error).slice(0, 500),
    });
    return 'retried';
  }
  if (answer.ok && answer.value.status === 'SUCCESS') {
    await markRefundSucceeded(refund, now);
    return 'succeeded';
  }
  if (answer.ok && answer.value.status === 'PROCESSING') {
    await updateRefund(refund._id, { nextAttemptAt: new Date(now.getTime() + POLL_AFTER_MS) });
    return 'retried';
  }
  // CHANGE, REFUNDCLOSE, or WeChat Pay knows no such refund: submit again with the same number.
  await markRefundFailed(refund, answer.ok ? `refund status ${answer.value.status}` : answer.errCodeDes, now);
  return 'failed';
}
