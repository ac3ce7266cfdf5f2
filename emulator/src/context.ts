import type { Route } from './http';
import type { AppPages } from './openapi/app-pages';
import type { TemplateRegistry } from './openapi/templates';

/**
 * The shared services of the local cloud. Each module (database, functions, openapi, pay,
 * storage, mp, control) receives this in `setup` and registers what it serves. Modules talk
 * to each other only through the interfaces declared here.
 */
export interface EmulatorOptions {
  /** Port for everything (SDK endpoint, control plane, storage, 公众号 fake). 0 picks a free one. */
  port: number;
  /** Loopback unless the user passes --host. */
  host: string;
  /** Repository root: schema file, template registry, app pages are read from here. */
  projectRoot: string;
  /** Where data lives between runs (default `<projectRoot>/.emulator`). */
  dataDir: string;
  /** Keep everything in memory; nothing is written to `dataDir`. */
  ephemeral: boolean;
  /** Folder of deployable functions (default: project.config.json's `cloudfunctionRoot`, else `build/cloudfunctions`). */
  functionsDir: string;
  /** Fire timer triggers by themselves (on demand firing works either way). */
  triggers: boolean;
  /** Base URL of the H5 app, used in QR codes and pay sheets (default: this server). */
  h5Url?: string;
  /** Serve this built H5 app (dist-h5) at `/` on the same origin as the control plane. */
  h5Dir?: string;
  /** Env id functions see in TCB_ENV / getWXContext().ENV. */
  envId: string;
  /** Quiet logs (tests). */
  quiet: boolean;
  /** The mini-program's appid (WX_APPID of client calls). */
  appid: string;
  /** The 公众号 the fake 公众号 API and the signed pushes belong to. */
  mp: MpOptions;
  /**
   * Per-function environment variables over the ones every function gets (`functionEnv`), as
   * 云函数 → <name> → 配置 → 环境变量 sets them in production; null removes one. Tests of setups gone
   * wrong (the `doctor` job) use it.
   */
  functionEnvOverrides?: Record<string, Record<string, string | null>>;
}

/** 明文模式, 兼容模式 (plaintext and ciphertext in one body), 安全模式 (ciphertext only). */
export type MpEncryptMode = 'plain' | 'compat' | 'safe';

export interface MpOptions {
  appid: string;
  secret: string;
  /** The 服务器配置 Token both signatures are made with. */
  token: string;
  /** The 服务器配置 EncodingAESKey (43 characters of A-Z, a-z, 0-9); needed by compat and safe. */
  aesKey?: string;
  /** How pushes are sent unless a push asks otherwise (default plain). */
  mode?: MpEncryptMode;
}

/**
 * Environment every function process gets besides the platform's variables: where the 公众号 API
 * lives and its credentials. In production the same names are set as the functions' environment
 * variables in the cloud console.
 */
export function functionEnv(ctx: { options: EmulatorOptions; baseUrl: string }): Record<string, string> {
  return {
    DUET_MP_API_BASE: `${ctx.baseUrl}/mp`,
    DUET_MP_APPID: ctx.options.mp.appid,
    DUET_MP_SECRET: ctx.options.mp.secret,
    DUET_MP_TOKEN: ctx.options.mp.token,
    // Only when set: a gateway must not find an empty key and believe it can decrypt.
    ...(ctx.options.mp.aesKey === undefined ? {} : { DUET_MP_AES_KEY: ctx.options.mp.aesKey }),
    DUET_MINI_APPID: ctx.options.appid,
    // The sub-merchant WeChat Pay orders are placed for (cloud console → 云开发 → 微信支付): a local one.
    DUET_PAY_SUB_MCH_ID: '1900000109',
    DUET_H5_URL: ctx.options.h5Url ?? ctx.baseUrl,
  };
}

export interface Clock {
  /** Emulator time: real time moved by the control plane. */
  now(): Date;
  nowMs(): number;
  /** Offset from real time in ms (passed to function processes so their `Date` agrees). */
  offsetMs(): number;
  set(iso: string | Date): void;
  advance(ms: number): void;
  /**
   * Back to real time. `{ silent: true }` (a whole reset) tells no listener: a reset starts over rather
   * than jumps, so a clock a test left in the past must not fire every timer trigger on the way back.
   */
  reset(options?: { silent?: boolean }): void;
  onChange(listener: () => void): void;
}

