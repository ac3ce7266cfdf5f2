import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmulatorContext, FunctionConfig, FunctionsService, Invocation, InvokeOptions, InvokeResult } from '../context';
import { functionEnv } from '../context';
import { describeThrown, EXECUTE_FAIL, FUNCTION_NOT_FOUND, type InvokeFailure, TIMED_OUT } from './errors';

const HERE = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
const RUNNER = path.join(HERE, 'runner.cjs');

/** node_modules of the installation the local cloud runs from. */
const EMULATOR_NODE_MODULES = path.resolve(HERE, '../../../node_modules');

/** Production defaults: 3 s timeout (at most 60 s), 256 MB per instance. */
export const DEFAULT_TIMEOUT_S = 3;
export const MAX_TIMEOUT_S = 60;
const MEMORY_MB = 256;
/** A cold start (process + module load) is not part of the function's timeout, as in SCF; it has its own bound. */
const INIT_TIMEOUT_MS = 30_000;
const LOG_LINES_PER_INVOCATION = 500;
const LOG_TEXT_LIMIT = 8_000;
const FUNCTION_NAME = /^[A-Za-z][\w-]{0,59}$/;

export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface InvocationLog {
  requestId: string;
  functionName: string;
  source: string;
  openid?: string;
  trigger?: string;
  pid?: number;
  /** Emulator time. */
  startedAt: string;
  durationMs: number;
  status: 'success' | 'error' | 'timeout' | 'crash';
  error?: { errCode: number; errMsg: string };
  lines: LogLine[];
}

/** Everything one invocation needs; `invoke()` and the trigger/HTTP paths build it. */
export interface InvokeSpec {
  name: string;
  event: unknown;
  source: string;
  user?: { openid?: string; appid?: string; unionid?: string };
  /** Cross-account caller identity (WX_FROM_*); same-environment callFunction does not set it. */
  from?: { openid?: string; appid?: string; unionid?: string };
  /** Fired by a timer trigger: TRIGGER_SRC=timer and the trigger token. */
  timer?: { triggerName: string };
  /** Add `event.userInfo` as production does for calls from the mini-program. */
  addUserInfo?: boolean;
}

export type RunOutcome =
  | { ok: true; json: string; requestId: string }
  | { ok: false; failure: InvokeFailure; requestId: string; status: InvocationLog['status'] };

interface Running {
  id: string;
  lines: LogLine[];
  fatal?: { name?: string; message?: string; stack?: string };
  settle(outcome: { ok: true; json: string } | { ok: false; failure: InvokeFailure; status: InvocationLog['status'] }): void;
}

/** One instance's start: spawn → its module loaded (what SCF calls the init phase). */
export interface ColdStart {
  /** Emulator time the instance was spawned. */
  at: string;
  pid?: number;
  /** Spawn → `ready` as the local cloud saw it: Node start-up plus module load. */
  ms: number;
  /** `require()` of the function's index.js inside the instance. */
  loadMs: number;
}

interface FunctionEntry {
  name: string;
  dir: string;
  /** What the folder looked like when last read (mtimes and sizes). */
  diskSignature: string;
  /** Bumped when the folder changes or on reset: instances of an older generation are retired. */
  generation: number;
  config: FunctionConfig;
  instances: Set<Instance>;
  waiters: Array<() => void>;
  logs: InvocationLog[];
  lastColdStart?: ColdStart;
}

class Instance {
  /** `stopping`: killed, waiting for the process to exit; never handed out again. */
  state: 'starting' | 'idle' | 'busy' | 'stopping' | 'dead' = 'starting';
  current?: Running;
  bootLines: LogLine[] = [];
  idleTimer?: NodeJS.Timeout;
  readonly ready: Promise<void>;
  private resolveReady!: () => void;
  private rejectReady!: (failure: InvokeFailure) => void;
  exitInfo?: string;
  coldStart?: ColdStart;
  private readonly spawnedAt = performance.now();

