import { listTemplates } from '../coupon/repository';
import { templateRow } from './coupon-template-row';

/** `listCouponTemplates`: every template (or a campaign's), newest first, with stock left, claimed and used. */
export async function listCouponTemplates(request: { campaign?: string }) {
  const templates = await listTemplates(request.campaign ? { campaign: request.campaign } : {});
  return { templates: await Promise.all(templates.map(templateRow)) };
}
