/**
 * The grant ledger's rules (member × template → one-time grants left). Each "accept" of
 * `requestSubscribeMessage` allows one send of that template; a reject is counted; "ban" (the
 * member ticked 总是保持以上选择) means the app stops asking; "filter" (WeChat hid the template) changes
 * nothing. Pure: `server/notice/` stores the result with a conditional update.
 */
export const GRANT_ANSWERS = ['accept', 'reject', 'ban', 'filter'] as const;
export type GrantAnswer = (typeof GRANT_ANSWERS)[number];

/** The moments the app asks for subscriptions: right after the member did something worth following up. */
export const ASK_MOMENTS = ['claim', 'order', 'join', 'checkIn'] as const;
export type AskMoment = (typeof ASK_MOMENTS)[number];

/** WeChat shows at most 3 one-time templates in one sheet. */
export const MAX_TEMPLATES_PER_ASK = 3;

export interface GrantCounts {
  remaining: number;
  accepted: number;
  rejected: number;
  banned: boolean;
}

export const NO_GRANT: GrantCounts = { remaining: 0, accepted: 0, rejected: 0, banned: false };

/** The ledger's change for one answer: increments, so concurrent answers add up instead of overwriting. */
export function grantChange(answer: GrantAnswer): { remaining: number; accepted: number; rejected: number; banned?: boolean } {
  switch (answer) {
    case 'accept':
      // Accepting again means the member lifted a ban in WeChat's settings.
      return { remaining: 1, accepted: 1, rejected: 0, banned: false };
    case 'reject':
      return { remaining: 0, accepted: 0, rejected: 1 };
    case 'ban':
      return { remaining: 0, accepted: 0, rejected: 1, banned: true };
    case 'filter':
      return { remaining: 0, accepted: 0, rejected: 0 };
  }
}

export function applyGrantAnswer(counts: GrantCounts, answer: GrantAnswer): GrantCounts {
  const change = grantChange(answer);
  return {
    remaining: counts.remaining + change.remaining,
    accepted: counts.accepted + change.accepted,
    rejected: counts.rejected + change.rejected,
    banned: change.banned ?? counts.banned,
  };
}

/** The templates worth asking for now: none the member holds a grant for or banned, at most 3, in the given order. */
export function askableTemplates(candidates: readonly string[], grants: ReadonlyMap<string, GrantCounts>): string[] {
  const unique = [...new Set(candidates)];
  return unique
    .filter((id) => {
      const grant = grants.get(id);
      return !grant || (!grant.banned && grant.remaining <= 0);
    })
    .slice(0, MAX_TEMPLATES_PER_ASK);
}