  constructor(
    readonly entry: FunctionEntry,
    readonly generation: number,
    readonly child: ChildProcess,
    private readonly onOutput: (instance: Instance, line: LogLine) => void,
    private readonly onGone: (instance: Instance) => void,
    private readonly onReady: (instance: Instance, coldStart: ColdStart) => void,
    spawnedAtIso: string,
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Nobody may be waiting yet when a load error arrives; the rejection is still observed later.
    this.ready.catch(() => undefined);
    const initTimer = setTimeout(() => {
      this.rejectReady(EXECUTE_FAIL(`function ${entry.name} did not finish loading within ${INIT_TIMEOUT_MS / 1000} seconds`));
      this.kill();
    }, INIT_TIMEOUT_MS);
    initTimer.unref();
    child.on('message', (message: any) => {
      if (!message || typeof message !== 'object') return;
      switch (message.type) {
        case 'ready': {
          clearTimeout(initTimer);
          const loadMs = typeof message.loadMs === 'number' && Number.isFinite(message.loadMs) ? message.loadMs : Number.NaN;
          this.coldStart = { at: spawnedAtIso, pid: child.pid, ms: round2(performance.now() - this.spawnedAt), loadMs: round2(loadMs) };
          this.onReady(this, this.coldStart);
          this.resolveReady();
          break;
        }
        case 'loadError':
          clearTimeout(initTimer);
          this.rejectReady(EXECUTE_FAIL(describeThrown(message.error)));
          break;
        case 'log':
          for (const text of splitLines(String(message.text ?? ''))) {
            this.onOutput(this, { stream: message.stream === 'stderr' ? 'stderr' : 'stdout', text });
          }
          break;
        case 'result':
          if (this.current && message.id === this.current.id) {
            if (message.ok) this.current.settle({ ok: true, json: String(message.json) });
            else this.current.settle({ ok: false, failure: EXECUTE_FAIL(describeThrown(message.error)), status: 'error' });
          }
          break;
        case 'fatal':
          if (this.current) this.current.fatal = message.error;
          break;
      }
    });
    for (const [stream, readable] of [
      ['stdout', child.stdout],
      ['stderr', child.stderr],
    ] as const) {
      readable?.setEncoding('utf8');
      readable?.on('data', (chunk: string) => {
        for (const text of splitLines(chunk)) this.onOutput(this, { stream, text });
      });
    }
    child.on('exit', (code, signal) => {
      clearTimeout(initTimer);
      this.exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
      const wasStarting = this.state === 'starting';
      this.state = 'dead';
      if (this.idleTimer) clearTimeout(this.idleTimer);
      if (wasStarting) this.rejectReady(EXECUTE_FAIL(`function ${entry.name} exited while loading (${this.exitInfo})`));
      const running = this.current;
      if (running) {
        const detail = running.fatal ? describeThrown(running.fatal) : `Process exited before completing request (${this.exitInfo})`;
        running.settle({ ok: false, failure: EXECUTE_FAIL(detail), status: 'crash' });
      }
      this.onGone(this);
    });
    child.on('error', () => {
      // Spawn failures surface as 'exit' too; nothing else to do here.
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  kill(): void {
    if (this.state === 'dead') return;
    if (this.state !== 'starting') this.state = 'stopping';
    if (this.idleTimer) clearTimeout(this.idleTimer);
    try {
      this.child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function clampTimeout(value: unknown): number {
  const seconds = typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMEOUT_S;
  return Math.min(seconds, MAX_TIMEOUT_S);
}

export interface FunctionsServiceOptions {
  maxInstances: number;
  idleMs: number;
  logLimit: number;
}

export class LocalFunctions implements FunctionsService {
  private readonly entries = new Map<string, FunctionEntry>();
  private readonly tokens = new Map<string, Invocation>();
  private readonly inflight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly settings: FunctionsServiceOptions,
  ) {}

  get functionsDir(): string {
    return this.ctx.options.functionsDir;
  }

  names(): string[] {
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(this.functionsDir, { withFileTypes: true });
    } catch {
      return [];
    }
    return dirents
      .filter((d) => (d.isDirectory() || d.isSymbolicLink()) && FUNCTION_NAME.test(d.name))
      .filter((d) => fs.existsSync(path.join(this.functionsDir, d.name, 'index.js')))
      .map((d) => d.name)
      .sort();
  }

  config(name: string): FunctionConfig | undefined {
    return this.entry(name)?.config;
  }

  /** Pool sizes, for the control plane listing. */
  instances(name: string): { total: number; busy: number } {
    const entry = this.entries.get(name);
    if (!entry) return { total: 0, busy: 0 };
    const all = [...entry.instances].filter((i) => i.state !== 'dead' && i.state !== 'stopping');
    return { total: all.length, busy: all.filter((i) => i.state === 'busy').length };
  }

  /** The most recent instance start of a function, if one started since the local cloud did. */
  lastColdStart(name: string): ColdStart | undefined {
    return this.entries.get(name)?.lastColdStart;
  }

  logs(name: string): InvocationLog[] | undefined {
    const entry = this.entry(name);
    return entry ? [...entry.logs] : undefined;
  }

  invocation(token: string): Invocation | undefined {
    return this.tokens.get(token);
  }

  async invoke(name: string, event: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    const caller = options.caller;
    const user = caller ? { openid: caller.openid, appid: caller.appid, unionid: caller.unionid } : options.user;
    const source = caller
      ? `${caller.source},scf`
      : (options.source ?? (options.http ? 'wx_http' : user?.openid ? 'wx_client' : 'wx_devtools'));
    const outcome = await this.run({
      name,
      event,
      source,
      user: user && { ...user, appid: user.appid ?? (user.openid ? this.ctx.options.appid : undefined) },
      addUserInfo: !caller && !!user?.openid,
    });
    if (!outcome.ok) return { error: { errCode: outcome.failure.errCode, errMsg: outcome.failure.errMsg } };
    return { result: JSON.parse(outcome.json) };
  }

  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** Run one invocation end to end; never throws. */
  run(spec: InvokeSpec): Promise<RunOutcome> {
    const promise = this.runInner(spec);
    this.inflight.add(promise);
    promise.finally(() => this.inflight.delete(promise)).catch(() => undefined);
    return promise;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.entries.values()) {
      for (const waiter of entry.waiters.splice(0)) waiter();
      for (const instance of entry.instances) instance.kill();
    }
    await Promise.allSettled([...this.inflight]);
  }

  /** Fresh module state after a reset: idle instances go now, busy ones when they finish. */
  recycleAll(): void {
    for (const entry of this.entries.values()) {
      entry.generation += 1;
      for (const instance of entry.instances) if (instance.state === 'idle') instance.kill();
    }
  }

  clearLogs(): void {
    for (const entry of this.entries.values()) entry.logs = [];
  }

  /** The function's folder, re-read when anything in it changed since the last look. */
  entry(name: string): FunctionEntry | undefined {
    if (!FUNCTION_NAME.test(name)) return undefined;
    const dir = path.join(this.functionsDir, name);
    if (!fs.existsSync(path.join(dir, 'index.js'))) {
      const gone = this.entries.get(name);
      if (gone) {
        for (const instance of gone.instances) if (instance.state === 'idle') instance.kill();
        this.entries.delete(name);
      }
      return undefined;
    }
    const signature = folderSignature(dir);
    let entry = this.entries.get(name);
    if (!entry) {
      entry = { name, dir, diskSignature: '', generation: 0, config: {}, instances: new Set(), waiters: [], logs: [] };
      this.entries.set(name, entry);
    }
    if (entry.diskSignature !== signature) {
      const previous = entry.diskSignature;
      entry.diskSignature = signature;
      entry.generation += 1;
      entry.config = this.readConfig(name, dir);
      if (previous) {
        this.ctx.log('info', `function ${name} changed on disk: new invocations use fresh instances`);
        for (const instance of entry.instances) if (instance.state === 'idle') instance.kill();
      }
    }
    return entry;
  }

  private readConfig(name: string, dir: string): FunctionConfig {
    const file = path.join(dir, 'config.json');
    if (!fs.existsSync(file)) return {};
    try {
      const config = JSON.parse(fs.readFileSync(file, 'utf8')) as FunctionConfig;
      if (typeof config.timeout === 'number' && config.timeout > MAX_TIMEOUT_S) {
        this.ctx.log(
          'warn',
          `function ${name}: config.json timeout ${config.timeout}s is over the platform's ${MAX_TIMEOUT_S}s; using ${MAX_TIMEOUT_S}s`,
        );
      }
      return config && typeof config === 'object' ? config : {};
    } catch (error) {
      this.ctx.log('error', `function ${name}: config.json is not valid JSON (${(error as Error).message}); using defaults`);
      return {};
    }
  }

  private async runInner(spec: InvokeSpec): Promise<RunOutcome> {
    const requestId = randomUUID();
    const entry = this.entry(spec.name);
    if (!entry) {
      this.ctx.log('warn', `invoke of unknown function ${spec.name}`);
      return { ok: false, failure: FUNCTION_NOT_FOUND(spec.name), requestId, status: 'error' };
    }
    const token = randomBytes(24).toString('hex');
    const invocation: Invocation = {
      token,
      requestId,
      functionName: spec.name,
      openid: spec.user?.openid,
      appid: spec.user?.appid,
      unionid: spec.user?.unionid,
      source: spec.source,
    };
    this.tokens.set(token, invocation);
    const startedAt = this.ctx.clock.now().toISOString();
    const t0 = performance.now();
    const lines: LogLine[] = [];
    const timeoutS = clampTimeout(entry.config.timeout);
    let outcome: { ok: true; json: string } | { ok: false; failure: InvokeFailure; status: InvocationLog['status'] };
    let pid: number | undefined;
    try {
      const instance = await this.acquire(entry, spec.name);
      pid = instance.pid;
      outcome = await this.execute(instance, entry, spec, invocation, timeoutS, lines);
    } catch (failure) {
      // The instance never got the request: a load error (syntax error, missing main, ...).
      outcome = { ok: false, failure: toFailure(failure), status: 'error' };
    } finally {
      this.tokens.delete(token);
    }
    const log: InvocationLog = {
      requestId,
      functionName: spec.name,
      source: spec.source,
      openid: spec.user?.openid,
      trigger: spec.timer?.triggerName,
      pid,
      startedAt,
      durationMs: Math.round(performance.now() - t0),
      status: outcome.ok ? 'success' : outcome.status,
      error: outcome.ok ? undefined : { errCode: outcome.failure.errCode, errMsg: outcome.failure.errMsg },
      lines,
    };
    entry.logs.push(log);
    if (entry.logs.length > this.settings.logLimit) entry.logs.splice(0, entry.logs.length - this.settings.logLimit);
    if (!outcome.ok) this.print(spec.name, 'stderr', `invocation ${requestId} failed: ${outcome.failure.errMsg.split('\n')[0]}`);
    return outcome.ok ? { ok: true, json: outcome.json, requestId } : { ...outcome, requestId };
  }

  private async acquire(entry: FunctionEntry, name: string): Promise<Instance> {
    for (;;) {
      if (this.closed) throw EXECUTE_FAIL('the local cloud is stopping');
      const live = [...entry.instances].filter((i) => i.state !== 'dead' && i.state !== 'stopping');
      const idle = live.find((i) => i.state === 'idle' && i.generation === entry.generation);
      if (idle) {
        if (idle.idleTimer) clearTimeout(idle.idleTimer);
        idle.state = 'busy';
        return idle;
      }
      // Idle instances left now are of an older generation: retire them to make room.
      for (const old of live) if (old.state === 'idle') old.kill();
      const counted = live.filter((i) => i.state !== 'idle');
      if (counted.length < this.settings.maxInstances) {
        const instance = this.spawn(entry, name);
        await instance.ready;
        if (instance.state !== 'starting') continue;
        instance.state = 'busy';
        return instance;
      }
      await new Promise<void>((resolve) => entry.waiters.push(resolve));
    }
  }

  private spawn(entry: FunctionEntry, name: string): Instance {
    const url = new URL(this.ctx.baseUrl);
    const allowed = [`${url.hostname.replace(/^\[|\]$/g, '')}:${url.port}`];
    for (const extra of (process.env.DUET_FUNCTIONS_ALLOW_OUTBOUND ?? '').split(',')) if (extra.trim()) allowed.push(extra.trim());
    const child = fork(RUNNER, [entry.dir, JSON.stringify(allowed), String(this.ctx.clock.offsetMs())], {
      cwd: entry.dir,
      env: this.baseEnv(name) as NodeJS.ProcessEnv,
      execPath: process.execPath,
      execArgv: [`--max-old-space-size=${MEMORY_MB}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const instance = new Instance(
      entry,
      entry.generation,
      child,
      (inst, line) => this.output(inst, line),
      (inst) => {
        entry.instances.delete(inst);
        entry.waiters.shift()?.();
      },
      (_inst, coldStart) => {
        entry.lastColdStart = coldStart;
      },
      this.ctx.clock.now().toISOString(),
    );
    entry.instances.add(instance);
    return instance;
  }

  /** The environment SCF gives every instance; per-invocation variables come with each invoke. */
  private baseEnv(name: string): Record<string, string> {
    // Not the emulator's own environment: a function sees what the platform gives it.
    const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT'];
    const env: Record<string, string> = {};
    for (const key of keep) {
      const value = process.env[key];
      if (value !== undefined) env[key] = value;
    }
    return {
      ...env,
      // Functions resolve their own node_modules first, then the project's, then the local
      // cloud's own (which always has the pinned wx-server-sdk).
      NODE_PATH: [...new Set([path.join(this.ctx.options.projectRoot, 'node_modules'), EMULATOR_NODE_MODULES])].join(path.delimiter),
      // SCF instances run in UTC; timer cron is read in UTC+8 by the platform, not by the function.
      TZ: 'UTC',
      TENCENTCLOUD_RUNENV: 'SCF',
      TENCENTCLOUD_REGION: 'ap-shanghai',
      TENCENTCLOUD_SECRETID: 'duet-local-secret-id',
      TENCENTCLOUD_SECRETKEY: 'duet-local-secret-key',
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${this.ctx.baseUrl}/admin` }),
      TCB_ENV: this.ctx.options.envId,
      SCF_NAMESPACE: this.ctx.options.envId,
      // node-sdk reads TCB_ENV / TCB_SOURCE / TCB_SEQID only through this list.
      TCB_CONTEXT_KEYS: 'TCB_ENV,TCB_SEQID,TCB_SOURCE',
      SCF_FUNCTIONNAME: name,
      SCF_FUNCTIONVERSION: '$LATEST',
      ...functionEnv(this.ctx),
    };
  }

  private execute(
    instance: Instance,
    entry: FunctionEntry,
    spec: InvokeSpec,
    invocation: Invocation,
    timeoutS: number,
    lines: LogLine[],
  ): Promise<{ ok: true; json: string } | { ok: false; failure: InvokeFailure; status: InvocationLog['status'] }> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      lines.push(...instance.bootLines.splice(0));
      const running: Running = {
        id: invocation.requestId,
        lines,
        settle: (outcome) => {
          if (instance.current !== running) return;
          instance.current = undefined;
          if (timer) clearTimeout(timer);
          this.release(instance, entry);
          resolve(outcome);
        },
      };
      instance.current = running;
      timer = setTimeout(() => {
        // Kill first so the instance is never handed out again between settle and exit.
        instance.kill();
        running.settle({ ok: false, failure: TIMED_OUT(timeoutS), status: 'timeout' });
      }, timeoutS * 1000);
      const env = invocationEnv(spec, invocation);
      const context = {
        memory_limit_in_mb: MEMORY_MB,
        time_limit_in_ms: timeoutS * 1000,
        request_id: invocation.requestId,
        function_name: spec.name,
        function_version: '$LATEST',
        namespace: this.ctx.options.envId,
        tencentcloud_region: 'ap-shanghai',
        tencentcloud_appid: '1300000000',
        tencentcloud_uin: '100000000001',
        environ: Object.entries(env)
          .map(([key, value]) => `${key}=${value}`)
          .join(';'),
        environment: JSON.stringify(env),
      };
      let event = spec.event ?? {};
      if (spec.addUserInfo && spec.user?.openid && event && typeof event === 'object' && !Array.isArray(event)) {
        const userInfo: Record<string, string> = { appId: spec.user.appid ?? this.ctx.options.appid, openId: spec.user.openid };
        if (spec.user.unionid) userInfo.unionId = spec.user.unionid;
        event = { ...(event as Record<string, unknown>), userInfo };
      }
      try {
        instance.child.send({
          type: 'invoke',
          id: invocation.requestId,
          event,
          context,
          env,
          offsetMs: this.ctx.clock.offsetMs(),
          timeLimitMs: timeoutS * 1000,
        });
      } catch (error) {
        instance.kill();
        running.settle({
          ok: false,
          failure: EXECUTE_FAIL(`could not reach the function instance: ${(error as Error).message}`),
          status: 'crash',
        });
      }
    });
  }

