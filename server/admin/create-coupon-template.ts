import type { CouponTemplateDoc } from '../../core/coupon/coupon';
import { type CouponTemplate, validateTemplate } from '../../core/coupon/template';
import { DuetError } from '../../core/errors';
import { findCampaign } from '../content/repository';
import { findTemplate, insertTemplate } from '../coupon/repository';
import { newId } from '../ids';
import { templateRow } from './coupon-template-row';

export interface CreateTemplateRequest {
  id?: string;
  campaign?: string;
  listed: boolean;
  template: Record<string, unknown>;
}

/**
 * `createCouponTemplate`: the whole template checked at once (every problem in one answer, nothing
 * written when there is one). Insert-once by id: the same id with the same terms answers the
 * existing template (a re-run of a script), with other terms it is refused.
 */
export async function createCouponTemplate(request: CreateTemplateRequest, now: Date) {
  const checked = validateTemplate(request.template);
  const problems = checked.ok ? [] : checked.problems.map((problem) => `template.${problem.path || '(root)'}: ${problem.reason}`);
  if (request.campaign && !(await findCampaign(request.campaign))) problems.push(`campaign: no campaign ${request.campaign}`);
  if (!checked.ok || problems.length > 0) throw new DuetError('INVALID_ARGUMENT', problems.join('; '));

  const doc = templateDoc(request.id ?? `tpl-${newId().slice(0, 16)}`, checked.template, request, now);
  if (await insertTemplate(doc)) return { template: await templateRow(doc), created: true };
  const existing = await findTemplate(doc._id);
  if (existing && fingerprint(existing) === fingerprint(doc)) return { template: await templateRow(existing), created: false };
  throw new DuetError(
    'ALREADY_EXISTS',
    `coupon template ${doc._id} exists with other terms: pick another id, or change it with updateCouponTemplate`,
  );
}

export function templateDoc(id: string, template: CouponTemplate, request: Omit<CreateTemplateRequest, 'template' | 'id'>, now: Date) {
  const doc: CouponTemplateDoc = {
    _id: id,
    ...template,
    campaign: request.campaign ?? null,
    listed: request.listed,
    status: 'active',
    stockLeft: template.totalStock,
    takes: 0,
    lastTakeAt: null,
    reconciled: true,
    createdAt: now,
    updatedAt: now,
  };
  return doc;
}

/**
 * What makes two templates "the same" for a re-run: everything an operator set, in a fixed order,
 * except the stock, which updateCouponTemplate may have raised since.
 */
function fingerprint(doc: CouponTemplateDoc): string {
  const { name, terms, validity, perMemberLimit, claimWindow, eligibility, scope, campaign, listed } = doc;
  return JSON.stringify(
    { name, terms, validity, perMemberLimit, claimWindow, eligibility, scope, campaign: campaign ?? null, listed },
    (_key, value) => (value && typeof value === 'object' && !Array.isArray(value) ? sortKeys(value) : value),
  );
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, value[key]]),
  );
}
