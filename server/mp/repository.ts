import type { KeywordRule } from '../../core/mp/keyword-reply';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';

/**
 * `keyword_replies`: the 公众号's keyword rules (set by the admin job, read by the gateway on
 * every text message). Tokens, thumbs and push claims have their own repositories beside this.
 */
const KEYWORD_REPLIES = COLLECTIONS.keywordReplies;

/** Operators keep a handful of rules; the admin job refuses more than this. */
export const MAX_KEYWORD_RULES = 200;

export async function listKeywordRules(): Promise<KeywordRule[]> {
  const result = (await database().collection(KEYWORD_REPLIES).limit(MAX_KEYWORD_RULES).get()) as unknown as { data: KeywordRule[] };
  return result.data;
}

/** Every stored rule, paged past the 1,000-per-get limit (the admin job compares them all). */
export async function listAllKeywordRules(): Promise<KeywordRule[]> {
  const all: KeywordRule[] = [];
  for (;;) {
    const page = (await database().collection(KEYWORD_REPLIES).orderBy('_id', 'asc').skip(all.length).limit(1000).get()) as unknown as {
      data: KeywordRule[];
    };
    all.push(...page.data);
    if (page.data.length < 1000) return all;
  }
}

export async function putKeywordRule(id: string, fields: Record<string, unknown>): Promise<void> {
  await database().collection(KEYWORD_REPLIES).doc(id).set({ data: fields });
}

export async function removeKeywordRule(id: string): Promise<void> {
  await database().collection(KEYWORD_REPLIES).doc(id).remove();
}
