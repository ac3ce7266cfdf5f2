import type { OutputOf, ParsedInputOf } from '../../core/contract';
import type { FunnelAdminContract } from '../../core/contracts/funnel-admin';
import { DuetError } from '../../core/errors';
import {
  type CallOutcome,
  clearPending,
  DATACUBE_APIS,
  type DatacubeApi,
  type DatacubeCall,
  docsOfAnswer,
  NOT_READY_REASON,
  nextShanghaiMidnight,
  type PullState,
  planRange,
  planScheduled,
  quotaBlocked,
  reasonOf,
  recordOutcome,
  retryAtAfter,
} from '../../core/funnel/datacube';
import { daysBetween } from '../../core/funnel/report';
import { adminMpConfig } from '../admin/mp-access';
import { clockFrom, elapsedMs } from '../clock';
import { log } from '../log';
import type { MpConfig } from '../mp/config';
import { getDatacube, MpApiError } from '../mp/mp-api';
import { putDatacubeDocs, readPullState, releasePullLease, takePullLease } from './datacube-repository';

type Output = OutputOf<FunnelAdminContract, 'pullDatacube'>;
type Failure = Output['failed'][number];

/** The scheduled run works this long at most (its job's budget is 10 s); the next minute goes on. */
const SCHEDULED_BUDGET_MS = 8_000;
/** A pull by hand: most of the function's 60 s. */
const RANGE_BUDGET_MS = 40_000;
/** The longest [from, to] a pull by hand takes (5 user-summary spans and 31 days of each article API: 67 calls). */
export const MAX_RANGE_DAYS = 31;
/** Outlives the function's 60 s timeout, so a killed run frees the pull by itself. */
const LEASE_MS = 70_000;

/**
 * `pullDatacube`: the 公众号's statistics (`core/funnel/datacube.ts`) into `mp_datacube`.
 *
 * Without from/to (the scheduler, every minute): the days after the last one stored, up to the
 * latest day WeChat has (the last 30 on the first run), and the failed days whose retry time has
 * come. When nothing is due it reads its cursor and stops: one database request, no call to
 * WeChat. A failed day is asked again after 1 h, 2 h, 4 h… (at most once a day); after 45009 the
 * API waits for midnight Asia/Shanghai; if WeChat cannot be reached (or no token), the run stops and
 * the days it did not ask wait an hour. `failed` lists every day still missing and why.
 *
 * With from/to (by hand): those days again, every API, whatever was stored (up to 31 days);
 * `failed` lists the days of the range not stored by this run. Only one pull works at a time.
 */
export async function pullDatacube(input: ParsedInputOf<FunnelAdminContract, 'pullDatacube'>, now: Date): Promise<Output> {
  if (input.from !== undefined || input.to !== undefined) return pullRange(input.from, input.to, now);
  return pullScheduled(now);
}

async function pullScheduled(now: Date): Promise<Output> {
  const read = await readPullState();
  if (planScheduled(read.state, now).length === 0) return { days: [], pulled: noneYet(), failed: pendingOf(read.state) };

  const config = adminMpConfig();
  const lease = await takePullLease(now, LEASE_MS, !read.exists);
  if (!lease) throw busy();
  let state: PullState | null = null;
  try {
    // Read again under the lease: a run that just ended may have pulled these days.
    const run = await work(config, (await readPullState()).state, planScheduled, SCHEDULED_BUDGET_MS, now, true);
    state = run.state;
    return { days: run.days, pulled: run.pulled, failed: pendingOf(state) };
  } finally {
    await releasePullLease(lease, state, now);
  }
}

async function pullRange(from: string | undefined, to: string | undefined, now: Date): Promise<Output> {
  if (from === undefined || to === undefined)
    throw new DuetError('INVALID_ARGUMENT', 'give both from and to (or neither: the days not stored yet)');
  if (from > to) throw new DuetError('INVALID_ARGUMENT', `from ${from} is after to ${to}`);
  if (daysBetween(from, to).length > MAX_RANGE_DAYS) {
    throw new DuetError('INVALID_ARGUMENT', `at most ${MAX_RANGE_DAYS} days per pull by hand; split ${from}–${to}`);
  }
  const { calls, notReady } = planRange(from, to, now);
  const failed: Failure[] = notReady.flatMap((day) => DATACUBE_APIS.map((api) => ({ api, day, errcode: null, reason: NOT_READY_REASON })));
  if (calls.length === 0) return { days: [], pulled: noneYet(), failed };

  const config = adminMpConfig();
  const read = await readPullState();
  const lease = await takePullLease(now, LEASE_MS, !read.exists);
  if (!lease) throw busy();
  let state: PullState | null = null;
  try {
    const run = await work(config, (await readPullState()).state, () => calls, RANGE_BUDGET_MS, now, false);
    state = run.state;
    return { days: run.days, pulled: run.pulled, failed: sortFailures([...run.failed, ...failed]) };
  } finally {
    await releasePullLease(lease, state, now);
  }
}

