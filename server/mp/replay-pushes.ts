import { DuetError } from '../../core/errors';
import { clockFrom, elapsedMs } from '../clock';
import { log } from '../log';
import { reclaimPush } from './claim-push';
import { mpConfig } from './config';
import { findReplayablePushes } from './push-repository';
import { describeError, runClaimedPush } from './run-push';

/** At most this many pushes per run: the next run (a minute later) takes the rest. */
const BATCH = 20;

export interface ReplayResult {
  replayed: number;
  failed: number;
  /** Taken by someone else meanwhile, or no longer due. */
  skipped: number;
}

/**
 * The scheduler job that makes an answered push happen anyway: every push whose handling failed
 * (and is due again) or was abandoned by a dead attempt is run again, each under its own claim.
 */
export async function replayDuePushes(now: Date, requestId: string, budgetMs: number): Promise<ReplayResult> {
  const started = performance.now();
  const clock = clockFrom(now);
  const result: ReplayResult = { replayed: 0, failed: 0, skipped: 0 };
  const due = await findReplayablePushes(now, BATCH);
  if (due.length === 0) return result;
  let config: ReturnType<typeof mpConfig>;
  try {
    config = mpConfig();
  } catch (error) {
    throw new DuetError('FAILED_PRECONDITION', `cannot replay 公众号 pushes: ${error instanceof DuetError ? error.detail : String(error)}`);
  }
  for (const doc of due) {
    if (elapsedMs(started) > budgetMs) break;
    const at = clock();
    const claim = await reclaimPush(doc._id, at, requestId);
    if (claim.state !== 'claimed' || doc.push.kind === 'other') {
      result.skipped += 1;
      continue;
    }
    try {
      await runClaimedPush({ config, key: doc._id, now: at, requestId }, doc.push, claim);
      result.replayed += 1;
      log('info', { event: 'mp.push.replayed', requestId, key: doc._id, attempts: claim.attempts, firstRequestId: doc.requestId });
    } catch (error) {
      result.failed += 1;
      log('error', { event: 'mp.push.replay_failed', requestId, key: doc._id, attempts: claim.attempts, error: describeError(error) });
    }
  }
  return result;
}
