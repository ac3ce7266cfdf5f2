/**
 * Keyword rules as the `setKeywordReplies` job stores them. A rule's `_id` is derived from what
 * it matches (match + normalized keyword), so replacing the rule set rewrites the same document
 * in place: a reader between the writes sees the old rule or the new one, never neither.
 */
import type { KeywordReply, KeywordRule } from '../mp/keyword-reply';

export interface KeywordRuleInput {
  keyword: string;
  match: KeywordRule['match'];
  reply: KeywordReply;
  priority: number;
}

/** The normalized keyword matchKeyword compares against. */
export function normalizeKeyword(keyword: string): string {
  return keyword.trim().toLowerCase();
}

/** Stable `_id` material for a rule; the server hashes it into a short id. */
export function ruleIdentity(rule: Pick<KeywordRuleInput, 'keyword' | 'match'>): string {
  return `${rule.match}:${normalizeKeyword(rule.keyword)}`;
}

/** Input positions (0-based) that repeat an earlier rule's keyword and match. */
export function duplicateRules(rules: Array<Pick<KeywordRuleInput, 'keyword' | 'match'>>): Array<{ index: number; first: number }> {
  const seen = new Map<string, number>();
  const duplicates: Array<{ index: number; first: number }> = [];
  rules.forEach((rule, index) => {
    const identity = ruleIdentity(rule);
    const first = seen.get(identity);
    if (first === undefined) seen.set(identity, index);
    else duplicates.push({ index, first });
  });
  return duplicates;
}

export function toKeywordRule(id: string, input: KeywordRuleInput): KeywordRule {
  return { _id: id, keyword: input.keyword.trim(), match: input.match, reply: input.reply, priority: input.priority };
}
