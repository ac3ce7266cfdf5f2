import type { CouponDoc, CouponTemplateDoc } from '../../core/coupon/coupon';
import { giveBackStock, insertCoupon, takeStock } from './repository';

export type IssueOutcome = 'issued' | 'duplicate' | 'sold_out';

/**
 * Issues a coupon whose `_id` says "once" (the pack's, a grant batch's): a unit of stock first, then
 * the insert; a duplicate gives the unit back. Stock first, so a crash in between strands a unit
 * (the reconcile job returns it) and never issues one the stock does not cover.
 */
export async function issueCoupon(template: CouponTemplateDoc, coupon: CouponDoc, now: Date): Promise<IssueOutcome> {
  if (!(await takeStock(template._id, now))) return 'sold_out';
  if (await insertCoupon(coupon)) return 'issued';
  await giveBackStock(template._id);
  return 'duplicate';
}
