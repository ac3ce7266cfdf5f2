import { createHash } from 'node:crypto';
import type { MpArticlesAnswer } from '../client';
import type { EmulatorContext } from '../context';
import { HttpError, readJsonObject, route } from '../http';
import { FollowerList } from './followers';
import type { ArticleDay, MpArticle, MpStore } from './store';

/**
 * The 公众号's statistics (数据统计, https://api.weixin.qq.com/datacube/...), answered from the fake's
 * own state: user numbers from the follow and unfollow pushes it saw and the followers it has, article
 * numbers from what `POST /_emu/mp/articles` set. Days are Asia/Shanghai days (UTC+8, no daylight
 * saving) on the emulator clock. Routes and the checks shared by the four APIs are registered by api.ts.
 */

type Answer = Record<string, unknown>;
type Fail = (errcode: number, message: string) => Answer;

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** `user_source` values of `getusersummary` the fake can produce (WeChat lists more). */
export const USER_SOURCE = { other: 0, search: 1, qrCode: 30 } as const;

/** The `user_source` of a follow with this `subscribe_scene` (as `user/info` reports it). */
export function sourceOfScene(scene: string | undefined): number {
  if (scene === undefined || scene === 'ADD_SCENE_SEARCH') return USER_SOURCE.search;
  if (scene === 'ADD_SCENE_QR_CODE') return USER_SOURCE.qrCode;
  return USER_SOURCE.other;
}

/** Scenes of `read_user_source` besides 全部, in the order WeChat's documentation lists them. */
export const READ_SCENES = ['公众号消息', '聊天会话', '朋友圈', '公众号主页', '其他', '推荐', '搜一搜'] as const;

/** Days since 1970-01-01 of a `YYYY-MM-DD` that is a real date; undefined otherwise. */
export function dayNumber(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) return undefined;
  return ms / DAY_MS;
}

