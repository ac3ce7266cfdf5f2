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

/** Campaigns (a brand runs a handful at a time; the list is capped). */
export async function listCampaigns(limit: number): Promise<CampaignDoc[]> {
  const result = (await database().collection(CAMPAIGNS).where({}).limit(limit).get()) as unknown as { data: CampaignDoc[] };
  return result.data;
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

/** Which of `ids` exist among the articles or the campaigns (any number of ids, read 100 at a time). */
export async function existingContentIds(kind: 'articles' | 'campaigns', ids: readonly string[]): Promise<Set<string>> {
  const collection = kind === 'articles' ? ARTICLES : CAMPAIGNS;
  const unique = [...new Set(ids)];
  const found = new Set<string>();
  const _ = database().command;
  for (let i = 0; i < unique.length; i += 100) {
    const chunk = unique.slice(i, i + 100);
    const result = (await database()
      .collection(collection)
      .where({ _id: _.in(chunk) })
      .field({ _id: true })
      .limit(100)
      .get()) as unknown as { data: Array<{ _id: string }> };
    for (const doc of result.data) found.add(doc._id);
  }
  return found;
}
