/**
 * The one client of the local cloud's control plane (`/_emu/...`, see emulator/README.md): the
 * emulator's own tests, the integration tests, the benchmark and the dev scripts all use it.
 * Plain `fetch`, no Node-only imports and nothing of the product (core/, server/, src/,
 * cloudfunctions/): it speaks WeChat's side only. The answer types below are also what the
 * route handlers declare they return, so a handler that changes its answer breaks the build.
 */
import type { FaultSpec, FunctionConfig, InvokeResult, MpEncryptMode, OutboxEntry, OutboxKind, PendingFault, Persona } from './context';
import type { IndexSpec } from './db/schema';
import type { ColdStart } from './functions/instance';
import type { InvocationLog } from './functions/logs';
import type { GatewayResponse } from './mp/push';
import type { MpArticle, MpState } from './mp/store';
import type { SecurityRule, SecurityRulesAnswer } from './openapi/security';
import type { Delivery, PaymentRecord, RefundRecord } from './pay/ledger';

// ---------------------------------------------------------------- answers of the routes

export interface HealthAnswer {
  ok: true;
  /** The env id functions see. */
  env: string;
  /** Emulator clock, ISO. */
  time: string;
}

export interface ClockAnswer {
  now: string;
  offsetMs: number;
}

export interface StatsAnswer {
  /** One per `POST /admin` action, plus `openapi.<api>`, since start or the last reset. */
  counts: Record<string, number>;
}

/** A pending fault: an error (`error`) or a latency (`delayMs`), with the calls it still hits. */
export type { PendingDelayFault, PendingErrorFault, PendingFault } from './context';

export interface FaultsAnswer {
  faults: PendingFault[];
}

export interface OutboxAnswer {
  entries: OutboxEntry[];
}

export interface PersonasAnswer {
  personas: Persona[];
}

/** A persona to add or change: fields not given keep their value (or the defaults for a new one). */
export type PersonaInput = Partial<Omit<Persona, 'name'>> & { name: string };

export interface FunctionListing {
  name: string;
  config: FunctionConfig;
  instances: { total: number; busy: number };
  /** `null` until an instance of the function started (since start or the last reset). */
  lastColdStart: ColdStart | null;
}

export interface FunctionsAnswer {
  dir: string;
  /** Set when the functions folder exists but cannot be listed: the empty list does not mean "no functions". */
  error?: string;
  functions: FunctionListing[];
}

export interface InvokeRequest {
  event?: unknown;
  user?: { openid?: string; unionid?: string; appid?: string };
  /** Fills openid/unionid from the persona; fields of `user` win. */
  persona?: string;
  /** Defaults to `wx_client` with a user openid, `wx_devtools` without. */
  source?: string;
}

export type InvokeAnswer = InvokeResult;

export interface LogsAnswer {
  logs: InvocationLog[];
}

export interface TriggersAnswer {
  enabled: boolean;
  triggers: Array<{ function: string; name: string; config: string; next?: string; problem?: string }>;
}

export type GrantResult = 'accept' | 'reject';

export interface GrantRequest {
  openid: string;
  /** 1 to 3 template ids of `cloud/subscribe-templates.json`. */
  templateIds: string[];
  result: GrantResult | Record<string, GrantResult>;
}

/** What `requestSubscribeMessage` answers: each template id's result, and `errMsg`. */
export type GrantAnswer = Record<string, string> & { errMsg: string };

export interface UserGrantsAnswer {
  openid: string;
  grants: Record<string, number>;
}

export interface AllGrantsAnswer {
  /** Remaining one-time grants per openid and template id. */
  grants: Record<string, Record<string, number>>;
}

/** A payment as the control plane shows it: the record plus what is left to refund. */
export type PaymentView = Omit<PaymentRecord, 'fingerprint'> & {
  refundedFee: number;
  pendingRefundFee: number;
  refundableFee: number;
};

export interface PaymentsAnswer {
  payments: PaymentView[];
}

export interface PaymentAnswer {
  payment: PaymentView;
}

export interface SettleRequest {
  result?: 'SUCCESS' | 'FAIL';
  /** 0-20 callback deliveries (default 1); 0 is a lost callback: paid, but only queryOrder can tell. */
  deliveries?: number;
  persona?: string;
  openid?: string;
  bankType?: string;
}

export interface SettleAnswer {
  payment: PaymentView;
  deliveries: Delivery[];
}

export interface RefundSettleRequest {
  result?: 'SUCCESS' | 'FAIL' | 'CHANGE' | 'CLOSED' | 'REFUNDCLOSE';
  /** 0-20 callback deliveries (default 1); 0 is a lost callback: settled, but only queryRefund can tell. */
  deliveries?: number;
}