export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The Asia/Shanghai day of an instant (ms). */
export function shanghaiDay(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** The first instant (ms) of an Asia/Shanghai day. */
function shanghaiDayStart(day: number): number {
  return day * DAY_MS - SHANGHAI_OFFSET_MS;
}

/**
 * `begin_date` and `end_date` as WeChat checks them: both `YYYY-MM-DD` (else 61500), end not before
 * begin, end at most yesterday, and at most `maxSpan` days from begin to end inclusive (else 61501).
 */
function dateRange(
  body: Record<string, unknown>,
  maxSpan: number,
  today: number,
  fail: Fail,
): { begin: number; end: number; error?: undefined } | { error: Answer } {
  const begin = dayNumber(body.begin_date);
  const end = dayNumber(body.end_date);
  if (begin === undefined || end === undefined) return { error: fail(61500, 'date format error') };
  if (end < begin || end >= today || end - begin + 1 > maxSpan) return { error: fail(61501, 'date range error') };
  return { begin, end };
}

/** The longest `begin_date`–`end_date` span (days, inclusive) each API takes. */
export const MAX_SPAN_DAYS = {
  'datacube/getusersummary': 7,
  'datacube/getusercumulate': 7,
  'datacube/getarticleread': 1,
  'datacube/getarticletotaldetail': 1,
} as const;

/** How many days after its publish date `getarticletotaldetail` follows an article (the publish day is the first). */
const DETAIL_WINDOW_DAYS = 30;

/** A change in the number of followers: a follow event or a range of synthetic followers added. */
interface Change {
  /** Seconds. */
  time: number;
  source: number;
  added: number;
  removed: number;
}

/** The four datacube APIs by name (`datacube/<api>`): the body (already a JSON object) in, the answer out. */
export function datacubeApis(
  ctx: EmulatorContext,
  store: MpStore,
  fail: Fail,
): Record<keyof typeof MAX_SPAN_DAYS, (body: Record<string, unknown>) => Answer> {
  const followers = new FollowerList(ctx, store);
  const today = () => shanghaiDay(ctx.clock.nowMs());

  const changes = (): Change[] => [
    ...store.followEvents().map((e) => ({
      time: e.time,
      source: e.source,
      added: e.type === 'subscribe' ? 1 : 0,
      removed: e.type === 'unsubscribe' ? 1 : 0,
    })),
    // Synthetic followers follow as user/info tells it: by search, when they were added.
    ...store.state.syntheticFollowers.map((r) => ({ time: r.subscribeTime, source: USER_SOURCE.search, added: r.count, removed: 0 })),
  ];

  const withRange =
    (api: keyof typeof MAX_SPAN_DAYS, answer: (begin: number, end: number) => Answer) => (body: Record<string, unknown>) => {
      const range = dateRange(body, MAX_SPAN_DAYS[api], today(), fail);
      return range.error ?? answer(range.begin, range.end);
    };

  return {
    'datacube/getusersummary': withRange('datacube/getusersummary', (begin, end) => {
      const all = changes();
      const list: Answer[] = [];
      for (let day = begin; day <= end; day += 1) {
        // Source 0 (其他合计) is there every day, zeros included; other sources only when something happened.
        const bySource = new Map<number, { new_user: number; cancel_user: number }>([[USER_SOURCE.other, { new_user: 0, cancel_user: 0 }]]);
        for (const change of all) {
          if (shanghaiDay(change.time * 1000) !== day) continue;
          const row = bySource.get(change.source) ?? { new_user: 0, cancel_user: 0 };
          row.new_user += change.added;
          row.cancel_user += change.removed;
          bySource.set(change.source, row);
        }
        for (const [source, row] of [...bySource].sort(([a], [b]) => a - b)) {
          list.push({ ref_date: dayString(day), user_source: source, ...row });
        }
      }
      return { list };
    }),

    'datacube/getusercumulate': withRange('datacube/getusercumulate', (begin, end) => {
      // Followers now, less what changed after each day: the count at the end of that day.
      const all = changes();
      const now = followers.total();
      const list: Answer[] = [];
      for (let day = begin; day <= end; day += 1) {
        const after = shanghaiDayStart(day + 1) / 1000;
        const net = all.filter((c) => c.time >= after).reduce((sum, c) => sum + c.added - c.removed, 0);
        list.push({ ref_date: dayString(day), cumulate_user: Math.max(0, now - net) });
      }
      return { list };
    }),

    'datacube/getarticleread': withRange('datacube/getarticleread', (begin, end) => {
      const list: Answer[] = [];
      for (let day = begin; day <= end; day += 1) {
        for (const article of sortedArticles(store)) {
          const numbers = article.days[dayString(day)];
          if (!numbers || numbers.readUser <= 0) continue;
          list.push({
            ref_date: dayString(day),
            msgid: article.msgid,
            detail: { read_user: numbers.readUser, read_user_source: readUserSource(numbers.readUser, numbers.readUserSource) },
          });
        }
      }
      return { list, is_delay: false };
    }),

    'datacube/getarticletotaldetail': withRange('datacube/getarticletotaldetail', (begin, end) => {
      const yesterday = today() - 1;
      const list: Answer[] = [];
      for (const article of sortedArticles(store)) {
        const published = dayNumber(article.publishedAt) as number;
        if (published < begin || published > end) continue;
        const last = Math.min(yesterday, published + DETAIL_WINDOW_DAYS - 1);
        const detailList: Answer[] = [];
        for (let stat = published; stat <= last; stat += 1) detailList.push(totalsUntil(article, published, stat));
        list.push({
          ref_date: article.publishedAt,
          msgid: article.msgid,
          publish_type: article.publishType,
          title: article.title,
          content_url: article.contentUrl,
          detail_list: detailList,
        });
      }
      return { list, is_delay: false };
    }),
  };
}

function sortedArticles(store: MpStore): MpArticle[] {
  return store.articles().sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.msgid.localeCompare(b.msgid));
}

function readUserSource(readUser: number, bySource: Record<string, number>): Array<{ user_count: number; scene_desc: string }> {
  return [
    { user_count: readUser, scene_desc: '全部' },
    ...READ_SCENES.filter((scene) => bySource[scene] !== undefined).map((scene) => ({ user_count: bySource[scene], scene_desc: scene })),
  ];
}

/**
 * One `detail_list` entry: what the article gathered from its publish day to `stat` (both included).
 * Counts are summed over the days; rates and the jump positions are the latest given by then (0, [] if none).
 */
