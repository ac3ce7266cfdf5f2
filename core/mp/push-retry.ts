/**
 * What happens to a 公众号 push whose handling failed. WeChat does not retry a push it got an
 * answer to, so Duet does: the scheduler re-runs it with a growing pause, and after the last
 * attempt it becomes dead (listed for operators by the `listFailedPushes` admin job).
 */
export const PUSH_MAX_ATTEMPTS = 6;
const FIRST_PAUSE_MS = 30_000;
const LONGEST_PAUSE_MS = 30 * 60_000;

export type PushRetryDecision = { state: 'failed'; nextAttemptAt: Date } | { state: 'dead' };

/** After attempt number `attempts` (1-based) failed at `now`. */
export function decideAfterFailure(attempts: number, now: Date): PushRetryDecision {
  if (!Number.isFinite(attempts) || attempts >= PUSH_MAX_ATTEMPTS) return { state: 'dead' };
  const pause = Math.min(FIRST_PAUSE_MS * 2 ** Math.max(0, attempts - 1), LONGEST_PAUSE_MS);
  return { state: 'failed', nextAttemptAt: new Date(now.getTime() + pause) };
}