export interface Stats {
  count(key: string): void;
  snapshot(): Record<string, number>;
  reset(): void;
}

/**
 * A WeChat Pay business failure (`cloudPay.<api>` targets only): the call answers normally with
 * `result_code: FAIL` and these codes, e.g. `SYSTEMERROR` or `NOTENOUGH` on a refund. Nothing is recorded.
 */
export interface PayFailFault {
  resultCode: 'FAIL';
  errCode: string;
  errCodeDes: string;
}

export type FaultSpec = { errCode: number; errMsg: string } | 'timeout' | PayFailFault;

export function isPayFailFault(fault: FaultSpec | undefined): fault is PayFailFault {
  return !!fault && typeof fault === 'object' && 'resultCode' in fault;
}

/** A pending error fault: the next `remaining` calls to `target` fail with `error`. */
export interface PendingErrorFault {
  target: string;
  error: FaultSpec;
  remaining: number;
}

/** A pending latency fault: the next `remaining` calls to `target` wait `delayMs`, then go on. */
export interface PendingDelayFault {
  target: string;
  delayMs: number;
  remaining: number;
}

export type PendingFault = PendingErrorFault | PendingDelayFault;

/** The longest injected delay: longer than any caller's timeout worth simulating, short enough that a slip does not wedge a test run. */
export const MAX_FAULT_DELAY_MS = 60_000;

/**
 * Targets are a database/storage action such as `database.getDocument`, an open-API name such as
 * `subscribeMessage.send`, `cloudPay.<api>`, or `mp.<path after cgi-bin/>`. Error and delay faults
 * are counted apart: a call takes one of each that is pending for its target.
 */
export interface Faults {
  add(target: string, error: FaultSpec, times: number): void;
  addDelay(target: string, delayMs: number, times: number): void;
  /** Consume one pending error fault for this target. */
  take(target: string): FaultSpec | undefined;
  /** Consume one pending delay fault for this target: the ms to wait. */
  takeDelay(target: string): number | undefined;
  /** Every pending fault, in the order added. */
  list(): PendingFault[];
  reset(): void;
}

/** A named test user: one person with an openid per app and maybe a unionid. */
export interface Persona {
  name: string;
  /** Mini-program openid. */
  openid: string;
  /** 公众号 openid (differs from the mini-program's, as in production). */
  mpOpenid: string;
  unionid?: string;
  /** Follows the 公众号. */
  follows: boolean;
  nickname?: string;
}

export interface Personas {
  list(): Persona[];
  get(name: string): Persona | undefined;
  byOpenid(openid: string): Persona | undefined;
  byMpOpenid(mpOpenid: string): Persona | undefined;
  /** Throws `PersonaError` for a bad field or an id another persona has. */
  upsert(persona: Partial<Persona> & { name: string }): Persona;
  /** All or nothing: each checked against the personas as the ones before it left them. */
  upsertAll(personas: Array<Partial<Persona> & { name: string }>): Persona[];
  reset(): void;
}

export type OutboxKind = 'subscribeMessage' | 'customerServiceMessage' | 'wxacode' | 'mp' | 'openapi';

export interface OutboxEntry {
  id: number;
  kind: OutboxKind;
  /** e.g. `subscribeMessage.send`, `message/custom/send`. */
  api: string;
  /** The function that sent it, when known. */
  functionName?: string;
  at: string;
  request: unknown;
  response: unknown;
}

export interface Outbox {
  record(entry: Omit<OutboxEntry, 'id' | 'at'>): OutboxEntry;
  list(kind?: OutboxKind): OutboxEntry[];
  reset(): void;
}

/** What the runner knows about a running invocation, found from the token it hands the function. */
export interface Invocation {
  token: string;
  requestId: string;
  functionName: string;
  openid?: string;
  appid?: string;
  unionid?: string;
  /** SOURCE chain, e.g. `wx_client,scf`. */
  source: string;
}

