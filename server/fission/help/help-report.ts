import { judgeTask } from '../../../core/fission/help';
import { findCampaignOrFail } from './show-help';
import { countedHelpsOf, membersWithActivity, taskPageOfCampaign } from './repository';

/** Tasks per page of the report: their helps are read whole (at most N each), so a page stays bounded. */
const TASKS_PER_PAGE = 200;

/**
 * `helpReport`: the campaign's tasks that look farmed — helpers whose only activity is the help (no
 * visit, scan, claim, order or group of their own), or a burst of helps within a short window.
 * Counted helps only. Operator-readable: one English line per suspicious task in `summary`.
 */
export async function helpReport(input: { campaignId: string; burstWindowSeconds?: number; burstHelps?: number; cursor?: string }) {
  const campaign = await findCampaignOrFail(input.campaignId);
  const windowSeconds = input.burstWindowSeconds ?? 600;
  const burstHelps = input.burstHelps ?? 3;
  const tasks = await taskPageOfCampaign(campaign._id, input.cursor, TASKS_PER_PAGE);
  const counted = await countedHelpsOf(tasks.map((task) => task._id));
  const nextCursor = tasks.length === TASKS_PER_PAGE ? tasks[tasks.length - 1]._id : null;
  const active = await membersWithActivity(counted.map((help) => help.helperId));
  const byTask = new Map<string, typeof counted>();
  const inTime = [...counted].sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime());
  for (const help of inTime) byTask.set(help.taskId, [...(byTask.get(help.taskId) ?? []), help]);

  const suspicious = [];
  for (const task of tasks) {
    const taskHelps = byTask.get(task._id) ?? [];
    if (taskHelps.length === 0) continue;
    const judged = judgeTask(
      taskHelps.map((help) => ({ helperId: help.helperId, at: new Date(help.createdAt) })),
      active,
      { burstWindowMs: windowSeconds * 1000, burstHelps },
    );
    if (judged.reasons.length === 0) continue;
    suspicious.push({
      taskId: task._id,
      ownerId: task.memberId,
      state: task.state,
      rewardState: task.rewardState,
      helps: taskHelps.length,
      idleHelpers: judged.idleHelpers,
      burst: {
        helps: judged.burst.helps,
        from: judged.burst.from ? judged.burst.from.toISOString() : null,
        spanSeconds: Math.round(judged.burst.spanMs / 1000),
      },
      reasons: judged.reasons,
      helpers: taskHelps.map((help) => ({
        memberId: help.helperId,
        at: new Date(help.createdAt).toISOString(),
        otherActivity: active.has(help.helperId),
      })),
    });
  }
  const summary = [
    `${campaign._id} "${campaign.title}": ${input.cursor ? 'next ' : ''}${tasks.length} tasks, ${counted.length} counted helps; ${suspicious.length} suspicious (burst: ${burstHelps}+ helps within ${windowSeconds} s)`,
    ...suspicious.map(
      (row) => `task ${row.taskId} of member ${row.ownerId} (${row.state}, reward ${row.rewardState}): ${row.reasons.join('; ')}`,
    ),
  ];
  if (nextCursor) summary.push(`more tasks follow: run again with "cursor":"${nextCursor}"`);
  return { campaignId: campaign._id, tasks: tasks.length, helps: counted.length, suspicious, nextCursor, summary };
}
