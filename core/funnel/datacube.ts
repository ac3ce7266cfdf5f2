import { addDays, shanghaiDay, startOfShanghaiDay } from '../points/rules';
import { wechatError } from '../wechat-errors';
import { daysBetween } from './report';

/**
 * The 公众号's own numbers (数据统计, `https://api.weixin.qq.com/datacube/<api>`), pulled once a day
 * into `mp_datacube`: what to ask WeChat for, what to store, and what to do when WeChat refuses.
 * The I/O is `server/funnel/pull-datacube.ts`.
 *
 * - `getusersummary`: follows gained and lost per day and `user_source`; up to 7 days a call.
 * - `getarticleread`: every article read that day with its readers (`read_user`); one day a call.
 *   The article report sums these per msgid: a day's reads are final once WeChat has the day.
 * - `getarticletotaldetail`: the articles published that day (title, URL, whether followers were
 *   notified) with their totals up to the day of the pull; one day a call. It is what names a msgid.
 *
 * A day D is asked for once WeChat has it: from 08:00 Asia/Shanghai on D+1 (WeChat's documentation
 * asks callers to fetch yesterday's numbers after 08:00; before, they may be incomplete).
 */
export const DATACUBE_APIS = ['getusersummary', 'getarticleread', 'getarticletotaldetail'] as const;
export type DatacubeApi = (typeof DATACUBE_APIS)[number];

/** The longest `begin_date`–`end_date` span (days, both included) WeChat takes per API. */
export const MAX_SPAN_DAYS: Record<DatacubeApi, number> = { getusersummary: 7, getarticleread: 1, getarticletotaldetail: 1 };

/** Days pulled by the first run (up to the latest day WeChat has). */
export const FIRST_RUN_DAYS = 30;
/** The hour (Asia/Shanghai) from which WeChat has yesterday's numbers. */
export const READY_HOUR = 8;

const HOUR_MS = 3_600_000;
/** A day that failed is asked again after 1 h, then 2 h, 4 h, … at most once a day. */
const FIRST_RETRY_MS = HOUR_MS;
const MAX_RETRY_MS = 24 * HOUR_MS;

/** The latest day WeChat has numbers for at `now`: yesterday from 08:00 Asia/Shanghai, the day before until then. */
export function latestReadyDay(now: Date): string {
  return addDays(shanghaiDay(new Date(now.getTime() - READY_HOUR * HOUR_MS)), -1);
}

/** Midnight Asia/Shanghai after `now`: when WeChat's daily API quotas start again. */
export function nextShanghaiMidnight(now: Date): Date {
  return startOfShanghaiDay(addDays(shanghaiDay(now), 1));
}

/** When a day that has now failed `attempts` times is asked again (up to the next whole minute: the scheduler's tick). */
export function retryAtAfter(attempts: number, now: Date): Date {
  const wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, Math.min(attempts - 1, 10)));
  return new Date(Math.ceil((now.getTime() + wait) / 60_000) * 60_000);
}

/** A day of one API that is not stored: what went wrong last, and when it is asked again. */
export interface PendingDay {
  api: DatacubeApi;
  day: string;
  /** WeChat's errcode; null when WeChat did not answer one (unreachable, no token, asked again on purpose). */
  errcode: number | null;
  /** English, for operators. */
  reason: string;
  /** Calls that failed for this day so far (0: not asked yet, e.g. behind a quota). */
  attempts: number;
  /** ISO time. */
  retryAt: string;
}

/** What the pull keeps between runs (the `pull-datacube` document of `job_cursors`). */
export interface PullState {
  /** Per API: every day up to this one is stored or pending (absent: never pulled). */
  through: Partial<Record<DatacubeApi, string>>;
  pending: PendingDay[];
  /** Per API: a 45009 (daily quota) answer stops calls until this ISO time. */
  quotaUntil: Partial<Record<DatacubeApi, string>>;
}

export function emptyState(): PullState {
  return { through: {}, pending: [], quotaUntil: {} };
}

/** A stored state as read back (missing fields of an older or a fresh cursor filled in). */
export function stateOf(doc: Partial<PullState> | null | undefined): PullState {
  return {
    through: { ...(doc?.through ?? {}) },
    pending: (doc?.pending ?? []).map((p) => ({ ...p })),
    quotaUntil: { ...(doc?.quotaUntil ?? {}) },
  };
}

