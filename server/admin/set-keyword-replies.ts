import { createHash } from 'node:crypto';
import { type KeywordRuleInput, ruleIdentity, toKeywordRule } from '../../core/admin/keyword-rules';
import type { KeywordRule } from '../../core/mp/keyword-reply';
import { listAllKeywordRules, putKeywordRule, removeKeywordRule } from '../mp/repository';

/** `_id` of a rule: the same keyword and match always land on the same document. */
export function ruleId(rule: Pick<KeywordRuleInput, 'keyword' | 'match'>): string {
  return `kw_${createHash('sha256').update(ruleIdentity(rule)).digest('hex').slice(0, 20)}`;
}

/**
 * `setKeywordReplies`: the stored rules become exactly the given ones. New and changed rules
 * are written first (in place, by their derived `_id`), stale ones removed last, so the gateway
 * reading between the two steps sees old and new rules, never an empty set.
 */
export async function setKeywordReplies(
  input: { rules: KeywordRuleInput[] },
  now: Date,
): Promise<{ rules: KeywordRule[]; removed: number }> {
  const rules = input.rules.map((rule) => toKeywordRule(ruleId(rule), rule));
  for (const rule of rules) {
    const { _id, ...data } = rule;
    await putKeywordRule(_id, { ...data, updatedAt: now });
  }
  const keep = new Set(rules.map((rule) => rule._id));
  const stale = (await listAllKeywordRules()).filter((doc) => !keep.has(doc._id));
  for (const doc of stale) await removeKeywordRule(doc._id);
  return { rules, removed: stale.length };
}