function totalsUntil(article: MpArticle, published: number, stat: number): Answer {
  const sum = noCounts();
  const sources: Record<string, number> = {};
  let latest: Partial<ArticleDay> = {};
  for (let day = published; day <= stat; day += 1) {
    const numbers = article.days[dayString(day)];
    if (!numbers) continue;
    for (const key of COUNT_FIELDS) sum[key] += numbers[key];
    for (const [scene, count] of Object.entries(numbers.readUserSource)) sources[scene] = (sources[scene] ?? 0) + count;
    latest = {
      readDeliveryRate: numbers.readDeliveryRate ?? latest.readDeliveryRate,
      readFinishRate: numbers.readFinishRate ?? latest.readFinishRate,
      readAvgActivetime: numbers.readAvgActivetime ?? latest.readAvgActivetime,
      readJumpPosition: numbers.readJumpPosition ?? latest.readJumpPosition,
    };
  }
  return {
    stat_date: dayString(stat),
    read_user: sum.readUser,
    read_user_source: readUserSource(sum.readUser, sources),
    share_user: sum.shareUser,
    zaikan_user: sum.zaikanUser,
    like_user: sum.likeUser,
    comment_count: sum.commentCount,
    collection_user: sum.collectionUser,
    praise_money: sum.praiseMoney,
    read_subscribe_user: sum.readSubscribeUser,
    read_delivery_rate: latest.readDeliveryRate ?? 0,
    read_finish_rate: latest.readFinishRate ?? 0,
    read_avg_activetime: latest.readAvgActivetime ?? 0,
    read_jump_position: latest.readJumpPosition ?? [],
  };
}

// --- control plane: GET|POST /_emu/mp/articles ------------------------------------------------

const MAX_ARTICLES_PER_CALL = 1000;
const ARTICLE_FIELDS = new Set(['msgid', 'title', 'publishedAt', 'publishType', 'contentUrl', 'days']);
const COUNT_FIELDS = [
  'readUser',
  'shareUser',
  'zaikanUser',
  'likeUser',
  'commentCount',
  'collectionUser',
  'praiseMoney',
  'readSubscribeUser',
] as const;
/** Every count of a day at 0: an article's day before its fields are read, and a sum before its days are added. */
function noCounts(): Record<(typeof COUNT_FIELDS)[number], number> {
  return Object.fromEntries(COUNT_FIELDS.map((key) => [key, 0])) as Record<(typeof COUNT_FIELDS)[number], number>;
}
const RATE_FIELDS = ['readDeliveryRate', 'readFinishRate'] as const;
const DAY_FIELDS = new Set<string>([...COUNT_FIELDS, ...RATE_FIELDS, 'readAvgActivetime', 'readUserSource', 'readJumpPosition']);

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isRate = (value: unknown): value is number => typeof value === 'number' && value >= 0 && value <= 1;

/** A made-up but stable article URL, shaped like WeChat's (`mid` and `idx` from the msgid). */
function contentUrlOf(msgid: string): string {
  const [mid, idx] = msgid.split('_');
  const sn = createHash('sha1').update(msgid).digest('hex').slice(0, 32);
  return `https://mp.weixin.qq.com/s?__biz=MzkwMDAwMDAwMA==&mid=${mid}&idx=${idx}&sn=${sn}`;
}

function checkDay(where: string, input: unknown): ArticleDay {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new HttpError(400, `${where} must be an object`);
  const fields = input as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!DAY_FIELDS.has(key)) throw new HttpError(400, `${where}: unknown field ${JSON.stringify(key)}`);
  }
  const day: ArticleDay = { ...noCounts(), readUserSource: {} };
  for (const key of COUNT_FIELDS) {
    if (fields[key] === undefined) continue;
    if (!isCount(fields[key])) throw new HttpError(400, `${where}.${key} must be a whole number ≥ 0`);
    day[key] = fields[key] as number;
  }
  for (const key of RATE_FIELDS) {
    if (fields[key] === undefined) continue;
    if (!isRate(fields[key])) throw new HttpError(400, `${where}.${key} must be a number from 0 to 1`);
    day[key] = fields[key] as number;
  }
  if (fields.readAvgActivetime !== undefined) {
    if (typeof fields.readAvgActivetime !== 'number' || !(fields.readAvgActivetime >= 0)) {
      throw new HttpError(400, `${where}.readAvgActivetime must be a number of minutes ≥ 0`);
    }
    day.readAvgActivetime = fields.readAvgActivetime;
  }
  if (fields.readUserSource !== undefined) {
    const sources = fields.readUserSource;
    if (!sources || typeof sources !== 'object' || Array.isArray(sources)) {
      throw new HttpError(400, `${where}.readUserSource must be an object`);
    }
    for (const [scene, count] of Object.entries(sources)) {
      if (!(READ_SCENES as readonly string[]).includes(scene)) {
        throw new HttpError(400, `${where}.readUserSource: scene must be one of ${READ_SCENES.join(', ')} (全部 is readUser)`);
      }
      if (!isCount(count)) throw new HttpError(400, `${where}.readUserSource.${scene} must be a whole number ≥ 0`);
      day.readUserSource[scene] = count;
    }
  }
  if (fields.readJumpPosition !== undefined) {
    const positions = fields.readJumpPosition;
    const ok =
      Array.isArray(positions) &&
      positions.every(
        (p) => p && typeof p === 'object' && Number.isInteger(p.position) && p.position >= 1 && p.position <= 5 && isRate(p.rate),
      );
    if (!ok) throw new HttpError(400, `${where}.readJumpPosition must be [{ position: 1-5, rate: 0-1 }]`);
    day.readJumpPosition = (positions as Array<{ position: number; rate: number }>).map(({ position, rate }) => ({ position, rate }));
  }
  return day;
}