/** One call to WeChat: one API over consecutive days within its span. */
export interface DatacubeCall {
  api: DatacubeApi;
  begin: string;
  end: string;
  days: string[];
}

/** Consecutive runs of `days` (sorted, unique) cut at `span` days. */
export function chunkDays(api: DatacubeApi, days: readonly string[]): DatacubeCall[] {
  const span = MAX_SPAN_DAYS[api];
  const calls: DatacubeCall[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length > 0) calls.push({ api, begin: current[0], end: current[current.length - 1], days: current });
    current = [];
  };
  for (const day of [...new Set(days)].sort()) {
    const last = current[current.length - 1];
    if (current.length > 0 && (addDays(last, 1) !== day || current.length >= span)) flush();
    current.push(day);
  }
  flush();
  return calls;
}

/** Oldest days first, then the APIs in their order: a run cut short leaves each API a clean tail. */
function byDayThenApi(a: DatacubeCall, b: DatacubeCall): number {
  return a.begin < b.begin ? -1 : a.begin > b.begin ? 1 : DATACUBE_APIS.indexOf(a.api) - DATACUBE_APIS.indexOf(b.api);
}

export function quotaBlocked(state: PullState, api: DatacubeApi, now: Date): boolean {
  const until = state.quotaUntil[api];
  return until !== undefined && Date.parse(until) > now.getTime();
}

/**
 * What the scheduled run asks for at `now`: per API (not behind a quota), the days after `through`
 * up to the latest day WeChat has (the last FIRST_RUN_DAYS on the first run), and the pending days
 * whose retry time has come. Nothing when all is stored: the run then costs one read.
 */
export function planScheduled(state: PullState, now: Date): DatacubeCall[] {
  const latest = latestReadyDay(now);
  const calls: DatacubeCall[] = [];
  for (const api of DATACUBE_APIS) {
    if (quotaBlocked(state, api, now)) continue;
    const through = state.through[api];
    const start = through ? addDays(through, 1) : addDays(latest, 1 - FIRST_RUN_DAYS);
    const fresh = start <= latest ? daysBetween(start, latest) : [];
    const due = state.pending.filter((p) => p.api === api && Date.parse(p.retryAt) <= now.getTime()).map((p) => p.day);
    calls.push(...chunkDays(api, [...fresh, ...due]));
  }
  return calls.sort(byDayThenApi);
}

/** Every API over the days of [from, to] WeChat has at `now` (a pull by hand); the later days are not ready. */
export function planRange(from: string, to: string, now: Date): { calls: DatacubeCall[]; notReady: string[] } {
  const latest = latestReadyDay(now);
  const days = daysBetween(from, to);
  const ready = days.filter((day) => day <= latest);
  return {
    calls: DATACUBE_APIS.flatMap((api) => chunkDays(api, ready)).sort(byDayThenApi),
    notReady: days.filter((day) => day > latest),
  };
}

const REASONS: Record<number, string> = {
  61500: 'date format error: WeChat could not read begin_date / end_date',
  61501: "date range error: WeChat refused the dates (the end must be yesterday or earlier, the span within the API's limit)",
  45009: "the API's daily quota is used up; asked again after midnight Asia/Shanghai",
  [-1]: 'WeChat is busy; asked again later',
};

/** An operator's reason for WeChat's errcode (WeChat's own message added for codes Duet does not know). */
export function reasonOf(errcode: number, errmsg = ''): string {
  const known = Object.hasOwn(REASONS, errcode) ? REASONS[errcode] : undefined;
  if (known) return known;
  const message = errmsg.replace(/\s*rid:.*$/, '').trim();
  return `${wechatError(errcode).reason}${message ? ` (WeChat: ${message})` : ''}`;
}

export const NOT_READY_REASON = `not available yet: WeChat has a day's numbers from ${String(READY_HOUR).padStart(2, '0')}:00 the next day (Asia/Shanghai)`;
export const DELAYED_REASON = 'stored, but WeChat marked the numbers as delayed (is_delay); asked again later';

/** What came of one call. */
export type CallOutcome =
  | { kind: 'stored'; delayed: boolean }
  | { kind: 'failed'; errcode: number | null; reason: string }
  /** Not asked: a quota (45009) or an unreachable WeChat stopped the run before it. */
  | { kind: 'skipped'; errcode: number | null; reason: string; retryAt: Date };

