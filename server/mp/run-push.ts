import type { MpPush } from '../../core/mp/push';
import { clockFrom } from '../clock';
import { log } from '../log';
import { failPush, finishPush, type PushClaim } from './claim-push';
import { handleClick } from './handle-click';
import { handleScan } from './handle-scan';
import { handleSubscribe } from './handle-subscribe';
import { handleText } from './handle-text';
import { handleUnsubscribe } from './handle-unsubscribe';
import type { PushContext, PushOutcome } from './push-context';

/**
 * Runs a push this attempt holds the claim of, and records how it ended: done, or failed (due
 * again later, or dead). Used by the gateway for a fresh push and by the scheduler for a replay.
 */
export async function runClaimedPush(
  ctx: PushContext,
  push: Exclude<MpPush, { kind: 'other' }>,
  claim: Extract<PushClaim, { state: 'claimed' }>,
): Promise<PushOutcome> {
  const clock = clockFrom(ctx.now);
  let outcome: PushOutcome;
  try {
    outcome = await runHandler(ctx, push);
  } catch (error) {
    try {
      await failPush(ctx.key, claim.lease, claim.attempts, clock(), error instanceof Error ? error.message : String(error));
    } catch (recordError) {
      // The claim stays `processing` until its lease runs out; then the scheduler takes it over.
      log('error', { event: 'mp.push.fail_not_recorded', requestId: ctx.requestId, key: ctx.key, error: describeError(recordError) });
    }
    throw error;
  }
  await finishPush(ctx.key, claim.lease, clock());
  return outcome;
}

function runHandler(ctx: PushContext, push: Exclude<MpPush, { kind: 'other' }>): Promise<PushOutcome> {
  switch (push.kind) {
    case 'subscribe':
      return handleSubscribe(ctx, push);
    case 'unsubscribe':
      return handleUnsubscribe(ctx, push);
    case 'scan':
      return handleScan(ctx, push);
    case 'click':
      return handleClick(ctx, push);
    case 'text':
      return handleText(ctx, push);
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