export interface RefundSettleAnswer {
  refund: RefundRecord;
  payment: PaymentView;
  deliveries: Delivery[];
}

export interface DbAnswer {
  collections: Array<{ name: string; count: number; indexes: IndexSpec[] }>;
  /** Open transactions. */
  transactions: number;
}

/** One document of a page: `key` is its `_id` as stored (canonical EJSON), `doc` relaxed EJSON (dates as `{ $date }`, ...). */
export interface BrowseRow {
  key: string;
  doc: Record<string, any>;
}

export interface BrowseQuery {
  /** 1–200, default 50. */
  limit?: number;
  /** 0–10000: rows skipped by OFFSET; page further with `after`. */
  skip?: number;
  /** A field path (`price`, `address.city`, `_id`); insertion order without one. */
  sort?: string;
  order?: 'asc' | 'desc';
  /** A filter of fields compared to scalars (`$eq $ne $gt $gte $lt $lte $in $nin $exists $regex`, `$and`, `$or`). */
  filter?: Record<string, unknown> | string;
  /** `next` of the previous page. */
  after?: string;
}

export interface BrowseAnswer {
  collection: string;
  /** Documents in the collection. */
  total: number;
  /** Documents the filter matches (`total` without one); null on pages after the first (`after`): counting is a pass over the collection. */
  matched: number | null;
  docs: BrowseRow[];
  /** The cursor of the next page (`after`), or null on the last one. */
  next: string | null;
  /** Time the route took, server side. */
  elapsedMs: number;
  /** sqlite's query plan of the page (`EXPLAIN QUERY PLAN` details): which index served it, or a scan and a sort. */
  plan: string[];
}

export interface DocAnswer {
  key: string;
  doc: Record<string, any>;
}

export interface TemplatesAnswer {
  templates: Array<{ id: string; title?: string; keywords: Record<string, string> }>;
}

export interface ExportAnswer {
  format: 'duet-cloud-export';
  version: 1;
  exportedAt: string;
  /** JSON lines per collection, in the WeChat console's format. */
  collections: Record<string, string>;
}

export interface ImportAnswer {
  ok: true;
  /** Documents imported per collection. */
  collections: Record<string, number>;
}

export interface MpStateAnswer {
  appid: string;
  ghId: string;
  apiBase: string;
  /** 公众号 openids of the personas who follow. */
  followers: string[];
  tokens: Array<{ issuedAt: string; expiresAt: string; superseded: boolean }>;
  menu: MpState['menu'] | null;
  qrcodes: MpState['qrcodes'];
  /** Last push per 公众号 openid (opens the customer-service window), ISO. */
  interactions: Record<string, string>;
}

/** `GET|POST /_emu/mp/followers`: whom `user/get` lists. */
export interface MpFollowersAnswer {
  /** Everyone `user/get` lists: the following personas, then the synthetic followers. */
  total: number;
  /** 公众号 openids of the personas who follow. */
  personas: string[];
  /** Synthetic followers (`o-mp-f000001`, ...), never removed until a reset. */
  synthetic: number;
  /** What this call added (POST only). */
  added?: { count: number; first: string; last: string; withUnionid: number };
}

export interface AddFollowersRequest {
  /** 1 to 100,000. */
  count: number;
  /** Give every other one added (the 1st, 3rd, ...) a unionid `u-f<number>`. */
  unionids?: boolean;
}

/** One day of an article's numbers (`POST /_emu/mp/articles`); counts default to 0. */
export interface MpArticleDayInput {
  readUser?: number;
  /** Readers per scene besides 全部: 公众号消息, 聊天会话, 朋友圈, 公众号主页, 其他, 推荐, 搜一搜. */
  readUserSource?: Record<string, number>;
  shareUser?: number;
  zaikanUser?: number;
  likeUser?: number;
  commentCount?: number;
  collectionUser?: number;
  /** Fen. */
  praiseMoney?: number;
  readSubscribeUser?: number;
  /** 0–1. */
  readDeliveryRate?: number;
  /** 0–1. */
  readFinishRate?: number;
  /** Minutes. */
  readAvgActivetime?: number;
  readJumpPosition?: Array<{ position: number; rate: number }>;
}

