/** When a campaign runs: from `startsAt` (inclusive) until `endsAt` (exclusive); a missing bound is open. */
export interface CampaignWindow {
  startsAt: Date | null;
  endsAt: Date | null;
  active: boolean;
}

export function campaignWindow(campaign: { startsAt?: Date | string | null; endsAt?: Date | string | null }, now: Date): CampaignWindow {
  const startsAt = readTime(campaign.startsAt);
  const endsAt = readTime(campaign.endsAt);
  const active = (!startsAt || startsAt.getTime() <= now.getTime()) && (!endsAt || endsAt.getTime() > now.getTime());
  return { startsAt, endsAt, active };
}

function readTime(value: Date | string | null | undefined): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const time = new Date(value);
  // An unreadable bound must not open the campaign forever: it is treated as already passed.
  return Number.isNaN(time.getTime()) ? new Date(0) : time;
}
