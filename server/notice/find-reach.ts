import { type Credit, creditOf } from '../../core/funnel/events';
import type { MemberDoc } from '../../core/member/member';
import type { Reach } from '../../core/notice/dispatch';
import { findAppIdentitiesOf, findMembers, finalMemberId } from '../member/repository';
import { findGrants, grantIdOf } from './repository';
import { optionalMpConfig } from './send-message';

/** A member as a message can reach them, for one template. */
export interface ResolvedReach extends Reach {
  /** The member the person is now (a merged-away id resolves to the member it became). */
  memberId: string;
  /** Whether a member with this id exists at all. */
  known: boolean;
  grantId: string | null;
  /** The member's touches as read: what a sent notice's funnel event is credited to. */
  credit: Credit;
}

/**
 * How each (member, template) pair can be reached: mini-program openid and its grant, 公众号
 * follow and openid. Three queries for the lot (members, their app identities, the grants), plus
 * one lookup per merged-away member.
 */
export async function findReach(
  pairs: ReadonlyArray<{ key: string; memberId: string; templateId: string | null }>,
): Promise<Map<string, ResolvedReach>> {
  const members = new Map((await findMembers(pairs.map((p) => p.memberId))).map((m) => [m._id, m]));
  for (const member of [...members.values()]) {
    if (!member.mergedInto) continue;
    const [final] = await findMembers([await finalMemberId(member._id)]);
    if (final) members.set(member._id, final);
  }
  const identities = await findAppIdentitiesOf([...new Set([...members.values()].map((m) => m._id))]);
  // The 公众号's own identities are not mini-program openids (without a 公众号 every app identity is).
  const mpAppid = optionalMpConfig()?.appid ?? null;
  const miniOpenids = new Map<string, string>();
  for (const identity of identities) {
    if (identity.appid && identity.appid !== mpAppid && identity.openid) miniOpenids.set(identity.memberId, identity.openid);
  }
  const grantIds = new Map<string, string>();
  for (const pair of pairs) {
    const member = members.get(pair.memberId);
    const openid = member ? miniOpenids.get(member._id) : undefined;
    if (openid && pair.templateId) grantIds.set(pair.key, grantIdOf(openid, pair.templateId));
  }
  const grants = new Map((await findGrants([...grantIds.values()])).map((g) => [g._id, g]));
  const reaches = new Map<string, ResolvedReach>();
  for (const pair of pairs) {
    const member: MemberDoc | undefined = members.get(pair.memberId);
    const grantId = grantIds.get(pair.key) ?? null;
    const grant = grantId ? grants.get(grantId) : undefined;
    reaches.set(pair.key, {
      memberId: member?._id ?? pair.memberId,
      known: !!member,
      miniOpenid: member ? (miniOpenids.get(member._id) ?? null) : null,
      grant: grant ? { remaining: grant.remaining, banned: !!grant.banned } : null,
      follows: !!member?.followsMp,
      mpOpenid: member?.mpOpenid ?? null,
      grantId,
      credit: creditOf(member ?? {}),
    });
  }
  return reaches;
}
