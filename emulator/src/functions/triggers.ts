import type { EmulatorContext } from '../context';
import { CronError, type CronSchedule, nextCronTime, parseCron } from './cron';
import type { LocalFunctions, RunOutcome } from './service';

export interface TimerTrigger {
  functionName: string;
  name: string;
  config: string;
  schedule?: CronSchedule;
  /** Why the trigger cannot fire by itself (bad cron). */
  problem?: string;
}

/** The timer event production passes to `main`. `Time` is the scheduled instant, UTC, no milliseconds. */
export function timerEvent(triggerName: string, at: Date): { Type: 'Timer'; TriggerName: string; Time: string; Message: string } {
  return { Type: 'Timer', TriggerName: triggerName, Time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'), Message: '' };
}

/**
 * Timer triggers from each function's config.json. Production allows one trigger per function;
 * extra ones are reported and ignored so that what runs here is what can be deployed.
 */
export class TimerTriggers {
  /** Emulator time up to which each trigger has been considered. */
  private readonly checked = new Map<string, number>();
  private readonly warned = new Set<string>();
  private interval?: NodeJS.Timeout;

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly functions: LocalFunctions,
  ) {}

  list(): TimerTrigger[] {
    const triggers: TimerTrigger[] = [];
    for (const functionName of this.functions.names()) {
      const config = this.functions.config(functionName);
      const timers = (Array.isArray(config?.triggers) ? config.triggers : []).filter((t) => t && t.type === 'timer');
      if (timers.length === 0) continue;
      if (timers.length > 1)
        this.warnOnce(
          `${functionName}:many`,
          `function ${functionName} declares ${timers.length} timer triggers; the platform allows one, only "${timers[0].name}" runs`,
        );
      const first = timers[0];
      const trigger: TimerTrigger = { functionName, name: String(first.name), config: String(first.config) };
      try {
        trigger.schedule = parseCron(trigger.config);
      } catch (error) {
        trigger.problem = error instanceof CronError ? error.message : String(error);
        this.warnOnce(`${functionName}:${trigger.config}`, `function ${functionName}: ${trigger.problem}`);
      }
      triggers.push(trigger);
    }
    return triggers;
  }

  find(functionName: string): TimerTrigger | undefined {
    return this.list().find((t) => t.functionName === functionName);
  }

  /** Next fire time of each trigger on the emulator clock. */
  describe(): Array<{ function: string; name: string; config: string; next?: string; problem?: string }> {
    const now = this.ctx.clock.nowMs();
    return this.list().map((t) => {
      const next = t.schedule ? nextCronTime(t.schedule, now) : undefined;
      return {
        function: t.functionName,
        name: t.name,
        config: t.config,
        next: next === undefined ? undefined : new Date(next).toISOString(),
        problem: t.problem,
      };
    });
  }

  fire(trigger: TimerTrigger, at: Date): Promise<RunOutcome> {
    return this.functions.run({
      name: trigger.functionName,
      event: timerEvent(trigger.name, at),
      source: 'wx_trigger',
      timer: { triggerName: trigger.name },
    });
  }

  start(): void {
    this.interval = setInterval(() => this.tick(), 1000);
    this.interval.unref();
    // A clock jump fires what became due right away, so a test that advances the clock can
    // wait on functions.idle() without racing the interval.
    this.ctx.clock.onChange(() => this.tick());
    this.tick();
  }

  stop(): void {
    if (this.interval) clearInterval(this.interval);
    this.interval = undefined;
  }

  /**
   * After a reset the clock is real time again: nothing that was skipped over is due. Every
   * trigger is watched from now on at once, so that a clock jump right after a reset fires what
   * it passes whether or not the interval ticked in between.
   */
  rebase(): void {
    this.checked.clear();
    this.tick();
  }

  tick(): void {
    if (!this.interval) return;
    const now = this.ctx.clock.nowMs();
    for (const trigger of this.list()) {
      if (!trigger.schedule) continue;
      const key = `${trigger.functionName}\u0000${trigger.name}\u0000${trigger.config}`;
      const since = this.checked.get(key);
      this.checked.set(key, now);
      // New trigger, or the clock moved back: start watching from now.
      if (since === undefined || now < since) continue;
      const due = nextCronTime(trigger.schedule, since);
      if (due === undefined || due > now) continue;
      // However far the clock jumped, a trigger fires once for the interval.
      this.fire(trigger, new Date(due)).then((outcome) => {
        if (!outcome.ok)
          this.ctx.log('warn', `timer ${trigger.functionName}/${trigger.name} failed`, { errMsg: outcome.failure.errMsg.split('\n')[0] });
      });
    }
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.ctx.log('warn', message);
  }
}
