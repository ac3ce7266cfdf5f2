/**
 * 公众号 keyword rules (`keyword_replies` collection), set by the `setKeywordReplies` admin job
 * and applied by the gateway to text messages: a mini-program card or a text.
 */
export type KeywordReply =
  | { type: 'text'; content: string }
  | { type: 'miniprogrampage'; title: string; pagepath: string; thumbMediaId?: string };

export interface KeywordRule {
  _id: string;
  keyword: string;
  /** `exact`: the whole message (trimmed, case-insensitive); `contains`: anywhere in it. */
  match: 'exact' | 'contains';
  reply: KeywordReply;
  /** Lower first; ties by keyword. */
  priority: number;
}

/** The rule a message triggers, or null. Exact rules beat contains rules; then priority. */
export function matchKeyword(rules: KeywordRule[], message: string): KeywordRule | null {
  const text = message.trim().toLowerCase();
  if (!text) return null;
  const hits = rules.filter((rule) => {
    const keyword = rule.keyword.trim().toLowerCase();
    if (!keyword) return false;
    return rule.match === 'exact' ? text === keyword : text.includes(keyword);
  });
  hits.sort(
    (a, b) => (a.match === b.match ? 0 : a.match === 'exact' ? -1 : 1) || a.priority - b.priority || a.keyword.localeCompare(b.keyword),
  );
  return hits[0] ?? null;
}