/** An article behind `datacube/getarticleread` and `datacube/getarticletotaldetail`. */
export interface MpArticleInput {
  /** `<msg_data_id>_<index>`, e.g. `2247490098_1`; an article with the same msgid is replaced. */
  msgid: string;
  title: string;
  /** Publish date `YYYY-MM-DD` (Asia/Shanghai). */
  publishedAt: string;
  /** 0 notified (default), 1 published without notification. */
  publishType?: 0 | 1;
  contentUrl?: string;
  /** Numbers by day `YYYY-MM-DD`, none before `publishedAt`. */
  days?: Record<string, MpArticleDayInput>;
}

/** `GET /_emu/mp/articles` (all, by publish date) and `POST` (the ones just set, defaults filled in). */
export interface MpArticlesAnswer {
  articles: MpArticle[];
}

export interface PushRequest {
  persona: string;
  type: 'subscribe' | 'unsubscribe' | 'SCAN' | 'CLICK' | 'text';
  eventKey?: string;
  content?: string;
  /** The HTTP-triggered function (default `mpGateway`). */
  function?: string;
  createTime?: number;
  msgId?: string;
  nonce?: string;
  timestamp?: number;
  /** 1-4. */
  deliveries?: number;
  /** `msg_signature` only in compat and safe mode. */
  tamper?: 'signature' | 'stale' | 'msg_signature';
  /** Overrides the local cloud's configured mode for this push; compat and safe need its EncodingAESKey. */
  mode?: MpEncryptMode;
}

/**
 * What WeChat made of a reply in compat or safe mode (or of an `<Encrypt>` reply in plain mode).
 * Verified: MsgSignature over TimeStamp, Nonce and Encrypt, the decryption, and the appid inside.
 */
export type ReplyEncryption =
  /** An encrypted reply that verified: `xml` is the decrypted reply, which `reply` holds parsed. */
  | { encrypted: true; xml: string }
  /** A plaintext XML reply where one is allowed (compat mode). */
  | { encrypted: false }
  /** A reply WeChat would drop: `reply` is then absent. */
  | { encrypted: boolean; error: string };

/** One delivery of a push or check to the gateway and what it answered. */
export interface GatewayCall {
  response: GatewayResponse & { error?: { errCode: number; errMsg: string } };
  /** The passive reply XML, parsed (tag → text), when the gateway answered one; an encrypted reply decrypted. */
  reply?: Record<string, unknown>;
  /** Set for an XML reply to a compat or safe push, and for an `<Encrypt>` reply to a plain one. */
  replyEncryption?: ReplyEncryption;
  /** Real time, for people; tests should not depend on it. */
  elapsedMs: number;
  withinDeadline: boolean;
}

export interface PushAnswer extends GatewayCall {
  /** The message, plaintext, whatever the mode (what the gateway should decrypt `Encrypt` to). */
  xml: string;
  mode: MpEncryptMode;
  /** The HTTP body sent: `xml` itself in plain mode, the `<Encrypt>` envelope otherwise. */
  body: string;
  query: { signature: string; timestamp: string; nonce: string; openid: string; encrypt_type?: 'aes'; msg_signature?: string };
  deliveries: GatewayCall[];
}

export interface VerifyRequest {
  function?: string;
  echostr?: string;
  tamper?: 'signature' | 'stale';
}

export interface VerifyAnswer extends GatewayCall {
  query: { signature: string; echostr: string; timestamp: string; nonce: string };
  echoed: boolean;
}

// ---------------------------------------------------------------- the client

export interface ControlAnswer<T = any> {
  status: number;
  /** Parsed JSON, the text of any other body, or undefined when empty. */
  body: T;
}

