import { elapsedMs } from '../clock';
import { log } from '../log';
import { findSkusToReconcile, settleSkuStock } from '../shop/repository';
import { summarizeSkuReservations } from './repository';

/**
 * A SKU is counted only when neither its stock nor any of its reservations moved for this long:
 * longer than a function can run (60 s), so every create that took units has written its
 * reservation or died, and every release that flipped a reservation has given its units back.
 */
export const SKU_RECONCILE_QUIET_MS = 2 * 60_000;
const PER_RUN = 50;

export interface SkuReconcileReport {
  checked: number;
  /** Units taken by a create that died before writing its reservation (or a give-back that died), back in stock. */
  returned: Array<{ skuId: string; units: number }>;
  /** Stock above what reservations allow: should never happen; reported every run until someone looks. */
  excess: Array<{ skuId: string; units: number }>;
  busy: string[];
}

/**
 * Gives back stranded SKU stock: stock should be everything ever put in (`stockTotal`) less units
 * held or sold, plus units refunds put back. The difference goes back with a compare-and-set on the
 * stock the count was made against, so any take or give-back in between makes this run skip it.
 */
export async function reconcileSkuStock(now: Date, budgetMs: number): Promise<SkuReconcileReport> {
  const started = performance.now();
  const quietBefore = new Date(now.getTime() - SKU_RECONCILE_QUIET_MS);
  const report: SkuReconcileReport = { checked: 0, returned: [], excess: [], busy: [] };
  for (const sku of await findSkusToReconcile(PER_RUN)) {
    if (elapsedMs(started) > budgetMs) break;
    if (typeof sku.stockTotal !== 'number') continue;
    if (sku.lastMoveAt && new Date(sku.lastMoveAt).getTime() >= quietBefore.getTime()) {
      report.busy.push(sku._id);
      continue;
    }
    const reservations = await summarizeSkuReservations(sku._id, quietBefore);
    if (reservations.recent) {
      report.busy.push(sku._id);
      continue;
    }
    report.checked += 1;
    const expected = sku.stockTotal - reservations.live + reservations.returned;
    const units = expected - sku.stock;
    if (units < 0) {
      report.excess.push({ skuId: sku._id, units: -units });
      log('error', { event: 'sku.stock_excess', sku: sku._id, stock: sku.stock, expected });
      continue;
    }
    if (!(await settleSkuStock(sku, units, now))) {
      report.busy.push(sku._id);
      continue;
    }
    if (units > 0) {
      report.returned.push({ skuId: sku._id, units });
      log('warn', { event: 'sku.stock_returned', sku: sku._id, units });
    }
  }
  return report;
}
