import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById } from '../documents';

/** `articles` and `campaigns`: what the brand publishes (written by the seed and, later, admin jobs). */
const ARTICLES = COLLECTIONS.articles;
const CAMPAIGNS = COLLECTIONS.campaigns;

export interface CampaignDoc {
  _id: string;
  name?: string;
  title?: string;
  description?: string;
  startsAt?: Date | null;
  endsAt?: Date | null;
}

export interface ArticleDoc {
  _id: string;
  title?: string;
  url?: string;
}

export function findCampaign(id: string): Promise<CampaignDoc | null> {
  return findById<CampaignDoc>(CAMPAIGNS, id);
}

export function findArticle(id: string): Promise<ArticleDoc | null> {
  return findById<ArticleDoc>(ARTICLES, id);
}

/** Writes the whole document under its id (the seed's fixed documents). */
export async function putArticle(id: string, fields: Record<string, unknown>): Promise<void> {
  await database().collection(ARTICLES).doc(id).set({ data: fields });
}

export async function putCampaign(id: string, fields: Record<string, unknown>): Promise<void> {
  await database().collection(CAMPAIGNS).doc(id).set({ data: fields });
}