function checkArticle(index: number, input: unknown): MpArticle {
  const where = `articles[${index}]`;
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new HttpError(400, `${where} must be an object`);
  const fields = input as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!ARTICLE_FIELDS.has(key)) throw new HttpError(400, `${where}: unknown field ${JSON.stringify(key)}`);
  }
  const { msgid, title, publishedAt, publishType, contentUrl, days } = fields;
  if (typeof msgid !== 'string' || !/^\d{1,20}_\d{1,3}$/.test(msgid)) {
    throw new HttpError(400, `${where}.msgid must be "<msg_data_id>_<index>", e.g. "2247490098_1"`);
  }
  if (typeof title !== 'string' || !title) throw new HttpError(400, `${where}.title must be a non-empty string`);
  const published = dayNumber(publishedAt);
  if (published === undefined) throw new HttpError(400, `${where}.publishedAt must be a date YYYY-MM-DD (Asia/Shanghai)`);
  if (publishType !== undefined && publishType !== 0 && publishType !== 1) throw new HttpError(400, `${where}.publishType must be 0 or 1`);
  if (contentUrl !== undefined && (typeof contentUrl !== 'string' || !/^https?:\/\//.test(contentUrl))) {
    throw new HttpError(400, `${where}.contentUrl must be an http(s) URL`);
  }
  if (days !== undefined && (!days || typeof days !== 'object' || Array.isArray(days))) {
    throw new HttpError(400, `${where}.days must be an object`);
  }
  const checkedDays: Record<string, ArticleDay> = {};
  for (const [date, numbers] of Object.entries((days ?? {}) as Record<string, unknown>)) {
    const day = dayNumber(date);
    if (day === undefined) throw new HttpError(400, `${where}.days: ${JSON.stringify(date)} is not a date YYYY-MM-DD`);
    if (day < published) throw new HttpError(400, `${where}.days: ${date} is before the article was published (${publishedAt})`);
    checkedDays[date] = checkDay(`${where}.days["${date}"]`, numbers);
  }
  return {
    msgid,
    title,
    publishedAt: publishedAt as string,
    publishType: (publishType ?? 0) as 0 | 1,
    contentUrl: (contentUrl as string | undefined) ?? contentUrlOf(msgid),
    days: Object.fromEntries(Object.entries(checkedDays).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** `GET|POST /_emu/mp/articles`: the articles behind the datacube article statistics. */
export function registerArticleControl(ctx: EmulatorContext, store: MpStore): void {
  ctx.route(route('GET', '/_emu/mp/articles', (): MpArticlesAnswer => ({ articles: sortedArticles(store) })));
  ctx.route(
    route('POST', '/_emu/mp/articles', async ({ req }): Promise<MpArticlesAnswer> => {
      const body = await readJsonObject<{ articles?: unknown }>(req);
      const input = body.articles;
      if (!Array.isArray(input) || input.length < 1 || input.length > MAX_ARTICLES_PER_CALL) {
        throw new HttpError(400, `"articles" must be an array of 1 to ${MAX_ARTICLES_PER_CALL} articles`);
      }
      // All checked before any is stored: a bad one changes nothing.
      const articles = input.map((article, index) => checkArticle(index, article));
      const seen = new Set<string>();
      for (const article of articles) {
        if (seen.has(article.msgid)) throw new HttpError(400, `msgid ${article.msgid} is given twice`);
        seen.add(article.msgid);
      }
      for (const article of articles) store.putArticle(article);
      return { articles };
    }),
  );
}
