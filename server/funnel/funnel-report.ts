import type { OutputOf, ParsedInputOf } from '../../core/contract';
import type { FunnelAdminContract } from '../../core/contracts/funnel-admin';
import { DEFAULT_WINDOW_DAYS, DIRECT_KEY, type Dimension, type Model, modelStatement, NONE_KEY } from '../../core/funnel/attribution';
import { buildFunnelTable, daysBetween, previousPeriod } from '../../core/funnel/report';
import { assert } from '../../core/errors';
import { COLLECTIONS } from '../collections';
import { findByIds, MAX_PER_QUERY } from '../documents';
import { readSnapshots } from './snapshot-repository';

/** A report's period at most: with the previous period, one query of at most 732 day documents. */
const MAX_PERIOD_DAYS = 366;

type Output = OutputOf<FunnelAdminContract, 'funnel'>;

/**
 * The funnel over a period from the nightly snapshots only: one query for the period and the one
 * before it (the day documents of one model and dimension), one for the rows' names. Never reads
 * events, so it costs the same at a thousand events or a billion.
 */
export async function reportFunnel(input: ParsedInputOf<FunnelAdminContract, 'funnel'>): Promise<Output> {
  const model: Model = input.model ?? 'last_non_direct';
  const period = { from: input.from, to: input.to };
  assert(period.from <= period.to, 'INVALID_ARGUMENT', `from ${period.from} is after to ${period.to}`);
  const length = daysBetween(period.from, period.to).length;
  assert(length <= MAX_PERIOD_DAYS, 'INVALID_ARGUMENT', `a report spans at most ${MAX_PERIOD_DAYS} days, asked ${length}`);
  const previous = previousPeriod(period);
  let requests = 1;
  const result = { data: await readSnapshots(model, input.by, previous.from, period.to) };
  const table = buildFunnelTable(result.data, period, model, input.by);
  const named = await labelsOf(input.by, [...table.rows.map((row) => row.key)]);
  requests += named.requests;
  const windowDays = result.data.find((doc) => doc.windowDays)?.windowDays ?? DEFAULT_WINDOW_DAYS;
  const label = (key: string) => named.labels.get(key) ?? fallbackLabel(input.by, key);
  return {
    model,
    modelStatement: modelStatement(model, windowDays),
    windowDays,
    by: input.by,
    period: table.period,
    previous: table.previous,
    rows: table.rows.map((row) => ({ ...row, label: label(row.key) })),
    totals: { ...table.totals, label: '合计' },
    daily: table.daily,
    missingDays: table.missingDays,
    requests,
  };
}

const CHANNEL_LABELS: Record<string, string> = {
  article: '文章码',
  poster: '海报',
  mp: '公众号',
  share: '分享卡片',
  menu: '公众号菜单',
  direct: '直接访问',
};

function fallbackLabel(by: Dimension, key: string): string {
  if (key === DIRECT_KEY) return '直接访问';
  if (key === NONE_KEY) return by === 'sharer' ? '非分享' : '未关联';
  if (by === 'channel') return CHANNEL_LABELS[key] ?? key;
  return key;
}

/** Names of the rows: article titles, campaign names, sharers' nicknames (channels are named here). */
async function labelsOf(by: Dimension, keys: string[]): Promise<{ labels: Map<string, string>; requests: number }> {
  const labels = new Map<string, string>();
  const source =
    by === 'article' ? COLLECTIONS.articles : by === 'campaign' ? COLLECTIONS.campaigns : by === 'sharer' ? COLLECTIONS.members : null;
  const ids = keys.filter((key) => key !== DIRECT_KEY && key !== NONE_KEY);
  if (!source || ids.length === 0) return { labels, requests: 0 };
  let requests = 0;
  for (let i = 0; i < ids.length; i += MAX_PER_QUERY) {
    requests += 1;
    const docs = await findByIds<{ _id: string; title?: string; name?: string; nickname?: string }>(
      source,
      ids.slice(i, i + MAX_PER_QUERY),
    );
    for (const doc of docs) {
      const name = doc.title ?? doc.name ?? doc.nickname;
      if (typeof name === 'string' && name.trim()) labels.set(doc._id, name);
    }
  }
  return { labels, requests };
}
