import { type IdentityDoc, identityKey, type MemberDoc, unionidKey } from '../member/member';

/** What `user/info/batchget` tells about one follower (the fields the sync reads). */
export interface FollowerFacts {
  openid: string;
  subscribe?: number;
  unionid?: string;
  /** Seconds. */
  subscribe_time?: number;
}

/**
 * What the sync does with one listed follower:
 * - `notFollowing`: WeChat no longer has them as a follower (they left after the list was read): nothing;
 * - `unchanged`: their 公众号 identity is known, its member is current, agrees on the unionid and follows: nothing, no write;
 * - otherwise bind them with the identity rules and mark them following. `created` when neither their 公众号
 *   identity nor their unionid was known (a new member), `bound` when the unionid led to an existing member (a
 *   mini-program member), `marked` when the 公众号 identity was known but its member did not follow (or needs healing).
 */
export type FollowerPlan =
  | { kind: 'notFollowing' | 'unchanged' }
  | { kind: 'created' | 'bound' | 'marked'; unionid: string | null; followedAt: Date };

export type FollowerOutcome = FollowerPlan['kind'];

/** The identity keys to look up for a batch, in one query: each 公众号 identity and each unionid WeChat gave. */
export function identityKeysOf(appid: string, followers: FollowerFacts[]): string[] {
  const keys: string[] = [];
  for (const follower of followers) {
    keys.push(identityKey(appid, follower.openid));
    if (follower.unionid) keys.push(unionidKey(follower.unionid));
  }
  return keys;
}

export function planFollower(
  appid: string,
  facts: FollowerFacts | undefined,
  identities: ReadonlyMap<string, IdentityDoc>,
  members: ReadonlyMap<string, MemberDoc>,
  now: Date,
): FollowerPlan {
  if (!facts || Number(facts.subscribe) !== 1) return { kind: 'notFollowing' };
  const unionid = facts.unionid || null;
  const appIdentity = identities.get(identityKey(appid, facts.openid));
  const member = appIdentity ? members.get(appIdentity.memberId) : undefined;
  if (member && !member.mergedInto && (!unionid || member.unionid === unionid) && member.followsMp) return { kind: 'unchanged' };
  // The follow's own time orders it against pushes: an unfollow pushed later still wins.
  const followedAt = typeof facts.subscribe_time === 'number' && facts.subscribe_time > 0 ? new Date(facts.subscribe_time * 1000) : now;
  if (appIdentity) return { kind: 'marked', unionid, followedAt };
  return { kind: unionid && identities.has(unionidKey(unionid)) ? 'bound' : 'created', unionid, followedAt };
}

/**
 * Where to continue in a page fetched again by the same `next_openid`: right after the last follower
 * handled when it is still listed. When it is not (it unfollowed), the page may have shifted, so
 * continue `backtrack` earlier than the saved offset: handling a follower twice writes nothing the
 * second time, skipping one would leave them out.
 */
export function resumeOffset(openids: readonly string[], offset: number, lastOpenid: string, backtrack: number): number {
  if (lastOpenid) {
    const index = openids.indexOf(lastOpenid);
    if (index >= 0) return index + 1;
  }
  return Math.max(0, Math.min(offset, openids.length) - (lastOpenid ? backtrack : 0));
}

/** Followers still to go: never 0 before the sync has seen the end of the list (the CLI stops at 0). */
export function remainingFollowers(total: number, done: number, finished: boolean): number {
  return finished ? 0 : Math.max(total - done, 1);
}
