import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EmulatorContext, FunctionConfig, FunctionsService, Invocation, InvokeOptions, InvokeResult, ResetOptions } from '../context';
import { baseEnv, type InvokeSpec, invocationContext, invocationEnv, invocationEvent } from './environment';
import { EXECUTE_FAIL, FUNCTION_NOT_FOUND, type InvokeFailure, TIMED_OUT } from './errors';
import { clampTimeout, FUNCTION_NAME, folderSignature, listFunctionsFolder, readConfig } from './folder';
import { type ColdStart, forkRunner, Instance, type InstanceOutcome, type Running } from './instance';
import { appendLine, type InvocationLog, keepLast, type LogLine } from './logs';

export type { InvokeSpec } from './environment';
export type { ColdStart } from './instance';
export type { InvocationLog, LogLine } from './logs';

export type RunOutcome =
  | { ok: true; json: string; requestId: string }
  | { ok: false; failure: InvokeFailure; requestId: string; status: InvocationLog['status'] };

interface FunctionEntry {
  name: string;
  dir: string;
  /** What the folder looked like when last read (mtimes and sizes). */
  diskSignature: string;
  /** Bumped when the folder changes or on reset: instances of an older generation are retired (a reset first brings idle ones forward by reloading them). */
  generation: number;
  config: FunctionConfig;
  instances: Set<Instance>;
  waiters: Array<() => void>;
  logs: InvocationLog[];
  lastColdStart?: ColdStart;
}

export interface FunctionsServiceOptions {
  maxInstances: number;
  idleMs: number;
  logLimit: number;
}

/**
 * The functions of `functionsDir`, each with a pool of warm instances (see instance.ts): an
 * invocation takes an idle instance of the current generation, or spawns one while the pool is
 * under `maxInstances`, or waits for one to be released.
 */
