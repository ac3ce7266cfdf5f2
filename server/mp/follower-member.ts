import type { MemberDoc } from '../../core/member/member';
import { identityKey } from '../../core/member/member';
import { eventId } from '../../core/funnel/events';
import { recordFunnelEvent } from '../member/event-repository';
import { findIdentity, updateFollowState } from '../member/repository';
import { findCurrentMember, resolveMember } from '../member/resolve-member';
import type { MpConfig } from './config';
import { getFollowerInfo } from './mp-api';

/**
 * The member behind a 公众号 openid. A known identity is enough; an unknown one (a follower from
 * before the gateway existed) is resolved with the unionid from `user/info`, so it lands on the
 * member the mini-program login made.
 */
export async function memberOfFollower(config: MpConfig, openid: string, now: Date): Promise<MemberDoc> {
  const known = await knownMemberOf(config, openid);
  if (known) return known;
  const info = await getFollowerInfo(config, openid, now);
  return resolveMember({ appid: config.appid, openid, unionid: info.unionid ?? null }, now);
}

/** The member an existing 公众号 identity points to, or null (never creates one). */
export async function knownMemberOf(config: MpConfig, openid: string): Promise<MemberDoc | null> {
  const identity = await findIdentity(identityKey(config.appid, openid));
  return identity ? findCurrentMember(identity.memberId) : null;
}

/**
 * Follow state, ordered by the push's own time: a subscribe and an unsubscribe processed out of
 * order (a retry, a slow instance) leave the state of the later push, never the earlier one.
 */
export async function setFollowState(memberId: string, openid: string, follows: boolean, pushAt: Date, now: Date): Promise<boolean> {
  const fields: Record<string, unknown> = follows
    ? { followsMp: true, followedAt: now, mpOpenid: openid, updatedAt: now }
    : { followsMp: false, unfollowedAt: now, mpOpenid: openid, updatedAt: now };
  return updateFollowState(memberId, fields, pushAt);
}

/**
 * A 公众号 interaction in the funnel (`events`): `<kind>:<push dedupe key>`, so a push handled twice
 * (a retry, a replay) records it once.
 */
export async function recordMpEvent(
  member: MemberDoc,
  kind: 'mp_click' | 'unfollow',
  pushKey: string,
  at: Date,
  extra = {},
): Promise<void> {
  await recordFunnelEvent({ _id: eventId(kind, pushKey), kind, at, channel: 'mp', ...extra }, { member });
}