interface Run {
  state: PullState;
  days: string[];
  pulled: Record<DatacubeApi, number>;
  /** The days of this run's calls that were not stored (a pull by hand answers these). */
  failed: Failure[];
}

/**
 * Asks WeChat for `plan(state)` one call after another, storing each answer before the next call.
 * `scheduled`: failures become pending days in the state (retried later); by hand they are only
 * answered, and a stored day stops being pending. Database failures end the run (the lease is
 * released without the state: the next run asks for the same days again, which overwrites them).
 */
async function work(
  config: MpConfig,
  start: PullState,
  plan: (state: PullState, now: Date) => DatacubeCall[],
  budgetMs: number,
  now: Date,
  scheduled: boolean,
): Promise<Run> {
  const started = performance.now();
  const clock = clockFrom(now);
  let state = start;
  const days = new Set<string>();
  const pulled = noneYet();
  const failed: Failure[] = [];
  /** Set when WeChat cannot be reached: no more calls this run. */
  let stopped: { errcode: null; reason: string } | null = null;

  const settle = (call: DatacubeCall, outcome: CallOutcome) => {
    if (outcome.kind !== 'stored') {
      for (const day of call.days) failed.push({ api: call.api, day, errcode: outcome.errcode, reason: outcome.reason });
    }
    if (scheduled) state = recordOutcome(state, call, outcome, clock());
    else if (outcome.kind === 'stored') state = clearPending(state, call);
  };

  for (const call of plan(start, now)) {
    const at = clock();
    if (stopped) {
      settle(call, { kind: 'skipped', ...stopped, reason: `not asked: ${stopped.reason}`, retryAt: retryAtAfter(1, at) });
      continue;
    }
    if (quotaBlocked(state, call.api, at)) {
      const until = state.quotaUntil[call.api] as string;
      settle(call, { kind: 'skipped', errcode: 45009, reason: `not asked: ${reasonOf(45009)} (${until})`, retryAt: new Date(until) });
      continue;
    }
    if (elapsedMs(started) > budgetMs) {
      // Scheduled: the days after `through` are simply next. By hand: say so.
      if (!scheduled) {
        for (const day of call.days) {
          failed.push({ api: call.api, day, errcode: null, reason: 'not reached within this run: run the same command again' });
        }
      }
      continue;
    }
    for (const day of call.days) days.add(day);
    let answer: Record<string, unknown>;
    try {
      answer = await getDatacube(config, call.api, call.begin, call.end, at);
    } catch (error) {
      if (error instanceof MpApiError) {
        log('warn', {
          event: 'funnel.datacube.refused',
          api: call.api,
          begin: call.begin,
          end: call.end,
          errcode: error.errcode,
          errmsg: error.errmsg,
        });
        if (!scheduled && error.errcode === 45009)
          state = { ...state, quotaUntil: { ...state.quotaUntil, [call.api]: nextShanghaiMidnight(at).toISOString() } };
        settle(call, { kind: 'failed', errcode: error.errcode, reason: reasonOf(error.errcode, error.errmsg) });
      } else {
        // Unreachable, a refused token, an unreadable answer: every call would fail the same way.
        const reason = `WeChat could not be asked: ${error instanceof DuetError ? error.detail : error instanceof Error ? error.message : String(error)}`;
        log('warn', { event: 'funnel.datacube.unreachable', api: call.api, begin: call.begin, end: call.end, error: reason });
        settle(call, { kind: 'failed', errcode: null, reason });
        stopped = { errcode: null, reason };
      }
      continue;
    }
    await putDatacubeDocs(docsOfAnswer(call, answer, clock()));
    pulled[call.api] += call.days.length;
    settle(call, { kind: 'stored', delayed: answer.is_delay === true });
  }
  log('info', {
    event: 'funnel.datacube.pulled',
    days: days.size,
    pulled,
    failed: failed.length,
    elapsedMs: Math.round(elapsedMs(started)),
  });
  return { state, days: [...days].sort(), pulled, failed: sortFailures(failed) };
}

function noneYet(): Record<DatacubeApi, number> {
  return { getusersummary: 0, getarticleread: 0, getarticletotaldetail: 0 };
}

/** Every day the scheduled pull has not stored, with its last reason and when it is asked again. */
function pendingOf(state: PullState): Failure[] {
  return state.pending.map((p) => ({ api: p.api, day: p.day, errcode: p.errcode, reason: `${p.reason}; next try ${p.retryAt}` }));
}

function sortFailures(failures: Failure[]): Failure[] {
  const order = (api: string) => DATACUBE_APIS.indexOf(api as DatacubeApi);
  return failures.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : order(a.api) - order(b.api)));
}

function busy(): DuetError {
  return new DuetError(
    'CONFLICT',
    `another pull of the 公众号 statistics is running; try again when it finishes (at most ${LEASE_MS / 1000} s)`,
  );
}