export interface InvokeOptions {
  user?: { openid?: string; unionid?: string; appid?: string };
  source?: string;
  /** When invoked from another function: the caller, to extend the SOURCE chain. */
  caller?: Invocation;
  /** HTTP-triggered invocation (the 公众号 gateway): the event is the integration request. */
  http?: boolean;
}

/** The event of an HTTP-triggered function (云函数 HTTP 访问服务), as the integration layer sends it. */
export interface IntegrationRequest {
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  queryStringParameters: Record<string, string>;
  requestContext: { appId: string; envId: string; requestId: string; uin: string };
  body: string;
  isBase64Encoded: boolean;
}

export type InvokeResult = { result: unknown } | { error: { errCode: number; errMsg: string } };

export interface FunctionsService {
  names(): string[];
  /** Config of a function (config.json), or undefined when it does not exist. */
  config(name: string): FunctionConfig | undefined;
  invoke(name: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult>;
  invocation(token: string): Invocation | undefined;
  /** Resolves when no invocation or trigger is running or queued. */
  idle(): Promise<void>;
}

export interface FunctionConfig {
  timeout?: number;
  permissions?: { openapi?: string[] };
  triggers?: Array<{ name: string; type: string; config: string }>;
  [key: string]: unknown;
}

/** Small JSON state that must survive a restart (personas, grants, payments, ...). */
export interface StateStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** Every key starting with `prefix`, in key order: for state kept one record per key (outbox, grants). */
  entries<T>(prefix: string): Array<[string, T]>;
}

/** Handler of an SDK action (`database.getDocument`, `wx.openApi`, ...) sent to POST /admin. */
export type AdminAction = (params: Record<string, any>, request: AdminRequest) => Promise<unknown> | unknown;

export interface AdminRequest {
  action: string;
  /** The running invocation behind the call, when the caller is a function of the emulator. */
  invocation?: Invocation;
  headers: Record<string, string | string[] | undefined>;
  /** Multipart uploads (wx.openApi): the raw parts. */
  files?: Record<string, Buffer>;
  /**
   * Answers nothing until the caller gives up (an injected `timeout` fault), or a reset or stop
   * ends the wait by dropping the connection; resolves then.
   */
  hold(): Promise<void>;
  /**
   * Waits `ms` (an injected delay fault) while other requests are served. Resolves true when the
   * wait ran out, false when the caller is gone meanwhile (it gave up, or a reset or stop dropped
   * the connection): then nothing must be done or recorded for the call.
   */
  delay(ms: number): Promise<boolean>;
}

/** Files of the project that several modules check calls against, each re-read when it changes. */
export interface ProjectFiles {
  /** `cloud/subscribe-templates.json`: subscription templates and 公众号 templates. */
  templates: TemplateRegistry;
  /** The app's pages, or undefined when there is no app config or it cannot be read (page checks are then skipped). */
  pages(): AppPages | undefined;
}

export interface EmulatorContext {
  options: EmulatorOptions;
  /** Set once listening. */
  baseUrl: string;
  clock: Clock;
  stats: Stats;
  faults: Faults;
  personas: Personas;
  outbox: Outbox;
  state: StateStore;
  project: ProjectFiles;
  functions: FunctionsService;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void;
  /** Register an SDK action served on POST /admin. */
  action(name: string, handler: AdminAction): void;
  /** Register an HTTP route (control plane, storage, 公众号 fake, ...). */
  route(route: Route): void;
  /** Called by POST /_emu/reset, in registration order. */
  onReset(hook: (options: ResetOptions) => Promise<void> | void): void;
  /** Everything back to a fresh local cloud: data, clock, stats, faults, outbox, personas, module state. */
  reset(options?: ResetOptions): Promise<void>;
  /** Called when the emulator stops. */
  onClose(hook: () => Promise<void> | void): void;
}

export interface ResetOptions {
  /** Kill every function instance instead of reloading idle ones in place: the next calls are cold starts. */
  coldStarts?: boolean;
}

export interface EmulatorModule {
  name: string;
  setup(ctx: EmulatorContext): Promise<void> | void;
}
