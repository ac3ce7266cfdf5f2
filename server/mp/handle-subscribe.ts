import type { MpPush } from '../../core/mp/push';
import { sceneKeyOf } from '../../core/mp/push';
import { eventId } from '../../core/funnel/events';
import { WELCOME_TITLE } from '../../core/mp/card';
import { earnFollowPoints } from '../ledger/earn-points';
import { grantNewMemberPack } from '../coupon/grant-new-member-pack';
import { log } from '../log';
import { recordTouch } from '../member/record-touch';
import { resolveMember } from '../member/resolve-member';
import { findArrival } from './find-arrival';
import { setFollowState } from './follower-member';
import { getFollowerInfo } from './mp-api';
import type { PushContext, PushOutcome } from './push-context';
import { sendCard } from './send-card';

/**
 * A new follower: bind the 公众号 identity to the person's one member (through the unionid from
 * `user/info`, so it meets the member the mini-program login made), mark them following,
 * attribute the follow to the QR code's scene (`qrscene_<key>`) and send a welcome card that opens
 * the mini-program on the scene's page.
 */
export async function handleSubscribe(ctx: PushContext, push: Extract<MpPush, { kind: 'subscribe' }>): Promise<PushOutcome> {
  const openid = push.fromUserName;
  const info = await getFollowerInfo(ctx.config, openid, ctx.now);
  const member = await resolveMember({ appid: ctx.config.appid, openid, unionid: info.unionid ?? null }, ctx.now);
  const sceneKey = sceneKeyOf(push);
  const arrival = await findArrival(sceneKey, ctx.now);
  const event = { _id: eventId('follow', ctx.key), kind: 'follow' as const, at: ctx.now, channel: 'mp', scene: sceneKey };
  if (Number(info.subscribe) !== 1) {
    // Unfollowed again before this push was handled (a late or replayed push): the arrival is
    // still where they came from, but they do not follow and get no welcome card.
    log('info', { event: 'mp.subscribe.not_following', requestId: ctx.requestId, key: ctx.key });
    await recordTouch(member._id, arrival.touch, event);
    return {};
  }
  await setFollowState(member._id, openid, true, new Date(Number(push.createTime) * 1000), ctx.now);
  await recordTouch(member._id, arrival.touch, event);
  await grantNewMemberPack(member, 'follow', ctx.now);
  await earnFollowPoints(member._id, openid, ctx.now);
  await sendCard(ctx, openid, { title: WELCOME_TITLE, pagepath: arrival.pagepath });
  return {};
}