/**
 * The state after one call of a scheduled run: stored days leave `pending`; failed and skipped
 * days are pending with their reason and retry time; `through` moves past the call's days either
 * way (they are stored or pending now). A 45009 also holds the API until midnight Asia/Shanghai.
 */
export function recordOutcome(state: PullState, call: DatacubeCall, outcome: CallOutcome, now: Date): PullState {
  const days = new Set(call.days);
  const before = new Map(state.pending.filter((p) => p.api === call.api && days.has(p.day)).map((p) => [p.day, p]));
  const pending = state.pending.filter((p) => p.api !== call.api || !days.has(p.day));
  const quotaUntil = { ...state.quotaUntil };
  if (outcome.kind === 'failed' && outcome.errcode === 45009) quotaUntil[call.api] = nextShanghaiMidnight(now).toISOString();
  for (const day of call.days) {
    const attempts = before.get(day)?.attempts ?? 0;
    if (outcome.kind === 'stored') {
      if (outcome.delayed)
        pending.push({ api: call.api, day, errcode: null, reason: DELAYED_REASON, attempts, retryAt: retryAtAfter(1, now).toISOString() });
    } else if (outcome.kind === 'failed') {
      const retryAt = outcome.errcode === 45009 ? nextShanghaiMidnight(now) : retryAtAfter(attempts + 1, now);
      pending.push({
        api: call.api,
        day,
        errcode: outcome.errcode,
        reason: outcome.reason,
        attempts: attempts + 1,
        retryAt: retryAt.toISOString(),
      });
    } else {
      pending.push({
        api: call.api,
        day,
        errcode: outcome.errcode,
        reason: outcome.reason,
        attempts,
        retryAt: outcome.retryAt.toISOString(),
      });
    }
  }
  pending.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : DATACUBE_APIS.indexOf(a.api) - DATACUBE_APIS.indexOf(b.api)));
  const through = { ...state.through };
  if (!through[call.api] || (through[call.api] as string) < call.end) through[call.api] = call.end;
  return { through, pending, quotaUntil };
}

/** A pull by hand stored these days: they are no longer pending (`through` is the scheduled run's own). */
export function clearPending(state: PullState, call: DatacubeCall): PullState {
  const days = new Set(call.days);
  return { ...state, pending: state.pending.filter((p) => p.api !== call.api || !days.has(p.day)) };
}

// --- answers → documents ------------------------------------------------------------------------

/** `mp_datacube` `_id`: one document per API and day, so pulling a day again overwrites it. */
export function datacubeId(api: DatacubeApi, day: string): string {
  return `${api}|${day}`;
}

/** A msgid as WeChat names one article of a publication (`<msg_data_id>_<index>`); also safe as a field name. */
export function isMsgid(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,20}_\d{1,3}$/.test(value);
}

interface DocBase {
  _id: string;
  api: DatacubeApi;
  day: string;
  pulledAt: Date;
}

export interface UserSummaryDoc extends DocBase {
  api: 'getusersummary';
  /** Followers gained and lost that day, all sources. */
  newUser: number;
  cancelUser: number;
  /** Per `user_source` (0 其他合计, 1 搜索, 30 扫描二维码, …), as WeChat lists them. */
  sources: Array<{ userSource: number; newUser: number; cancelUser: number }>;
}

export interface SceneCount {
  scene: string;
  users: number;
}

export interface ArticleReadDoc extends DocBase {
  api: 'getarticleread';
  /** Readers that day per msgid (every article WeChat lists for the day). */
  reads: Record<string, number>;
  /** Readers per scene (`read_user_source` without 全部) per msgid. */
  sources: Record<string, SceneCount[]>;
  isDelay: boolean;
}

export interface ArticleDetail {
  statDate: string;
  readUser: number;
  readUserSources: SceneCount[];
  shareUser: number;
  zaikanUser: number;
  likeUser: number;
  commentCount: number;
  collectionUser: number;
  praiseMoney: number;
  readSubscribeUser: number;
  readDeliveryRate: number;
  readFinishRate: number;
  readAvgActivetime: number;
}