  private release(instance: Instance, entry: FunctionEntry): void {
    if (instance.state !== 'busy') return;
    if (this.closed || instance.generation !== entry.generation) {
      instance.kill();
      return;
    }
    instance.state = 'idle';
    instance.idleTimer = setTimeout(() => instance.kill(), this.settings.idleMs);
    instance.idleTimer.unref();
    entry.waiters.shift()?.();
  }

  private output(instance: Instance, line: LogLine): void {
    const target = instance.current?.lines ?? instance.bootLines;
    if (target.length < LOG_LINES_PER_INVOCATION) {
      target.push({ stream: line.stream, text: line.text.length > LOG_TEXT_LIMIT ? `${line.text.slice(0, LOG_TEXT_LIMIT)}…` : line.text });
    }
    this.print(instance.entry.name, line.stream, line.text);
  }

  private print(name: string, stream: 'stdout' | 'stderr', text: string): void {
    if (this.ctx.options.quiet) return;
    const line = `[fn ${name}] ${text}\n`;
    if (stream === 'stderr') process.stderr.write(line);
    else process.stdout.write(line);
  }
}

function toFailure(error: unknown): InvokeFailure {
  if (error && typeof error === 'object' && 'errCode' in error && 'code' in error) return error as InvokeFailure;
  return EXECUTE_FAIL(String((error as Error)?.message ?? error));
}

