import { decideExpiry } from '../../core/groupbuy/group-state';
import { elapsedMs } from '../clock';
import { log } from '../log';
import { failGroup, settleFailed } from './fail-group';
import { findActivities, findGroupsPastDeadline, findUnsettledGroups, type GroupDoc } from './repository';
import { settleSucceeded, succeedGroup } from './succeed-group';

const BATCH = 100;
/** An outcome whose follow-ups are not done this long after it was decided lost its run (a timeout, a crash). */
const SETTLE_STALE_MS = 60_000;

export interface ExpireGroupsResult {
  failed: number;
  succeeded: number;
  simulated: number;
  resettled: number;
  errors: number;
  more: boolean;
}

/**
 * The scheduler's group deadline job, safe to run twice at once (every outcome is a conditional
 * move out of `open`): open groups past their deadline succeed when filled, succeed as simulated
 * when 模拟成团 allows, and fail otherwise; groups whose outcome's follow-ups did not finish are
 * settled again. Works in batches within its time budget; what does not fit runs next minute.
 */
export async function expireGroups(now: Date, budgetMs: number): Promise<ExpireGroupsResult> {
  const started = performance.now();
  const result: ExpireGroupsResult = { failed: 0, succeeded: 0, simulated: 0, resettled: 0, errors: 0, more: false };
  const within = () => elapsedMs(started) < budgetMs;

  // Batch after batch while the budget lasts: deadlines bunch up (every group's is capped at its activity's end).
  let due: GroupDoc[] = [];
  for (;;) {
    due = await findGroupsPastDeadline(now, BATCH);
    const activities = new Map((await findActivities(due.map((group) => group.activityId))).map((a) => [a._id, a]));
    let decided = 0;
    for (const group of due) {
      if (!within()) return { ...result, more: true };
      try {
        const simulateMinPaid = activities.get(group.activityId)?.simulateMinPaid ?? null;
        const decision = decideExpiry({ ...group, deadline: new Date(group.deadline) }, simulateMinPaid, now);
        if (decision === 'succeed' && (await succeedGroup(group, false, now))) result.succeeded += 1;
        else if (decision === 'simulate' && (await succeedGroup(group, true, now, simulateMinPaid ?? group.size))) result.simulated += 1;
        else if (decision === 'fail' && (await failGroup(group, now))) result.failed += 1;
        decided += 1;
      } catch (error) {
        result.errors += 1;
        log('warn', { event: 'group expiry failed', groupId: group._id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    // A short batch was the last; a batch in which every group failed would come back the same: next minute.
    if (due.length < BATCH || decided === 0 || !within()) break;
  }

  const stale = new Date(now.getTime() - SETTLE_STALE_MS);
  for (const [state, settle] of [
    ['failed', settleFailed],
    ['succeeded', settleSucceeded],
  ] as const) {
    for (const group of await findUnsettledGroups(state, stale, BATCH)) {
      if (!within()) return { ...result, more: true };
      try {
        await (settle as (group: GroupDoc, now: Date) => Promise<void>)(group, now);
        result.resettled += 1;
      } catch (error) {
        result.errors += 1;
        log('warn', { event: 'group settle failed', groupId: group._id, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return { ...result, more: due.length === BATCH };
}
