import type { MpPush } from '../../core/mp/push';
import { buildTextReply } from '../../core/mp/reply';
import { POINTS_CENTER_PAGE } from '../../core/pages';
import { checkInToday } from '../ledger/check-in';
import { findCurrentMember } from '../member/resolve-member';
import { memberOfFollower } from './follower-member';
import type { PushContext, PushOutcome } from './push-context';
import { sendCard } from './send-card';

/** What a reader sends to check in from the 公众号 chat. */
export const CHECK_IN_KEYWORD = '签到';

export function isCheckInKeyword(content: string): boolean {
  return content.trim() === CHECK_IN_KEYWORD;
}

/**
 * 签到 in the 公众号 chat: the same check-in as the mini-program's (one per person per day across
 * both), answered at once with the points and the balance, then a card to the points center.
 */
export async function handleCheckIn(ctx: PushContext, push: Extract<MpPush, { kind: 'text' }>): Promise<PushOutcome> {
  const member = await memberOfFollower(ctx.config, push.fromUserName, ctx.now);
  const outcome = await checkInToday(member._id, ctx.now);
  const after = await findCurrentMember(member._id);
  const balance = Number(after?.points ?? 0);
  const streak = Number(after?.checkIn?.streak ?? 0);
  const content = outcome.checkedIn
    ? `签到成功 +${outcome.awarded} 积分${outcome.bonus ? '（含连续 7 天奖励）' : ''}，已连续签到 ${streak} 天，当前积分 ${balance}。积分可在小程序积分商城兑换好礼。`
    : `今天已经签到过啦，当前积分 ${balance}，明天再来哦～`;
  await sendCard(ctx, push.fromUserName, { title: `我的积分 ${balance}：去积分商城兑好礼`, pagepath: POINTS_CENTER_PAGE });
  return {
    reply: buildTextReply({ to: push.fromUserName, from: push.toUserName, createTime: Math.floor(ctx.now.getTime() / 1000), content }),
  };
}