/** Per-invocation variables, as SCF sets them for one request (getWXContext reads these). */
function invocationEnv(spec: InvokeSpec, invocation: Invocation): Record<string, string> {
  const env: Record<string, string> = {};
  const contextKeys: string[] = [];
  const put = (key: string, value: string | undefined) => {
    if (value === undefined || value === '') return;
    env[key] = value;
    contextKeys.push(key);
  };
  if (spec.source.startsWith('wx_client')) put('WX_CLIENTIP', '127.0.0.1');
  put('WX_OPENID', spec.user?.openid);
  put('WX_APPID', spec.user?.appid);
  put('WX_UNIONID', spec.user?.unionid);
  put('WX_FROM_OPENID', spec.from?.openid);
  put('WX_FROM_APPID', spec.from?.appid);
  put('WX_FROM_UNIONID', spec.from?.unionid);
  // node-sdk finds the token only through WX_CONTEXT_KEYS; getWXContext hides it.
  put('WX_API_TOKEN', invocation.token);
  env.WX_CONTEXT_KEYS = contextKeys.join(',');
  if (spec.timer) {
    env.TRIGGER_SRC = 'timer';
    env.WX_TRIGGER_API_TOKEN_V0 = invocation.token;
  }
  env.TCB_SOURCE = spec.source;
  env.TCB_SEQID = invocation.requestId;
  return env;
}

/** Changes when any file of the function (outside node_modules) is rewritten. */
function folderSignature(dir: string): string {
  const parts: string[] = [];
  const walk = (current: string, depth: number) => {
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of dirents) {
      if (parts.length > 500) return;
      if (d.name === 'node_modules' || d.name.startsWith('.')) continue;
      const full = path.join(current, d.name);
      if (d.isDirectory()) {
        if (depth < 4) walk(full, depth + 1);
        continue;
      }
      try {
        const stat = fs.statSync(full);
        parts.push(`${path.relative(dir, full)}:${stat.mtimeMs}:${stat.size}`);
      } catch {
        // Removed while we looked.
      }
    }
  };
  walk(dir, 0);
  return parts.sort().join('|');
}
