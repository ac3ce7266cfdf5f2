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
/** The least a job run after the rest is given (the hosted action's minimum budget). */
const MIN_LAST_BUDGET_MS = 1_000;

function isHosted(name: JobName): name is HostedJob {
  return Object.hasOwn(JOB_HOSTS, name);
}

/** Run once the rest of the tick has ended: the dispatcher sends, this tick, the notices the jobs before it wrote. */
const AFTER_THE_REST: readonly JobName[] = ['dispatchNotices'];

type Host = { fn: string; action: string; jobs: HostedJob[] };

function hostsOf(names: readonly JobName[]): Host[] {
  const byHost = new Map<string, Host>();
  for (const name of names.filter(isHosted)) {
    const host = JOB_HOSTS[name];
    const key = `${host.fn}.${host.action}`;
    byHost.set(key, { ...host, jobs: [...(byHost.get(key)?.jobs ?? []), name] });
  }
  return [...byHost.values()];
}

/**
 * One tick: the named jobs (default: all) — the scheduler's own one after another, and beside them
 * each hosting function's jobs in one call to it, with the same budget less the call's round trip;
 * then the dispatcher, with what is left of the budget. Answers the runs in the registered order. A
 * hosting function that fails answers each of its jobs as failed; they run again next minute.
 */
export async function runJobs(names: readonly JobName[] | undefined, now: Date, requestId: string): Promise<{ jobs: JobRun[] }> {
  const started = performance.now();
  const all = names ?? JOB_NAMES;
  const first = all.filter((name) => !AFTER_THE_REST.includes(name));
  const local = first.filter((name): name is LocalJob => !isHosted(name));
  const batches = await Promise.all([
    runJobSet(JOBS, local, now, requestId, TICK_BUDGET_MS),
    ...hostsOf(first).map((host) => runHosted(host, TICK_BUDGET_MS - CALL_MARGIN_MS, requestId)),
  ]);
  const left = TICK_BUDGET_MS - CALL_MARGIN_MS - elapsedMs(started);
  // However little is left, the dispatcher starts (it stops itself within its budget): notices never wait for a quiet tick.
  const last = await Promise.all(
    hostsOf(all.filter((name) => AFTER_THE_REST.includes(name))).map((host) =>
      runHosted(host, Math.max(MIN_LAST_BUDGET_MS, Math.round(left)), requestId),
    ),
  );
  const runs = [...batches, ...last].flat();
  return { jobs: all.map((name) => runs.find((run) => run.name === name) ?? { name, ran: false, ms: 0 }) };
}

async function runHosted(host: Host, budgetMs: number, requestId: string): Promise<JobRun[]> {
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
