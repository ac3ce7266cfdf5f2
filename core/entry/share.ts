import { LANDING_PAGE } from '../pages';

export interface ShareCard {
  /** Member id of the sharer: a friend who opens the card is attributed to them. */
  sharer: string;
  campaign?: string;
  article?: string;
  /** The page the friend should see, without leading slash. */
  to: string;
  /** That page's `id` (the group of an invite card), when it shows one thing. */
  id?: string;
}

/** The path of a share card (`onShareAppMessage`): it opens the landing page, which attributes and routes. */
export function sharePath(card: ShareCard): string {
  const params: Array<[string, string]> = [['sharer', card.sharer]];
  if (card.campaign) params.push(['campaign', card.campaign]);
  if (card.article) params.push(['article', card.article]);
  params.push(['to', card.to]);
  if (card.id) params.push(['id', card.id]);
  return `/${LANDING_PAGE}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}
