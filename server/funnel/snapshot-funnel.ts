import type { OutputOf, ParsedInputOf } from '../../core/contract';
import type { FunnelAdminContract } from '../../core/contracts/funnel-admin';
import { DEFAULT_WINDOW_DAYS, DIMENSIONS, MODELS } from '../../core/funnel/attribution';
import { assert } from '../../core/errors';
import { eventTouch, type FunnelEventDoc } from '../../core/funnel/events';
import { ALL_BUCKETS } from '../../core/funnel/place';
import { daysBetween, type SnapshotDoc, snapshotId } from '../../core/funnel/report';
import {
  type DayTally,
  emptyTally,
  type Group,
  groupRows,
  type TallyEntry,
  tallyBucket,
  tallyEntries,
  tallyFromEntries,
  tallyNewMembers,
} from '../../core/funnel/tally';
import { addDays, shanghaiDay, startOfShanghaiDay } from '../../core/points/rules';
import { elapsedMs } from '../clock';
import { COLLECTIONS } from '../collections';
import { findById, insertOnce, MAX_PER_QUERY } from '../documents';
import { log } from '../log';
import { bucketPage, dayHasEvents, type JoinedMemberRow, joinedMembersPage, moveRun, writeSnapshot } from './snapshot-repository';

/** Each night recomputes this many days up to yesterday, so late refunds and callbacks land on their order's day. */
export const RECOMPUTE_DAYS = 7;
/** The night's run starts this long after midnight (Asia/Shanghai): callbacks of 23:59 orders have landed. */
const NIGHT_STARTS_MS = 10 * 60_000;
/** A hand run may span at most this many days (a report reads at most twice that in one query). */
const MAX_RANGE_DAYS = 366;
/** Stop starting pages this close to the budget's end (a quarter of a small budget): the state write still fits. */
const MARGIN_MS = 3_000;
const marginOf = (budgetMs: number) => Math.min(MARGIN_MS, budgetMs / 4);

/** Steps of one day: the day's new members, then each member bucket of its events. */
const STEPS = ['members', ...ALL_BUCKETS] as const;

/**
 * A run's progress (`funnel_runs`): which days, which are done, and the day in progress — its next
 * step and the tally of the steps before it. Every write of it is conditional on the step it read,
 * so two runs racing cannot both move it; the tally saved is always exactly "the steps before
 * `step`", so resuming after a timeout counts nothing twice.
 */
interface RunDoc {
  _id: string;
  days: string[];
  done: string[];
  day: string | null;
  step: number;
  tally: { entries: TallyEntry[]; total: number[] };
  windowDays: number;
  startedAt: Date;
  finishedAt: Date | null;
}

type Output = OutputOf<FunnelAdminContract, 'snapshotFunnel'>;

/** Counts this invocation's database requests (the benchmark reports them). */
class Requests {
  n = 0;
  /** The SDK's calls are typed promise-or-callback; every call here is the promise form. */
  async count<R = unknown>(request: unknown): Promise<R> {
    this.n += 1;
    return (await request) as R;
  }
}

/**
 * The nightly snapshot (the scheduler runs it every minute: it works only until tonight's days are
 * done), or [from, to] by hand. Reads `events` by day and member bucket (index day_bucket) and the
 * day's new members; writes one `funnel_daily` document per day × model × dimension, whole, so a
 * re-run writes the same documents.
 */
export async function snapshotFunnel(
  input: ParsedInputOf<FunnelAdminContract, 'snapshotFunnel'>,
  now: Date,
  budgetMs: number,
): Promise<Output> {
  const started = performance.now();
  const requests = new Requests();
  const plan = planOf(input, now);
  let run = await requests.count<RunDoc | null>(findById<RunDoc>(COLLECTIONS.funnelRuns, plan.runId));
  const resumed = !!run && !run.finishedAt;
  if (run?.finishedAt && plan.nightly)
    return { days: run.days, done: run.done, more: false, events: 0, requests: requests.n, resumed: false };
  if (!run || run.finishedAt) run = await startRun(plan.runId, plan.days, now, requests, run);
  let events = 0;
  const margin = marginOf(budgetMs);
  while (run.day) {
    if (budgetMs - elapsedMs(started) < margin) break;
    const day = run.day;
    const tally = tallyFromEntries(run.tally);
    const step = STEPS[run.step] as (typeof STEPS)[number];
    const read =
      step === 'members'
        ? await tallyDayMembers(tally, day, requests)
        : await tallyDayBucket(tally, day, step, run.windowDays, requests, started, budgetMs);
    if (read === null) break; // out of time mid-bucket: the bucket is read again next run
    events += read;
    // A quiet day (no events) skips its sixteen bucket reads: one read of its first event instead.
    const quiet = step === 'members' && !(await requests.count<boolean>(dayHasEvents(day)));
    const next = await advance(run, tally, requests, now, quiet ? STEPS.length : run.step + 1);
    if (!next) break; // another run moved it
    run = next;
  }
  log('info', { event: 'funnel.snapshot', runId: plan.runId, done: run.done.length, of: run.days.length, events, requests: requests.n });
  return { days: run.days, done: run.done, more: !!run.day, events, requests: requests.n, resumed };
}

