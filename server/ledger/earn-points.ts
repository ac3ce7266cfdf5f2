import { DuetError } from '../../core/errors';
import { earnPoints as addEarning } from '../../core/points/account';
import { cappedAward, expiryOf, type PointsRules } from '../../core/points/rules';
import { findPointsRules, type Posted, postEntry } from './repository';

/** The earning rules with a daily cap: what they gave today is kept on the member under their name. */
export type CappedRule = 'order' | 'invite';
export type EarningSource = 'follow' | CappedRule;

export interface Earning {
  memberId: string;
  source: EarningSource;
  /** The source key: `follow:<mp openid>`, `order:<orderId>`, `invite:<invitee>`. */
  key: string;
  points: number;
  ref?: Record<string, string>;
  now: Date;
}

/** A rule's daily cap (none for follow: it is once per person anyway). */
function dailyCap(rules: PointsRules, source: EarningSource): number {
  if (source === 'order') return rules.purchase.dailyCap;
  if (source === 'invite') return rules.invite.dailyCap;
  return Number.POSITIVE_INFINITY;
}

/**
 * Grants earned points once per key, within the rule's daily cap, expiring as the rules say. A
 * grant the cap cuts to nothing writes nothing (answers null): the key stays unused.
 */
export async function earnPointsOnce(earning: Earning, rules: PointsRules): Promise<Posted | null> {
  if (earning.points <= 0) return null;
  const memberId = earning.memberId;
  const cap = dailyCap(rules, earning.source);
  try {
    return await postEntry(memberId, earning.key, { source: earning.source, now: earning.now }, (view) => {
      const award = cappedAward(earning.points, view.earnedToday(earning.source), cap);
      if (award <= 0) return { refused: 'daily_cap', message: '今日该项积分已达上限' };
      const expiresAt = expiryOf(rules.expiry, earning.now);
      const day = view.member.pointsDay?.day === view.today ? view.member.pointsDay : { day: view.today };
      return {
        delta: award,
        account: addEarning(view.account, award, expiresAt),
        entry: { expiresAt, ...(earning.ref ? { ref: earning.ref } : {}) },
        member: Number.isFinite(cap) ? { pointsDay: { ...day, [earning.source]: view.earnedToday(earning.source) + award } } : {},
      };
    });
  } catch (error) {
    if (error instanceof DuetError && error.refusal?.reason === 'daily_cap') return null;
    throw error;
  }
}

/** Following the 公众号: once per person (`follow:<公众号 openid>`: unfollowing and following again earns nothing). */
export async function earnFollowPoints(memberId: string, mpOpenid: string, now: Date): Promise<number> {
  const rules = await findPointsRules();
  const posted = await earnPointsOnce({ memberId, source: 'follow', key: `follow:${mpOpenid}`, points: rules.follow.points, now }, rules);
  return posted && !posted.repeated ? posted.entry.delta : 0;
}

/** A friend who became a new member through the member's share: once per friend (`invite:<friend>`), within the daily cap. */
export async function earnInvitePoints(sharerId: string, inviteeId: string, now: Date): Promise<number> {
  const rules = await findPointsRules();
  const posted = await earnPointsOnce(
    { memberId: sharerId, source: 'invite', key: `invite:${inviteeId}`, points: rules.invite.points, ref: { invitee: inviteeId }, now },
    rules,
  );
  return posted && !posted.repeated ? posted.entry.delta : 0;
}
