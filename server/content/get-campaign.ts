import { campaignWindow } from '../../core/content/campaign';
import { DuetError } from '../../core/errors';
import { type CampaignDoc, findArticle, findCampaign, listCampaigns } from './repository';

/** How many running campaigns the storefront shows. */
const RUNNING_SHOWN = 5;
/** How many campaign documents are read to find them. */
const CAMPAIGNS_READ = 200;

/** `content.campaign`: what a campaign page shows, with the article that brought the reader. */
export async function getCampaign(id: string, articleId: string | undefined, now: Date) {
  const [campaign, article] = await Promise.all([findCampaign(id), articleId ? findArticle(articleId) : null]);
  if (!campaign) throw new DuetError('NOT_FOUND', `campaign ${id} does not exist`);
  return {
    campaign: campaignView(campaign, now),
    article: article ? { _id: article._id, title: article.title ?? article._id, url: article.url ?? null } : null,
  };
}

function campaignView(campaign: CampaignDoc, now: Date) {
  const { startsAt, endsAt, active } = campaignWindow(campaign, now);
  return {
    _id: campaign._id,
    name: campaign.name ?? campaign.title ?? campaign._id,
    description: campaign.description ?? '',
    startsAt: startsAt ? startsAt.toISOString() : null,
    endsAt: endsAt ? endsAt.toISOString() : null,
    active,
  };
}

/** `content.campaigns`: the campaigns running now, ending soonest first (open-ended ones last). */
export async function listRunningCampaigns(now: Date) {
  const running = (await listCampaigns(CAMPAIGNS_READ)).map((doc) => campaignView(doc, now)).filter((view) => view.active);
  const end = (view: { endsAt: string | null }) => (view.endsAt ? Date.parse(view.endsAt) : Number.POSITIVE_INFINITY);
  running.sort((a, b) => end(a) - end(b) || a._id.localeCompare(b._id));
  return { campaigns: running.slice(0, RUNNING_SHOWN) };
}
