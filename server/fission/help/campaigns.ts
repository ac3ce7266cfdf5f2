import type { HelpCampaignInput, HelpCampaignRow } from '../../../core/contracts/help-admin';
import { describeTerms } from '../../../core/coupon/labels';
import { DuetError } from '../../../core/errors';
import { ruleLine } from '../../../core/fission/help';
import { findTemplate } from '../../coupon/repository';
import { newId } from '../../ids';
import { countTasksByState, findCampaign, type HelpCampaignDoc, insertCampaign, listCampaigns } from './repository';

/**
 * `createHelpCampaign`: every problem reported at once and nothing written when there is one (a
 * coupon reward names a template that exists and has stock; the window makes sense). Insert-once by
 * id: the same id with the same campaign answers it (created: false); a different one is refused.
 */
export async function createHelpCampaign(request: { id?: string; campaign: HelpCampaignInput }, now: Date) {
  const input = request.campaign;
  const problems: string[] = [];
  let rewardText = '';
  if (input.reward.kind === 'coupon') {
    const template = await findTemplate(input.reward.templateId);
    if (!template) problems.push(`campaign.reward.templateId: no coupon template ${input.reward.templateId}`);
    else if (template.stockLeft <= 0) problems.push(`campaign.reward.templateId: coupon template ${template._id} has no stock left`);
    if (template) {
      const terms = describeTerms(template.terms);
      rewardText =
        terms.condition === '无门槛' || terms.condition === '立减' ? `${terms.value} ${terms.condition}券` : `${terms.summary}券`;
    }
  } else {
    rewardText = `${input.reward.points} 积分`;
  }
  const startAt = new Date(input.startAt);
  const endAt = new Date(input.endAt);
  if (endAt.getTime() <= startAt.getTime()) problems.push('campaign.endAt: the window ends after it starts');
  if (endAt.getTime() <= now.getTime()) problems.push('campaign.endAt: the window has already ended');
  if (problems.length > 0) throw new DuetError('INVALID_ARGUMENT', problems.join('; '));

  const doc: HelpCampaignDoc = {
    _id: request.id ?? `hc-${newId().slice(0, 16)}`,
    title: input.title,
    reward:
      input.reward.kind === 'coupon'
        ? { kind: 'coupon', templateId: input.reward.templateId }
        : { kind: 'points', points: input.reward.points },
    rewardText,
    helpersNeeded: input.helpersNeeded,
    startAt,
    endAt,
    taskHours: input.taskHours,
    audience: input.audience,
    dailyLimit: input.dailyLimit,
    helperPoints: input.helperPoints ?? 0,
    paused: false,
    createdAt: now,
    updatedAt: now,
  };
  if (await insertCampaign(doc)) return { campaign: await campaignRow(doc), created: true };
  const existing = await findCampaign(doc._id);
  if (!existing) throw new DuetError('CONFLICT', `help campaign ${doc._id} was removed while being created; run the job again`);
  if (!sameCampaign(existing, doc)) {
    throw new DuetError('ALREADY_EXISTS', `help campaign ${doc._id} exists with other terms; choose another id`);
  }
  return { campaign: await campaignRow(existing), created: false };
}

function sameCampaign(a: HelpCampaignDoc, b: HelpCampaignDoc): boolean {
  const terms = (c: HelpCampaignDoc) =>
    JSON.stringify([
      c.title,
      c.reward,
      c.helpersNeeded,
      new Date(c.startAt).toISOString(),
      new Date(c.endAt).toISOString(),
      c.taskHours,
      c.audience,
      c.dailyLimit,
      c.helperPoints,
    ]);
  return terms(a) === terms(b);
}

export async function listHelpCampaigns(input: { campaignId?: string }): Promise<{ campaigns: HelpCampaignRow[] }> {
  const docs = await listCampaigns(input.campaignId);
  return { campaigns: await Promise.all(docs.map(campaignRow)) };
}

async function campaignRow(doc: HelpCampaignDoc): Promise<HelpCampaignRow> {
  return {
    id: doc._id,
    title: doc.title,
    rule: ruleLine(doc),
    reward: { ...doc.reward },
    rewardText: doc.rewardText,
    helpersNeeded: doc.helpersNeeded,
    startAt: new Date(doc.startAt).toISOString(),
    endAt: new Date(doc.endAt).toISOString(),
    taskHours: doc.taskHours,
    audience: doc.audience,
    dailyLimit: doc.dailyLimit,
    helperPoints: doc.helperPoints,
    paused: doc.paused,
    tasks: await countTasksByState(doc._id),
    createdAt: new Date(doc.createdAt).toISOString(),
  };
}
