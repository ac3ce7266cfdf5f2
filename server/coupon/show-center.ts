import type { TemplateCard } from '../../core/contracts/coupon';
import { claimMemberOf, toTemplateCard } from '../../core/coupon/views';
import { DuetError } from '../../core/errors';
import { findCampaign } from '../content/repository';
import { campaignRef } from './campaign-ref';
import type { Caller } from '../handler';
import { memberOfCaller } from '../member/resolve-member';
import { findMemberClaims, listTemplates } from './repository';

/** Templates a center shows: not ended by the operator longer ago than this (the 已结束 card lingers a week). */
const ENDED_SHOWN_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * `coupon.center`: a campaign's listed templates (or the storefront's, without a campaign), each in
 * its state for the caller, stock read live. Claimable ones first, then those that open later,
 * then the rest; templates long over are left out.
 */
export async function showCenter(caller: Caller, input: { campaign?: string }, now: Date) {
  const [member, campaign, templates] = await Promise.all([
    memberOfCaller(caller, now),
    input.campaign ? findCampaign(input.campaign) : Promise.resolve(null),
    listTemplates({ campaign: input.campaign ?? null, listedOnly: true }),
  ]);
  if (input.campaign && !campaign) throw new DuetError('NOT_FOUND', `campaign ${input.campaign} does not exist`);
  const shown = templates.filter((template) => now.getTime() - endOf(template).getTime() < ENDED_SHOWN_MS);
  const claims = await findMemberClaims(
    member._id,
    shown.map((template) => template._id),
  );
  const facts = claimMemberOf(member);
  const cards = shown.map((template) =>
    toTemplateCard(template, claims.filter((claim) => claim.templateId === template._id).length, facts, now),
  );
  cards.sort((a, b) => rank(a) - rank(b));
  return {
    campaign: campaignRef(campaign),
    templates: cards,
    serverTime: now.toISOString(),
  };
}

function endOf(template: { claimWindow: { endsAt: Date }; endedAt?: Date }): Date {
  return new Date(template.endedAt ?? template.claimWindow.endsAt);
}

const RANK: Record<TemplateCard['state'], number> = {
  available: 0,
  not_started: 1,
  claimed: 2,
  paused: 3,
  sold_out: 4,
  not_eligible: 5,
  ended: 6,
};

function rank(card: TemplateCard): number {
  return RANK[card.state];
}
