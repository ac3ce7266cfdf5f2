import * as z from 'zod/mini';
import { DIMENSIONS, MODELS } from '../funnel/attribution';
import { isDay } from '../funnel/report';
import { SEGMENTS } from '../funnel/segments';
import { defineContract } from '../contract';
import { hostedJobsInput, JobRun } from './scheduler';

/** A calendar day in Asia/Shanghai: `2026-12-01`. */
export const Day = z.string().check(z.refine(isDay, 'a day is YYYY-MM-DD (a real date, Asia/Shanghai)'));
const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^\s$][^\s]*$/, 'an id has no spaces and does not start with $'));
const Count = z.int().check(z.gte(0));
const Fen = z.int();

const Figures = z.object({
  visitors: Count,
  scans: Count,
  newMembers: Count,
  followsGained: Count,
  followsLost: Count,
  claims: Count,
  orders: Count,
  payers: Count,
  paidFen: Fen,
  refundedFen: Fen,
  netFen: Fen,
});

const FunnelRowView = z.object({
  key: z.string(),
  /** What the operator reads: the article's title, the campaign's name, the channel, the sharer's nickname. */
  label: z.string(),
  ...Figures.shape,
  previous: Figures,
  change: z.record(z.string(), z.string()),
});

/**
 * The `funnelAdmin` function: reports over the nightly snapshots (`funnel`, `articleReport`),
 * segments, and the funnel's scheduler jobs (the nightly snapshot, the 公众号 datacube pull).
 */
export const funnelAdminContract = defineContract('funnelAdmin', {
  /** The funnel per article, campaign, channel or sharer over [from, to] (days, both included), beside the previous period. */
  funnel: {
    input: z.strictObject({
      from: Day,
      to: Day,
      by: z.enum(DIMENSIONS),
      model: z.optional(z.enum(MODELS)),
    }),
    output: z.object({
      model: z.enum(MODELS),
      /** e.g. 归因：末次非直接触达（7 天窗口）. */
      modelStatement: z.string(),
      windowDays: z.int(),
      by: z.enum(DIMENSIONS),
      period: z.object({ from: z.string(), to: z.string() }),
      previous: z.object({ from: z.string(), to: z.string() }),
      rows: z.array(FunnelRowView),
      totals: FunnelRowView,
      daily: z.array(z.object({ date: z.string(), netFenByKey: z.record(z.string(), Fen) })),
      /** Days of the period with no snapshot yet. */
      missingDays: z.array(z.string()),
      /** Database requests the report made. */
      requests: Count,
    }),
  },
  /** One article's steps, from the 公众号's read count to yuan, with the drop-off between steps. */
  articleReport: {
    input: z.strictObject({ article: Id, from: Day, to: Day, model: z.optional(z.enum(MODELS)) }),
    output: z.object({
      article: z.string(),
      title: z.string(),
      modelStatement: z.string(),
      period: z.object({ from: z.string(), to: z.string() }),
      steps: z.array(
        z.object({
          step: z.string(),
          label: z.string(),
          value: Fen,
          /** value ÷ the step before, e.g. `12.5%`; `—` for the first step or a zero base. */
          fromPrevious: z.string(),
        }),
      ),
      /** Days of the 公众号's read numbers not pulled yet. */
      readsMissingDays: z.array(z.string()),
      missingDays: z.array(z.string()),
    }),
  },
  /** How many members are in each segment now. */
  segments: {
    input: z.strictObject({}),
    output: z.object({
      at: z.string(),
      segments: z.array(z.object({ segment: z.enum(SEGMENTS), label: z.string(), members: Count })),
      /** The thresholds the RFM cells were cut at (averages over members who paid in 365 days). */
      rfm: z.object({ payers: Count, recencyDays: z.number(), orders: z.number(), fen: z.number() }),
    }),
  },
  /** The members of one segment, a page at a time (`cursor` from the previous page). */
  segmentMembers: {
    input: z.strictObject({
      segment: z.enum(SEGMENTS),
      cursor: z.optional(z.string().check(z.maxLength(200))),
      limit: z.optional(z.int().check(z.gte(1), z.lte(1000))),
    }),
    output: z.object({
      segment: z.enum(SEGMENTS),
      members: z.array(
        z.object({
          memberId: z.string(),
          nickname: z.string(),
          joinedAt: z.string(),
          lastActiveDay: z.nullable(z.string()),
          orders: Count,
          paidFen: Fen,
          lastPaidAt: z.nullable(z.string()),
        }),
      ),
      cursor: z.nullable(z.string()),
    }),
  },
  /**
   * The nightly snapshot by hand: [from, to] recomputed (default: what tonight's run does — yesterday
   * and the days before it, `recomputeDays` in all). Resumes where a run stopped; answers `more` while days are left.
   */
  snapshotFunnel: {
    input: z.strictObject({
      from: z.optional(Day),
      to: z.optional(Day),
      budgetMs: z.optional(z.int().check(z.gte(1000), z.lte(50_000))),
    }),
    output: z.object({
      days: z.array(z.string()),
      done: z.array(z.string()),
      more: z.boolean(),
      events: Count,
      requests: Count,
      resumed: z.boolean(),
    }),
  },
  /** The 公众号's own numbers (user summary, article reads) for the days not stored yet, or [from, to] again. */
  pullDatacube: {
    input: z.strictObject({ from: z.optional(Day), to: z.optional(Day) }),
    output: z.object({
      days: z.array(z.string()),
      pulled: z.record(z.string(), Count),
      failed: z.array(z.object({ api: z.string(), day: z.string(), errcode: z.nullable(z.int()), reason: z.string() })),
    }),
  },
  /** The scheduler's funnel jobs (the scheduler calls this every minute). */
  runFunnelJobs: { input: hostedJobsInput('funnelAdmin'), output: z.object({ jobs: z.array(JobRun) }) },
});
export type FunnelAdminContract = typeof funnelAdminContract;
