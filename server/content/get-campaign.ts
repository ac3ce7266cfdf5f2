import { DuetError } from '../../core/errors';
import { findById } from '../documents';

interface CampaignDoc {
  _id: string;
  name?: string;
  title?: string;
  description?: string;
  startsAt?: Date | null;
  endsAt?: Date | null;
}

interface ArticleDoc {
  _id: string;
  title?: string;
  url?: string;
}

/** `content.campaign`: what a campaign page shows, with the article that brought the reader. */
export async function getCampaign(id: string, articleId: string | undefined, now: Date) {
  const [campaign, article] = await Promise.all([
    findById<CampaignDoc>('campaigns', id),
    articleId ? findById<ArticleDoc>('articles', articleId) : null,
  ]);
  if (!campaign) throw new DuetError('NOT_FOUND', `campaign ${id} does not exist`);
  const startsAt = campaign.startsAt ? new Date(campaign.startsAt) : null;
  const endsAt = campaign.endsAt ? new Date(campaign.endsAt) : null;
  const active = (!startsAt || startsAt <= now) && (!endsAt || endsAt > now);
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
