import { type HostedJob, JOB_HOSTS, JOB_NAMES, type JobName, type LocalJob } from '../../core/contracts/scheduler';
import { cloud } from '../cloud';
import { elapsedMs } from '../clock';
import { log } from '../log';
import { JOBS } from './index';
import { type JobRun, runJobSet } from './run-jobs';

/** All jobs of one tick share this much of the 60 s timeout; what does not fit runs next minute. */
const TICK_BUDGET_MS = 45_000;
/** What a hosted run is not given of the budget left: the call's own round trip. */
const CALL_MARGIN_MS = 2_000;

function isHosted(name: JobName): name is HostedJob {
  return Object.hasOwn(JOB_HOSTS, name);
}

/**
 * One tick: the named jobs (default: all) — the scheduler's own one after another, and beside them
 * each hosting function's jobs in one call to it, with the same budget less the call's round trip.
 * Answers the runs in the registered order. A hosting function that fails answers each of its jobs
 * as failed; they run again next minute.
 */
export async function runJobs(names: readonly JobName[] | undefined, now: Date, requestId: string): Promise<{ jobs: JobRun[] }> {
  const all = names ?? JOB_NAMES;
  const local = all.filter((name): name is LocalJob => !isHosted(name));
  const byHost = new Map<string, { fn: string; action: string; jobs: HostedJob[] }>();
  for (const name of all.filter(isHosted)) {
    const host = JOB_HOSTS[name];
    const key = `${host.fn}.${host.action}`;
    byHost.set(key, { ...host, jobs: [...(byHost.get(key)?.jobs ?? []), name] });
  }
  const batches = await Promise.all([
    runJobSet(JOBS, local, now, requestId, TICK_BUDGET_MS),
    ...[...byHost.values()].map((host) => runHosted(host, TICK_BUDGET_MS - CALL_MARGIN_MS, requestId)),
  ]);
  const runs = batches.flat();
  return { jobs: all.map((name) => runs.find((run) => run.name === name) ?? { name, ran: false, ms: 0 }) };
}

async function runHosted(host: { fn: string; action: string; jobs: HostedJob[] }, budgetMs: number, requestId: string): Promise<JobRun[]> {
  const started = performance.now();
  let problem: string;
  try {
    const answer = (await cloud.callFunction({ name: host.fn, data: { action: host.action, jobs: host.jobs, budgetMs } })) as {
      result?: { ok?: boolean; data?: { jobs?: JobRun[] }; detail?: string; code?: string };
    };
    if (answer.result?.ok && answer.result.data?.jobs) return answer.result.data.jobs;
    problem = `${host.fn}.${host.action} answered ${answer.result?.code ?? 'nothing'}: ${answer.result?.detail ?? ''}`;
  } catch (error) {
    problem = `${host.fn}.${host.action} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  log('error', { event: 'scheduler.host_failed', requestId, host: host.fn, error: problem });
  return host.jobs.map((name) => ({ name, ran: true, ms: Math.round(elapsedMs(started)), error: problem }));
}