export class LocalFunctions implements FunctionsService {
  private readonly entries = new Map<string, FunctionEntry>();
  private readonly tokens = new Map<string, Invocation>();
  private readonly inflight = new Set<Promise<unknown>>();
  private closed = false;
  /** The folder state last logged, so a timer tick every second does not repeat it. */
  private reportedFolderState?: string;

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly settings: FunctionsServiceOptions,
  ) {}

  get functionsDir(): string {
    return this.ctx.options.functionsDir;
  }

  names(): string[] {
    return this.listFolder().names;
  }

  /** Why the functions folder cannot be listed, when it cannot (it exists but is not a readable directory). */
  folderProblem(): string | undefined {
    return this.listFolder().problem;
  }

  private listFolder() {
    const listing = listFunctionsFolder(this.functionsDir);
    const state = listing.problem ?? (listing.missing ? 'missing' : 'ok');
    if (state !== this.reportedFolderState) {
      this.reportedFolderState = state;
      if (listing.problem) this.ctx.log('error', listing.problem, { functionsDir: this.functionsDir });
      else if (listing.missing) this.ctx.log('info', `no functions folder at ${this.functionsDir} yet: no functions until it is built`);
    }
    return listing;
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

  /**
   * What a reset leaves of the functions: fresh module state, no logs, and no cold-start record (it
   * described an instance before the reset). Idle instances reload their function's modules in the
   * same process (see runner.cjs `reload`), so a suite that resets before every test does not pay a
   * cold start per function per test; busy ones are retired when they finish. `coldStarts`: idle ones are
   * killed instead, so the next calls start new processes (what a benchmark of cold starts needs).
   */
  async reset({ coldStarts = false }: ResetOptions = {}): Promise<void> {
    const reloads: Promise<void>[] = [];
    for (const entry of this.entries.values()) {
      entry.generation += 1;
      entry.logs = [];
      entry.lastColdStart = undefined;
      for (const instance of entry.instances) {
        if (instance.state !== 'idle') continue;
        if (coldStarts) {
          instance.kill();
          continue;
        }
        reloads.push(
          instance.reload(entry.generation).then((ok) => {
            if (ok) this.park(instance, entry);
          }),
        );
      }
    }
    await Promise.all(reloads);
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
      entry.config = readConfig(name, dir, (level, message) => this.ctx.log(level, message));
      if (previous) {
        this.ctx.log('info', `function ${name} changed on disk: new invocations use fresh instances`);
        for (const instance of entry.instances) if (instance.state === 'idle') instance.kill();
      }
    }
    return entry;
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
    let outcome: InstanceOutcome;
    let pid: number | undefined;
    try {
      const instance = await this.acquire(entry);
      pid = instance.pid;
      outcome = await this.execute(instance, entry, spec, invocation, timeoutS, lines);
    } catch (failure) {
      // The instance never got the request: a load error (syntax error, missing main, ...).
      outcome = { ok: false, failure: toFailure(failure), status: 'error' };
    } finally {
      this.tokens.delete(token);
    }
    keepLast(
      entry.logs,
      {
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
      },
      this.settings.logLimit,
    );
    if (!outcome.ok) this.print(spec.name, 'stderr', `invocation ${requestId} failed: ${outcome.failure.errMsg.split('\n')[0]}`);
    return outcome.ok ? { ok: true, json: outcome.json, requestId } : { ...outcome, requestId };
  }

  private async acquire(entry: FunctionEntry): Promise<Instance> {
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
        const instance = this.spawn(entry);
        await instance.ready;
        if (instance.state !== 'starting') continue;
        instance.state = 'busy';
        return instance;
      }
      await new Promise<void>((resolve) => entry.waiters.push(resolve));
    }
  }

  private spawn(entry: FunctionEntry): Instance {
    const url = new URL(this.ctx.baseUrl);
    const allowed = [`${url.hostname.replace(/^\[|\]$/g, '')}:${url.port}`];
    for (const extra of (process.env.DUET_FUNCTIONS_ALLOW_OUTBOUND ?? '').split(',')) if (extra.trim()) allowed.push(extra.trim());
    const child = forkRunner(entry.dir, allowed, this.ctx.clock.offsetMs(), baseEnv(this.ctx, entry.name));
    const instance = new Instance(
      entry.name,
      entry.generation,
      child,
      {
        output: (inst, line) => this.output(inst, line),
        gone: (inst) => {
          entry.instances.delete(inst);
          entry.waiters.shift()?.();
        },
        ready: (_inst, coldStart) => {
          entry.lastColdStart = coldStart;
        },
      },
      this.ctx.clock.now().toISOString(),
    );
    entry.instances.add(instance);
    return instance;
  }

  private execute(
    instance: Instance,
    entry: FunctionEntry,
    spec: InvokeSpec,
    invocation: Invocation,
    timeoutS: number,
    lines: LogLine[],
  ): Promise<InstanceOutcome> {
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
      try {
        instance.send({
          type: 'invoke',
          id: invocation.requestId,
          event: invocationEvent(spec, this.ctx.options.appid),
          context: invocationContext(this.ctx, spec, invocation, env, timeoutS),
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
    this.park(instance, entry);
  }

  /** An idle instance waits for work until its idle time runs out; a caller waiting for one gets it. */
  private park(instance: Instance, entry: FunctionEntry): void {
    if (instance.idleTimer) clearTimeout(instance.idleTimer);
    instance.idleTimer = setTimeout(() => instance.kill(), this.settings.idleMs);
    instance.idleTimer.unref();
    entry.waiters.shift()?.();
  }

  private output(instance: Instance, line: LogLine): void {
    appendLine(instance.current?.lines ?? instance.bootLines, line);
    this.print(instance.functionName, line.stream, line.text);
  }

  private print(name: string, stream: 'stdout' | 'stderr', text: string): void {
    if (this.ctx.options.quiet) return;
    const out = `[fn ${name}] ${text}\n`;
    if (stream === 'stderr') process.stderr.write(out);
    else process.stdout.write(out);
  }
}

function toFailure(error: unknown): InvokeFailure {
  if (error && typeof error === 'object' && 'errCode' in error && 'code' in error) return error as InvokeFailure;
  return EXECUTE_FAIL(String((error as Error)?.message ?? error));
}