function planOf(input: { from?: string; to?: string }, now: Date): { runId: string; days: string[]; nightly: boolean } {
  if (input.from || input.to) {
    const to = input.to ?? shanghaiDay(new Date(now.getTime() - 86_400_000));
    const from = input.from ?? addDays(to, -(RECOMPUTE_DAYS - 1));
    assert(from <= to, 'INVALID_ARGUMENT', `from ${from} is after to ${to}`);
    const days = daysBetween(from, to);
    assert(days.length <= MAX_RANGE_DAYS, 'INVALID_ARGUMENT', `at most ${MAX_RANGE_DAYS} days per run, asked ${days.length}`);
    assert(to <= shanghaiDay(now), 'INVALID_ARGUMENT', `to ${to} is in the future`);
    return { runId: `range|${from}|${to}`, days, nightly: false };
  }
  const night = shanghaiDay(new Date(now.getTime() - NIGHT_STARTS_MS));
  const yesterday = addDays(night, -1);
  return { runId: `night|${night}`, days: daysBetween(addDays(yesterday, -(RECOMPUTE_DAYS - 1)), yesterday), nightly: true };
}

async function startRun(runId: string, days: string[], now: Date, requests: Requests, previous: RunDoc | null): Promise<RunDoc> {
  const fresh: RunDoc = {
    _id: runId,
    days,
    done: [],
    day: days[0] ?? null,
    step: 0,
    tally: tallyEntries(emptyTally()),
    windowDays: DEFAULT_WINDOW_DAYS,
    startedAt: now,
    finishedAt: null,
  };
  if (!previous) {
    if (await requests.count<boolean>(insertOnce(COLLECTIONS.funnelRuns, fresh))) return fresh;
    // A run beside this one created it first: go on with theirs.
    return (await requests.count<RunDoc | null>(findById<RunDoc>(COLLECTIONS.funnelRuns, runId))) ?? fresh;
  }
  // A finished hand run asked for again: start it over (only if nobody restarted it meanwhile).
  const { _id, ...fields } = fresh;
  const moved = await requests.count<boolean>(moveRun(runId, { startedAt: previous.startedAt }, fields));
  return moved ? fresh : ((await requests.count<RunDoc | null>(findById<RunDoc>(COLLECTIONS.funnelRuns, runId))) ?? fresh);
}

/** Counts the day's new members (created that day, not merged away), credited to their first touch. */
async function tallyDayMembers(tally: DayTally, day: string, requests: Requests): Promise<number> {
  const start = startOfShanghaiDay(day);
  const end = startOfShanghaiDay(addDays(day, 1));
  let cursor = '';
  let read = 0;
  for (;;) {
    const page = await requests.count<JoinedMemberRow[]>(joinedMembersPage(start, end, cursor));
    tallyNewMembers(
      tally,
      page.filter((m) => !m.mergedInto).map((m) => ({ _id: m._id, firstTouch: eventTouch(m.firstTouch as never) })),
    );
    read += page.length;
    if (page.length < MAX_PER_QUERY) return read;
    cursor = page[page.length - 1]?._id as string;
  }
}

/**
 * Reads one member bucket of the day whole (pages by `_id`; the first page asks `_id > ''` so the
 * database can walk the index in `_id` order) and tallies it; null when the budget ran out first.
 */
async function tallyDayBucket(
  tally: DayTally,
  day: string,
  bucket: string,
  windowDays: number,
  requests: Requests,
  started: number,
  budgetMs: number,
): Promise<number | null> {
  const events: FunnelEventDoc[] = [];
  let cursor = '';
  for (;;) {
    if (budgetMs - elapsedMs(started) < marginOf(budgetMs)) return null;
    const page = await requests.count<FunnelEventDoc[]>(bucketPage(day, bucket, cursor));
    events.push(...page);
    if (page.length < MAX_PER_QUERY) break;
    cursor = page[page.length - 1]?._id as string;
  }
  tallyBucket(tally, events, windowDays);
  return events.length;
}

/** Saves the step just tallied; after a day's last step, writes its documents and moves to the next day. */
async function advance(run: RunDoc, tally: DayTally, requests: Requests, now: Date, step: number): Promise<RunDoc | null> {
  const day = run.day as string;
  let next: RunDoc;
  if (step < STEPS.length) {
    next = { ...run, step, tally: tallyEntries(tally) };
  } else {
    await writeDay(day, tally, run.windowDays, requests);
    const done = [...run.done, day];
    const following = run.days.find((d) => !done.includes(d)) ?? null;
    next = {
      ...run,
      done,
      day: following,
      step: 0,
      tally: tallyEntries(emptyTally()),
      finishedAt: following ? null : now,
    };
  }
  const { _id, ...fields } = next;
  const moved = await requests.count<boolean>(moveRun(run._id, { day: run.day, step: run.step, startedAt: run.startedAt }, fields));
  return moved ? next : null;
}

/** The day's 12 documents (3 models × 4 dimensions), each written whole: a re-run writes the same bytes. */
async function writeDay(day: string, tally: DayTally, windowDays: number, requests: Requests): Promise<void> {
  const total = tally.total;
  await Promise.all(
    MODELS.flatMap((model) =>
      DIMENSIONS.map((by) => {
        const doc: SnapshotDoc = {
          _id: snapshotId(day, model, by),
          day,
          model,
          by,
          windowDays,
          rows: groupRows(tally, `${model}|${by}` as Group),
          total,
        };
        return requests.count(writeSnapshot(doc));
      }),
    ),
  );
}
