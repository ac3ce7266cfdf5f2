import type { CouponTemplateDoc } from '../../core/coupon/coupon';
import { elapsedMs } from '../clock';
import { log } from '../log';
import { countTemplateCoupons, findTemplate, findTemplatesToReconcile, settleTemplateStock } from './repository';

/**
 * A template is reconciled only once no stock was taken for this long: longer than a function can
 * run (60 s), so every claim that took a unit has inserted its coupon, given the unit back, or died.
 */
export const RECONCILE_QUIET_MS = 2 * 60_000;
const PER_RUN = 50;

export interface ReconcileReport {
  checked: number;
  /** Units taken by a claim that died before its coupon was written, now back in stock. */
  returned: Array<{ templateId: string; units: number }>;
  /** More coupons than units taken: should never happen; reported every run until someone looks. */
  overIssued: Array<{ templateId: string; coupons: number; taken: number }>;
  /** Skipped this run: stock taken in the last two minutes, or moved while being checked. */
  busy: string[];
}

/**
 * Gives back stranded stock: for each template with stock taken since its last check and quiet
 * since, taken (`totalStock - stockLeft`) is compared with the coupons that exist; the difference
 * goes back with a compare-and-set on the version the count was made against, so a claim, a
 * give-back or an operator's stock change in between makes this run skip it (the next run retries).
 */
export async function reconcileCouponStock(now: Date, budgetMs: number, templateId?: string): Promise<ReconcileReport> {
  const started = performance.now();
  const quietBefore = new Date(now.getTime() - RECONCILE_QUIET_MS);
  const report: ReconcileReport = { checked: 0, returned: [], overIssued: [], busy: [] };
  let candidates: CouponTemplateDoc[];
  if (templateId) {
    const one = await findTemplate(templateId);
    candidates = one && !one.reconciled ? [one] : [];
  } else {
    // Busy ones too (they sort last): the loop below reports them as busy instead of omitting them.
    candidates = await findTemplatesToReconcile(PER_RUN);
  }
  for (const template of candidates) {
    if (elapsedMs(started) > budgetMs) break;
    if (template.lastTakeAt && new Date(template.lastTakeAt).getTime() >= quietBefore.getTime()) {
      report.busy.push(template._id);
      continue;
    }
    report.checked += 1;
    const coupons = await countTemplateCoupons(template._id);
    const taken = template.totalStock - template.stockLeft;
    if (coupons > taken) {
      report.overIssued.push({ templateId: template._id, coupons, taken });
      log('error', { event: 'coupon.over_issued', template: template._id, coupons, taken });
      continue;
    }
    const units = taken - coupons;
    if (!(await settleTemplateStock(template, units, now))) {
      report.busy.push(template._id);
      continue;
    }
    if (units > 0) {
      report.returned.push({ templateId: template._id, units });
      log('warn', { event: 'coupon.stock_returned', template: template._id, units });
    }
  }
  return report;
}
