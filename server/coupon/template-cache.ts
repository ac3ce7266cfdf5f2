import type { CouponTemplateDoc } from '../../core/coupon/coupon';
import { findTemplate } from './repository';

/**
 * Templates read by claims, kept briefly per warm instance. Safe because a template's terms,
 * windows, eligibility and limit never change after creation (updateCouponTemplate changes stock
 * and status only), and neither is trusted from here: the stock take's condition reads the live
 * status and stock. A missing template is not cached, so a new one is claimable at once.
 */
const TTL_MS = 5_000;
const MAX_ENTRIES = 500;
const cache = new Map<string, { template: CouponTemplateDoc; readAt: number }>();

export async function cachedTemplate(templateId: string): Promise<CouponTemplateDoc | null> {
  const hit = cache.get(templateId);
  if (hit && performance.now() - hit.readAt < TTL_MS) return hit.template;
  const template = await findTemplate(templateId);
  if (!template) {
    cache.delete(templateId);
    return null;
  }
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(templateId, { template, readAt: performance.now() });
  return template;
}
