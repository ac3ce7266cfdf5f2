import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MEMORY_MB } from './environment';
import { describeThrown, EXECUTE_FAIL, type InvokeFailure } from './errors';
import { type InvocationLog, type LogLine, splitLines } from './logs';

const HERE = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
const RUNNER = path.join(HERE, 'runner.cjs');

/** A cold start (process + module load) is not part of the function's timeout, as in SCF; it has its own bound. */
const INIT_TIMEOUT_MS = 30_000;

/**
 * The IPC protocol with `runner.cjs` (JSON serialization). Parent → instance: one `invoke` at a
 * time. Instance → parent: `ready` or `loadError` once, then `log` lines and one `result` per
 * invocation; `fatal` just before it dies of an uncaught error.
 */
export interface InvokeMessage {
  type: 'invoke';
  id: string;
  event: unknown;
  context: Record<string, unknown>;
  env: Record<string, string>;
  /** The emulator clock's offset now: the instance's `Date` follows it for this invocation. */
  offsetMs: number;
  timeLimitMs: number;
}

type SerializedError = { name?: string; message?: string; stack?: string };

type RunnerMessage =
  | { type: 'ready'; loadMs?: number }
  | { type: 'loadError'; error: SerializedError }
  | { type: 'log'; id?: string; stream?: string; text?: string }
  | { type: 'result'; id: string; ok: true; json: string }
  | { type: 'result'; id: string; ok: false; error: SerializedError }
  | { type: 'fatal'; id?: string; error: SerializedError };

/** Process groups are POSIX; on Windows `detached` would open a console instead. */
const OWN_GROUP = process.platform !== 'win32';

/** SIGKILL to the instance's process group: the runner and every process the function started in it. */
function killGroup(pid: number | undefined): void {
  if (!OWN_GROUP || pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is empty already.
  }
}

/**
 * Starts `runner.cjs` for the function in `dir` with the platform's environment. `allowed`: the
 * only host:port endpoints it may connect to; `offsetMs`: the emulator clock's offset, so that
 * module top-level code already sees the emulator's time.
 */
export function forkRunner(dir: string, allowed: string[], offsetMs: number, env: Record<string, string>): ChildProcess {
  return fork(RUNNER, [dir, JSON.stringify(allowed), String(offsetMs), OWN_GROUP ? 'group' : ''], {
    cwd: dir,
    env: env as NodeJS.ProcessEnv,
    execPath: process.execPath,
    // V8's heap limit stands in for the container's memory.
    execArgv: [`--max-old-space-size=${MEMORY_MB}`],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
    // Its own process group (it leads it): whatever the function spawns joins the group, and
    // killing the group ends them together, as an SCF container takes its processes with it.
    detached: OWN_GROUP,
  });
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

export type InstanceOutcome = { ok: true; json: string } | { ok: false; failure: InvokeFailure; status: InvocationLog['status'] };

/** The invocation an instance is running. */
export interface Running {
  id: string;
  lines: LogLine[];
  /** The uncaught error the instance reported before it died. */
  fatal?: SerializedError;
  settle(outcome: InstanceOutcome): void;
}

/** What the pool hears from its instances. */
export interface InstanceEvents {
  output(instance: Instance, line: LogLine): void;
  /** The process is gone (exited, killed, crashed). */
  gone(instance: Instance): void;
  ready(instance: Instance, coldStart: ColdStart): void;
}

/** One warm instance: a child process running `runner.cjs`, one invocation at a time. */
export class Instance {
  /** `stopping`: killed, waiting for the process to exit; never handed out again. */
  state: 'starting' | 'reloading' | 'idle' | 'busy' | 'stopping' | 'dead' = 'starting';
  current?: Running;
  /** Output printed while loading (module top level): shown with the first invocation. */
  bootLines: LogLine[] = [];
  idleTimer?: NodeJS.Timeout;
  readonly ready: Promise<void>;
  private resolveReady!: () => void;
  private rejectReady!: (failure: InvokeFailure) => void;
  exitInfo?: string;
  coldStart?: ColdStart;
  private readonly spawnedAt = performance.now();
  /** Set while a reload is under way: told whether the instance came back. */
  private reloaded?: (ok: boolean) => void;

  constructor(
    readonly functionName: string,
    /** The pool's generation when spawned or last reloaded: an older one is retired instead of reused. */
    public generation: number,
    readonly child: ChildProcess,
    private readonly events: InstanceEvents,
    spawnedAtIso: string,
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Nobody may be waiting yet when a load error arrives; the rejection is still observed later.
    this.ready.catch(() => undefined);
    const initTimer = setTimeout(() => {
      this.rejectReady(EXECUTE_FAIL(`function ${functionName} did not finish loading within ${INIT_TIMEOUT_MS / 1000} seconds`));
      this.kill();
    }, INIT_TIMEOUT_MS);
    initTimer.unref();
    child.on('message', (message: RunnerMessage) => {
      if (!message || typeof message !== 'object') return;
      switch (message.type) {
        case 'ready': {
          if (this.reloaded) {
            this.state = 'idle';
            this.reloaded(true);
            break;
          }
          clearTimeout(initTimer);
          const loadMs = typeof message.loadMs === 'number' && Number.isFinite(message.loadMs) ? message.loadMs : Number.NaN;
          this.coldStart = { at: spawnedAtIso, pid: child.pid, ms: round2(performance.now() - this.spawnedAt), loadMs: round2(loadMs) };
          this.events.ready(this, this.coldStart);
          this.resolveReady();
          break;
        }
        case 'loadError':
          clearTimeout(initTimer);
          this.rejectReady(EXECUTE_FAIL(describeThrown(message.error)));
          break;
        case 'log':
          for (const text of splitLines(String(message.text ?? ''))) {
            this.events.output(this, { stream: message.stream === 'stderr' ? 'stderr' : 'stdout', text });
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
        for (const text of splitLines(chunk)) this.events.output(this, { stream, text });
      });
    }
    child.on('exit', (code, signal) => {
      clearTimeout(initTimer);
      // The runner died by itself (crash, process.exit, OOM): what it started goes too.
      killGroup(child.pid);
      this.exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
      const wasStarting = this.state === 'starting';
      this.state = 'dead';
      this.reloaded?.(false);
      if (this.idleTimer) clearTimeout(this.idleTimer);
      if (wasStarting) this.rejectReady(EXECUTE_FAIL(`function ${functionName} exited while loading (${this.exitInfo})`));
      const running = this.current;
      if (running) {
        const detail = running.fatal ? describeThrown(running.fatal) : `Process exited before completing request (${this.exitInfo})`;
        running.settle({ ok: false, failure: EXECUTE_FAIL(detail), status: 'crash' });
      }
      this.events.gone(this);
    });
    child.on('error', () => {
      // Spawn failures surface as 'exit' too; nothing else to do here.
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Hands the instance its next request; throws when the channel is already closed. */
  send(message: InvokeMessage): void {
    this.child.send(message);
  }

  /**
   * A reset's fresh module state in the same process (runner.cjs `reload`): the function's modules
   * loaded again, its timers cleared. Resolves false when the instance was not idle or died instead.
   */
  reload(generation: number): Promise<boolean> {
    if (this.state !== 'idle') return Promise.resolve(false);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.state = 'reloading';
    this.generation = generation;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => this.kill(), INIT_TIMEOUT_MS);
      timer.unref();
      this.reloaded = (ok) => {
        clearTimeout(timer);
        this.reloaded = undefined;
        resolve(ok);
      };
      try {
        this.child.send({ type: 'reload' });
      } catch {
        this.kill();
      }
    });
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
    killGroup(this.child.pid);
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
