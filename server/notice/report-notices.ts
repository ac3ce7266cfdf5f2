import { wechatError } from '../../core/wechat-errors';
import { countNotices, findRecentFailures } from './repository';

const FAILURES_SHOWN = 20;

export interface NoticeReportRow {
  kind: string;
  /** `subscribe`, `mp`, or `none` for notices no channel was tried for (pending, expired, no grant). */
  channel: string;
  sent: number;
  fellBack: number;
  pending: number;
  skipped: Record<string, number>;
  failed: Record<string, number>;
}

/**
 * `noticeReport`: per kind and channel, what became of the notices written in the period — sent,
 * fell back to the 公众号, skipped and failed by reason, still pending — and the latest failures
 * with WeChat's error codes and what they mean.
 */
export async function reportNotices(input: { from?: string; to?: string }) {
  const [counts, failures] = await Promise.all([
    countNotices(input.from ? new Date(input.from) : null, input.to ? new Date(input.to) : null),
    findRecentFailures(FAILURES_SHOWN),
  ]);
  const rows = new Map<string, NoticeReportRow>();
  for (const count of counts) {
    const channel = count.channel ?? 'none';
    const key = `${count.kind}\u0000${channel}`;
    const row = rows.get(key) ?? { kind: count.kind, channel, sent: 0, fellBack: 0, pending: 0, skipped: {}, failed: {} };
    rows.set(key, row);
    if (count.state === 'sent') row.sent += count.count;
    else if (count.state === 'fallback') row.fellBack += count.count;
    else if (count.state === 'pending' || count.state === 'sending') row.pending += count.count;
    else {
      const bucket = count.state === 'skipped' ? row.skipped : row.failed;
      const reason = count.reason ?? 'unknown';
      bucket[reason] = (bucket[reason] ?? 0) + count.count;
    }
  }
  const sorted = [...rows.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.channel.localeCompare(b.channel));
  const sum = (pick: (row: NoticeReportRow) => number) => sorted.reduce((total, row) => total + pick(row), 0);
  const total = (bucket: (row: NoticeReportRow) => Record<string, number>) =>
    sum((row) => Object.values(bucket(row)).reduce((a, b) => a + b, 0));
  return {
    rows: sorted,
    totals: {
      sent: sum((row) => row.sent),
      fellBack: sum((row) => row.fellBack),
      pending: sum((row) => row.pending),
      skipped: total((row) => row.skipped),
      failed: total((row) => row.failed),
    },
    failures: failures.map((notice) => ({
      noticeId: notice._id,
      kind: notice.kind,
      state: notice.state,
      channel: notice.channel ?? null,
      reason: notice.reason ?? (notice.state === 'pending' ? 'retrying' : null),
      errcode: notice.errcode ?? null,
      meaning: typeof notice.errcode === 'number' && notice.errcode !== 0 ? wechatError(notice.errcode).reason : null,
      attempts: notice.attempts,
      at: notice.lastTriedAt ? new Date(notice.lastTriedAt).toISOString() : null,
      nextAt: notice.state === 'pending' ? new Date(notice.dueAt).toISOString() : null,
    })),
  };
}
