import * as z from 'zod/mini';
import { defineContract } from '../contract';
import { SEGMENTS } from '../funnel/segments';
import { hostedJobsInput, JobRun } from './scheduler';

const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const Time = z.iso.datetime({ offset: true });
const ClockTime = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:mm (00:00-23:59)'));
const Count = z.int().check(z.gte(0));
const Text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const DispatchReport = z.object({
  claimed: Count,
  sent: Count,
  fellBack: Count,
  skipped: Count,
  failed: Count,
  retried: Count,
  deferred: Count,
  released: Count,
  more: z.boolean(),
});

const NoticeSettingsView = z.object({
  quietHours: z.nullable(z.object({ start: z.string(), end: z.string() })),
  maxAttempts: z.int(),
  concurrency: z.int(),
});

/**
 * The `noticeAdmin` function: the dispatcher (the scheduler has it run every minute), broadcasts,
 * the report and the settings. `npm run admin -- <job>` finds it by the job's name.
 */
export const noticeAdminContract = defineContract('noticeAdmin', {
  /** One dispatcher run by hand: sends what is due now, within `budgetMs`. */
  dispatchNotices: {
    input: z.strictObject({
      budgetMs: z.optional(z.int().check(z.gte(1000), z.lte(45_000))),
      concurrency: z.optional(z.int().check(z.gte(1), z.lte(50))),
    }),
    output: DispatchReport,
  },
  /** A campaign message to a list of members, to every member holding a grant for a template, or to a segment. */
  broadcast: {
    input: z.strictObject({
      /** Names the broadcast: each member gets it once, however often it runs. */
      broadcastId: Id,
      /** The campaign's name and one line about it (each shown up to 20 characters in the message). */
      title: Text(60),
      content: Text(200),
      /** A page of the app (query allowed); the home page by default. */
      page: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
      memberIds: z.optional(z.array(Id).check(z.minLength(1), z.maxLength(10_000))),
      /** Every member holding a grant for this subscription template. */
      template: z.optional(Id),
      /** Every member of this segment (funnelAdmin.segments) when the broadcast starts: exactly one of memberIds, template, segment. */
      segment: z.optional(z.enum(SEGMENTS)),
      dryRun: z.optional(z.boolean()),
      dueAt: z.optional(Time),
      expiresAt: z.optional(Time),
    }),
    output: z.object({
      broadcastId: z.string(),
      dryRun: z.boolean(),
      total: Count,
      done: Count,
      remaining: Count,
      written: Count,
      already: Count,
      unknownMembers: z.array(z.string()),
      unknownCount: Count,
      /** Who gets it through which channel (a dry run's answer; a real run's forecast as written). */
      byChannel: z.object({ subscribe: Count, mp: Count, none: Count }),
      finishedAt: z.nullable(z.string()),
    }),
  },
  /** What became of the notices (written in [from, to)): per kind and channel, and the latest failures. */
  noticeReport: {
    input: z.strictObject({ from: z.optional(Time), to: z.optional(Time) }),
    output: z.object({
      rows: z.array(
        z.object({
          kind: z.string(),
          channel: z.string(),
          sent: Count,
          fellBack: Count,
          pending: Count,
          skipped: z.record(z.string(), Count),
          failed: z.record(z.string(), Count),
        }),
      ),
      totals: z.object({ sent: Count, fellBack: Count, pending: Count, skipped: Count, failed: Count }),
      failures: z.array(
        z.object({
          noticeId: z.string(),
          kind: z.string(),
          state: z.string(),
          channel: z.nullable(z.string()),
          reason: z.nullable(z.string()),
          errcode: z.nullable(z.int()),
          meaning: z.nullable(z.string()),
          attempts: z.int(),
          at: z.nullable(z.string()),
          nextAt: z.nullable(z.string()),
        }),
      ),
    }),
  },
  /** Quiet hours for promotional notices (Asia/Shanghai; null for none), attempts per notice, sends at once. */
  noticeSettings: {
    input: z.strictObject({
      quietHours: z.optional(z.nullable(z.strictObject({ start: ClockTime, end: ClockTime }))),
      maxAttempts: z.optional(z.int().check(z.gte(1), z.lte(20))),
      concurrency: z.optional(z.int().check(z.gte(1), z.lte(50))),
    }),
    output: z.object({ settings: NoticeSettingsView }),
  },
  /** The scheduler's notice jobs (the scheduler calls this every minute). */
  runNoticeJobs: { input: hostedJobsInput('noticeAdmin'), output: z.object({ jobs: z.array(JobRun) }) },
});
export type NoticeAdminContract = typeof noticeAdminContract;