export interface ArticleTotalDoc extends DocBase {
  api: 'getarticletotaldetail';
  /** The articles published that day, each with its totals from that day up to each `statDate` WeChat gave at the pull. */
  articles: Array<{ msgid: string; title: string; contentUrl: string; publishType: number; detail: ArticleDetail[] }>;
  isDelay: boolean;
}

export type DatacubeDoc = UserSummaryDoc | ArticleReadDoc | ArticleTotalDoc;

type Row = Record<string, unknown>;
const count = (value: unknown): number => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? Math.round(n) : 0;
};
const rate = (value: unknown): number => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : 0;
};
const listOf = (answer: Row): Row[] => (Array.isArray(answer.list) ? (answer.list as unknown[]) : []).filter(isRow);
function isRow(value: unknown): value is Row {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}

/** `read_user_source` without its 全部 entry (that is `read_user`). */
function scenesOf(value: unknown): SceneCount[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(isRow)
    .filter((s) => typeof s.scene_desc === 'string' && s.scene_desc !== '全部')
    .map((s) => ({ scene: String(s.scene_desc), users: count(s.user_count) }));
}

/**
 * The documents one answer stores: one per day of the call, also for a day WeChat listed nothing
 * for (it was asked: zero). Rows for days outside the call and msgids that are not msgids are left out.
 */
export function docsOfAnswer(call: DatacubeCall, answer: Row, pulledAt: Date): DatacubeDoc[] {
  const days = new Set(call.days);
  const rows = listOf(answer).filter((row) => days.has(String(row.ref_date)));
  const isDelay = answer.is_delay === true;
  if (call.api === 'getusersummary') {
    return call.days.map((day): UserSummaryDoc => {
      const sources = rows
        .filter((row) => row.ref_date === day)
        .map((row) => ({ userSource: count(row.user_source), newUser: count(row.new_user), cancelUser: count(row.cancel_user) }))
        .sort((a, b) => a.userSource - b.userSource);
      return {
        _id: datacubeId('getusersummary', day),
        api: 'getusersummary',
        day,
        newUser: sources.reduce((sum, s) => sum + s.newUser, 0),
        cancelUser: sources.reduce((sum, s) => sum + s.cancelUser, 0),
        sources,
        pulledAt,
      };
    });
  }
  if (call.api === 'getarticleread') {
    return call.days.map((day): ArticleReadDoc => {
      const reads: Record<string, number> = {};
      const sources: Record<string, SceneCount[]> = {};
      for (const row of rows) {
        if (row.ref_date !== day || !isMsgid(row.msgid)) continue;
        const detail = isRow(row.detail) ? row.detail : {};
        reads[row.msgid] = (reads[row.msgid] ?? 0) + count(detail.read_user);
        sources[row.msgid] = scenesOf(detail.read_user_source);
      }
      return { _id: datacubeId('getarticleread', day), api: 'getarticleread', day, reads, sources, isDelay, pulledAt };
    });
  }
  return call.days.map(
    (day): ArticleTotalDoc => ({
      _id: datacubeId('getarticletotaldetail', day),
      api: 'getarticletotaldetail',
      day,
      articles: rows
        .filter((row) => row.ref_date === day && isMsgid(row.msgid))
        .map((row) => ({
          msgid: row.msgid as string,
          title: typeof row.title === 'string' ? row.title : '',
          contentUrl: typeof row.content_url === 'string' ? row.content_url : '',
          publishType: count(row.publish_type),
          detail: (Array.isArray(row.detail_list) ? (row.detail_list as unknown[]) : []).filter(isRow).map(detailOf),
        })),
      isDelay,
      pulledAt,
    }),
  );
}

function detailOf(entry: Row): ArticleDetail {
  return {
    statDate: String(entry.stat_date ?? ''),
    readUser: count(entry.read_user),
    readUserSources: scenesOf(entry.read_user_source),
    shareUser: count(entry.share_user),
    zaikanUser: count(entry.zaikan_user),
    likeUser: count(entry.like_user),
    commentCount: count(entry.comment_count),
    collectionUser: count(entry.collection_user),
    praiseMoney: count(entry.praise_money),
    readSubscribeUser: count(entry.read_subscribe_user),
    readDeliveryRate: rate(entry.read_delivery_rate),
    readFinishRate: rate(entry.read_finish_rate),
    readAvgActivetime: rate(entry.read_avg_activetime),
  };
}
