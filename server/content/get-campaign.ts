import { campaignWindow } from '../../core/content/campaign';
import { DuetError } from '../../core/errors';
import { findArticle, findCampaign } from './repository';

/** `content.campaign`: what a campaign page shows, with the article that brought the reader. */
export async function getCampaign(id: string, articleId: string | undefined, now: Date) {
  const [campaign, article] = await Promise.all([findCampaign(id), articleId ? findArticle(articleId) : null]);
  if (!campaign) throw new DuetError('NOT_FOUND', `campaign ${id} does not exist`);
  const { startsAt, endsAt, active } = campaignWindow(campaign, now);
  return {
    campaign: {
      _id: campaign._id,
      name: campaign.name ?? campaign.title ?? campaign._id,
      description: campaign.description ?? '',
      startsAt: startsAt ? startsAt.toISOString() : null,
      endsAt: endsAt ? endsAt.toISOString() : null,
      active,
    },
    article: article ? { _id: article._id, title: article.title ?? article._id, url: article.url ?? null } : null,
  };
}
