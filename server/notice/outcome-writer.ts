import type { Credit } from '../../core/funnel/events';
import { insertEventsOnce } from '../member/event-repository';
import { finishNotices } from './repository';

/** An outcome as the dispatcher decided it; the writer adds when it was written. */
export interface NoticeOutcome {
  state: 'sent' | 'fallback' | 'skipped' | 'failed';
  channel: 'subscribe' | 'mp' | null;
  reason: string | null;
  errcode: number | null;
}

/** A delivered notice's funnel event (`notice_sent:<noticeId>`); the writer adds when it was written. */
export type NoticeEvent = Credit & { _id: string; kind: 'notice_sent'; memberId: string; [field: string]: unknown };

/** Outcomes waiting at most this long, or this many, before they are written. */
const MAX_WAIT_MS = 100;
const MAX_BATCH = 50;

/**
 * The outcomes of one dispatcher run, written in groups: notices with the same outcome share one
 * conditional update (still on the run's lease), their funnel events one insert. A send's lane goes
 * on at once; the database sees two requests per group instead of two per notice. `close` writes
 * what is left and throws the first write that failed, so a run never ends with an outcome unwritten.
 */
export class OutcomeWriter {
  private pending: Array<{ id: string; outcome: NoticeOutcome; event: NoticeEvent | null }> = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly writes = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly holder: string,
    private readonly clock: () => Date,
  ) {}

  add(id: string, outcome: NoticeOutcome, event: NoticeEvent | null): void {
    this.pending.push({ id, outcome, event });
    if (this.pending.length >= MAX_BATCH) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), MAX_WAIT_MS);
  }

  /** A write of its own (a retry's next due time differs per notice), awaited with the rest at `close`. */
  track(write: Promise<unknown>): void {
    this.keep(write.then(() => undefined));
  }

  async close(): Promise<void> {
    this.flush();
    await Promise.allSettled([...this.writes]);
    if (this.failure) throw this.failure.error;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const at = this.clock();
    const groups = new Map<string, { outcome: NoticeOutcome; ids: string[] }>();
    for (const { id, outcome } of batch) {
      const key = JSON.stringify(outcome);
      const group = groups.get(key) ?? { outcome, ids: [] };
      group.ids.push(id);
      groups.set(key, group);
    }
    const delivered = (outcome: NoticeOutcome) => outcome.state === 'sent' || outcome.state === 'fallback';
    this.keep(
      Promise.all([
        ...[...groups.values()].map(({ outcome, ids }) =>
          finishNotices(ids, this.holder, { ...outcome, sentAt: delivered(outcome) ? at : null, finishedAt: at, lastTriedAt: at }),
        ),
        insertEventsOnce(batch.flatMap(({ event }) => (event ? [{ ...event, at }] : []))),
      ]).then(() => undefined),
    );
  }

  private keep(write: Promise<void>): void {
    const tracked = write.then(
      () => {
        this.writes.delete(tracked);
      },
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    this.writes.add(tracked);
  }
}
