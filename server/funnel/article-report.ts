import type { OutputOf, ParsedInputOf } from '../../core/contract';
import type { FunnelAdminContract } from '../../core/contracts/funnel-admin';
import { DuetError } from '../../core/errors';
import { articleSteps } from '../../core/funnel/article-report';
import { DEFAULT_WINDOW_DAYS, modelStatement } from '../../core/funnel/attribution';
import { isMsgid } from '../../core/funnel/datacube';
import { daysBetween } from '../../core/funnel/report';
import { addMetrics, METRICS, type Metrics, zeroMetrics } from '../../core/funnel/tally';
import { findArticleLink, findArticleReads, findArticleSnapshots } from './datacube-repository';

/** The longest period of one article report (a year, leap day included). */
export const MAX_REPORT_DAYS = 366;

/**
 * `articleReport`: one article over [from, to] — the 公众号's readers of its msgids (`mp_datacube`,
 * `getarticleread`, summed per day), then scans, new members, orders, payers and net fen from the
 * nightly `funnel_daily` tables (`by: 'article'`, key = the article id, the model asked, default
 * last_non_direct), each step ÷ the one before (`core/funnel/article-report.ts`).
 * Three database requests whatever the period: the article and the snapshots at once, then the reads.
 */
export async function reportArticle(
  input: ParsedInputOf<FunnelAdminContract, 'articleReport'>,
): Promise<OutputOf<FunnelAdminContract, 'articleReport'>> {
  const { article: id, from, to } = input;
  const model = input.model ?? 'last_non_direct';
  if (from > to) throw new DuetError('INVALID_ARGUMENT', `from ${from} is after to ${to}`);
  const days = daysBetween(from, to);
  if (days.length > MAX_REPORT_DAYS)
    throw new DuetError('INVALID_ARGUMENT', `at most ${MAX_REPORT_DAYS} days per report, got ${days.length}`);

  const [article, snapshots] = await Promise.all([findArticleLink(id), findArticleSnapshots(days, model, id)]);
  if (!article) throw new DuetError('NOT_FOUND', `no article ${id}`);
  const msgids = Array.isArray(article.mpMsgids) ? [...new Set(article.mpMsgids.filter(isMsgid))] : [];
  const reads = await findArticleReads(from, to, msgids);

  const metrics: Metrics = zeroMetrics();
  for (const { row } of snapshots) {
    if (!row) continue;
    addMetrics(metrics, Object.fromEntries(METRICS.map((m) => [m, Number(row[m] ?? 0)])) as Metrics);
  }
  const readers = reads.reduce((sum, day) => sum + msgids.reduce((n, msgid) => n + Number(day.reads[msgid] ?? 0), 0), 0);
  const snapshotDays = new Set(snapshots.map((s) => s.day));
  const readDays = new Set(reads.map((r) => r.day));
  return {
    article: id,
    title: article.title ?? '',
    modelStatement: modelStatement(model, snapshots.find((s) => s.windowDays)?.windowDays ?? DEFAULT_WINDOW_DAYS),
    period: { from, to },
    steps: articleSteps(msgids.length > 0 ? readers : null, metrics),
    readsMissingDays: days.filter((day) => !readDays.has(day)),
    missingDays: days.filter((day) => !snapshotDays.has(day)),
  };
}