/** A typed call answered with something other than 2xx. */
export class CloudRequestError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${path} → ${status} ${typeof body === 'string' ? body : JSON.stringify(body)}`);
    this.name = 'CloudRequestError';
  }
}

export interface CloudClient {
  readonly baseUrl: string;
  /** Any route, raw: the status and body, never throws for a status (only when the local cloud cannot be reached). */
  control<T = any>(method: string, path: string, body?: unknown): Promise<ControlAnswer<T>>;
  /** Any route: the body of a 2xx answer; throws `CloudRequestError` otherwise. */
  request<T = any>(method: string, path: string, body?: unknown): Promise<T>;

  health(): Promise<HealthAnswer>;
  /** Everything back to a fresh local cloud, see `POST /_emu/reset` in the README. */
  reset(options?: { coldStarts?: boolean }): Promise<{ ok: true }>;
  stats(): Promise<StatsAnswer>;
  /** Calls a function as the mini-program (a persona or user), the console, or another source. 404 for an unknown function throws. */
  invoke(name: string, request?: InvokeRequest): Promise<InvokeAnswer>;

  functions: {
    list(): Promise<FunctionsAnswer>;
    logs(name: string, options?: { limit?: number }): Promise<LogsAnswer>;
  };
  triggers: {
    list(): Promise<TriggersAnswer>;
    fire(name: string): Promise<InvokeAnswer>;
  };
  clock: {
    get(): Promise<ClockAnswer>;
    set(iso: string | Date): Promise<ClockAnswer>;
    advance(ms: number): Promise<ClockAnswer>;
    reset(): Promise<ClockAnswer>;
  };
  faults: {
    /** `target`: an /admin action, an open-API name, `cloudPay.<api>` (which also takes a business failure, `{ resultCode: "FAIL", errCode, errCodeDes }`) or `mp.<api>`; consumed `times` times (default 1). */
    add(target: string, error: FaultSpec, times?: number): Promise<FaultsAnswer>;
    /** The next `times` calls (default 1) to `target` wait `delayMs` (1-60000), then go on; an error fault on the same target still applies after the wait. */
    delay(target: string, delayMs: number, times?: number): Promise<FaultsAnswer>;
    list(): Promise<FaultsAnswer>;
  };
  outbox: {
    list(kind?: OutboxKind): Promise<OutboxAnswer>;
  };
  personas: {
    list(): Promise<PersonasAnswer>;
    upsert(personas: PersonaInput | PersonaInput[]): Promise<PersonasAnswer>;
  };
  grants: {
    add(request: GrantRequest): Promise<GrantAnswer>;
    list(): Promise<AllGrantsAnswer>;
    list(openid: string): Promise<UserGrantsAnswer>;
  };
  /** Verdicts of security.msgSecCheck / imgSecCheck: `set` replaces the rules (the first match wins; anything else passes). */
  security: {
    list(): Promise<SecurityRulesAnswer>;
    set(rules: SecurityRule[]): Promise<SecurityRulesAnswer>;
  };
  payments: {
    list(): Promise<PaymentsAnswer>;
    get(outTradeNo: string): Promise<PaymentAnswer>;
    settle(outTradeNo: string, request?: SettleRequest): Promise<SettleAnswer>;
    settleRefund(outRefundNo: string, request?: RefundSettleRequest): Promise<RefundSettleAnswer>;
  };
  db: {
    info(): Promise<DbAnswer>;
    export(): Promise<ExportAnswer>;
    /** One collection as the console's JSON-lines file. */
    exportCollection(name: string): Promise<string>;
    /** Replaces the given collections, all or nothing: JSON lines or arrays of documents. */
    import(collections: Record<string, string | unknown[]>): Promise<ImportAnswer>;
    importCollection(name: string, jsonLines: string): Promise<ImportAnswer>;
    /** One page of a collection, paged, filtered and sorted by the local cloud. */
    page(collection: string, query?: BrowseQuery): Promise<BrowseAnswer>;
    /** One document by `_id` (a string, a number, or `{ $oid }`). */
    doc(collection: string, id: unknown): Promise<DocAnswer>;
    /** Replaces the document with `doc._id` (relaxed EJSON). */
    replace(collection: string, doc: Record<string, unknown>): Promise<DocAnswer>;
  };
  /** Subscription message templates (`cloud/subscribe-templates.json`). */
  templates(): Promise<TemplatesAnswer>;
  mp: {
    state(): Promise<MpStateAnswer>;
    push(request: PushRequest): Promise<PushAnswer>;
    verify(request?: VerifyRequest): Promise<VerifyAnswer>;
    followers(): Promise<MpFollowersAnswer>;
    addFollowers(request: AddFollowersRequest): Promise<MpFollowersAnswer>;
    articles(): Promise<MpArticlesAnswer>;
    /** Adds or replaces articles (by msgid), all or nothing. */
    setArticles(articles: MpArticleInput[]): Promise<MpArticlesAnswer>;
  };
}

const segment = encodeURIComponent;

/** `baseUrl`: what `startEmulator` returns as `url`, or `DUET_EMULATOR_URL` (no trailing `/`). */
export function createCloudClient(baseUrl: string): CloudClient {
  const base = baseUrl.replace(/\/+$/, '');

  async function control<T>(method: string, path: string, body?: unknown): Promise<ControlAnswer<T>> {
    // A string is sent as it is (JSON lines for an import); anything else as JSON. A POST without
    // a body is still declared JSON: the control plane refuses POSTs of any other type.
    const raw = typeof body === 'string';
    const typed = body !== undefined || (method !== 'GET' && method !== 'HEAD');
    const response = await fetch(`${base}${path}`, {
      method,
      headers: typed ? { 'content-type': raw ? 'application/x-ndjson; charset=utf-8' : 'application/json' } : {},
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const isJson = /\bjson\b/.test(response.headers.get('content-type') ?? '');
    return { status: response.status, body: (text === '' ? undefined : isJson ? JSON.parse(text) : text) as T };
  }

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await control<T>(method, path, body);
    if (answer.status < 200 || answer.status > 299) throw new CloudRequestError(method, path, answer.status, answer.body);
    return answer.body;
  }

  const get = <T>(path: string) => request<T>('GET', path);
  const post = <T>(path: string, body: unknown = {}) => request<T>('POST', path, body);

  return {
    baseUrl: base,
    control,
    request,
    health: () => get('/_emu/health'),
    reset: (options) => post('/_emu/reset', options ?? {}),
    stats: () => get('/_emu/stats'),
    invoke: (name, invokeRequest = {}) => post(`/_emu/functions/${segment(name)}/invoke`, invokeRequest),
    functions: {
      list: () => get('/_emu/functions'),
      logs: (name, options = {}) =>
        get(`/_emu/functions/${segment(name)}/logs${options.limit === undefined ? '' : `?limit=${options.limit}`}`),
    },
    triggers: {
      list: () => get('/_emu/triggers'),
      fire: (name) => post(`/_emu/triggers/${segment(name)}/fire`),
    },
    clock: {
      get: () => get('/_emu/clock'),
      set: (iso) => post('/_emu/clock', { set: typeof iso === 'string' ? iso : iso.toISOString() }),
      advance: (ms) => post('/_emu/clock', { advanceMs: ms }),
      reset: () => post('/_emu/clock', { reset: true }),
    },
    faults: {
      add: (target, error, times) => post('/_emu/faults', times === undefined ? { target, error } : { target, error, times }),
      delay: (target, delayMs, times) => post('/_emu/faults', times === undefined ? { target, delayMs } : { target, delayMs, times }),
      list: () => get('/_emu/faults'),
    },
    outbox: {
      list: (kind) => get(`/_emu/outbox${kind ? `?kind=${segment(kind)}` : ''}`),
    },
    personas: {
      list: () => get('/_emu/personas'),
      upsert: (personas) => post('/_emu/personas', personas),
    },
    grants: {
      add: (grantRequest) => post('/_emu/grants', grantRequest),
      list: ((openid?: string) =>
        get(`/_emu/grants${openid === undefined ? '' : `?openid=${segment(openid)}`}`)) as CloudClient['grants']['list'],
    },
    security: {
      list: () => get('/_emu/security'),
      set: (rules) => post('/_emu/security', { rules }),
    },
    payments: {
      list: () => get('/_emu/payments'),
      get: (outTradeNo) => get(`/_emu/payments/${segment(outTradeNo)}`),
      settle: (outTradeNo, settleRequest = {}) => post(`/_emu/payments/${segment(outTradeNo)}/settle`, settleRequest),
      settleRefund: (outRefundNo, settleRequest = {}) => post(`/_emu/refunds/${segment(outRefundNo)}/settle`, settleRequest),
    },
    db: {
      info: () => get('/_emu/db'),
      export: () => get('/_emu/export'),
      exportCollection: async (name) => (await get<string | undefined>(`/_emu/export/${segment(name)}`)) ?? '',
      import: (collections) => post('/_emu/import', { collections }),
      importCollection: (name, jsonLines) => post(`/_emu/import/${segment(name)}`, jsonLines),
      page: (collection, query = {}) => {
        const search = new URLSearchParams();
        for (const [key, value] of Object.entries(query)) {
          if (value === undefined) continue;
          search.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
        }
        const text = search.toString();
        return get(`/_emu/db/${segment(collection)}/docs${text ? `?${text}` : ''}`);
      },
      doc: (collection, id) => get(`/_emu/db/${segment(collection)}/doc?id=${segment(JSON.stringify(id))}`),
      replace: (collection, doc) => post(`/_emu/db/${segment(collection)}/doc`, { doc }),
    },
    templates: () => get('/_emu/templates'),
    mp: {
      state: () => get('/_emu/mp'),
      push: (pushRequest) => post('/_emu/mp/push', pushRequest),
      verify: (verifyRequest = {}) => post('/_emu/mp/verify', verifyRequest),
      followers: () => get('/_emu/mp/followers'),
      addFollowers: (followersRequest) => post('/_emu/mp/followers', followersRequest),
      articles: () => get('/_emu/mp/articles'),
      setArticles: (articles) => post('/_emu/mp/articles', { articles }),
    },
  };
}
