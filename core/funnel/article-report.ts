import { formatRate, formatYuan, NO_RATE } from './format';
import type { Metrics } from './tally';

/**
 * One article's funnel: from the 公众号's readers (its own datacube numbers) to the money, each step
 * beside the one before it. Reads are WeChat's, the other steps Duet's nightly snapshots (`by: 'article'`).
 */
export const ARTICLE_STEPS = [
  { step: 'reads', label: '公众号阅读' },
  { step: 'scans', label: '扫码进入' },
  { step: 'newMembers', label: '新会员' },
  { step: 'orders', label: '下单' },
  { step: 'payers', label: '付款人' },
  { step: 'netFen', label: '净收入' },
] as const;
export type ArticleStep = (typeof ARTICLE_STEPS)[number]['step'];

export interface ArticleStepView {
  step: ArticleStep;
  label: string;
  value: number;
  fromPrevious: string;
}

export { NO_RATE };

/** `value` as a percentage of `base` (formatRate); `—` for a zero or negative base. */
export function rateOf(value: number, base: number): string {
  return base <= 0 ? NO_RATE : formatRate(Math.max(0, value), base);
}

/**
 * Net yuan per payer: `¥41.13/人` (half away from zero to the fen); `—` without payers. The money
 * step has no percentage — yuan over people is no rate — so it shows what each payer brought.
 */
export function perPayer(netFen: number, payers: number): string {
  if (payers <= 0) return NO_RATE;
  const abs = BigInt(Math.abs(netFen));
  const fen = (abs * 2n + BigInt(payers)) / (2n * BigInt(payers));
  const sign = netFen < 0 && fen > 0n ? '-' : '';
  return `${sign}¥${formatYuan(fen)}/人`;
}

/**
 * The steps of one article over a period. `reads`: readers summed over the days and msgids (null
 * when the article has no 公众号 msgid: the step says so and nothing is compared with it).
 * fromPrevious: each step ÷ the step before as a percentage (it can pass 100%: orders also come
 * from members who joined earlier); the money step: net yuan per payer.
 */
export function articleSteps(reads: number | null, metrics: Metrics): ArticleStepView[] {
  const values: Record<ArticleStep, number> = {
    reads: reads ?? 0,
    scans: metrics.scans,
    newMembers: metrics.newMembers,
    orders: metrics.orders,
    payers: metrics.payers,
    netFen: metrics.paidFen - metrics.refundedFen,
  };
  return ARTICLE_STEPS.map(({ step, label }, i) => {
    const value = values[step];
    let fromPrevious = NO_RATE;
    if (step === 'netFen') fromPrevious = perPayer(value, values.payers);
    else if (i > 0 && !(i === 1 && reads === null)) fromPrevious = rateOf(value, values[ARTICLE_STEPS[i - 1].step]);
    return { step, label: step === 'reads' && reads === null ? `${label}（未关联公众号文章）` : label, value, fromPrevious };
  });
}
