import type { MpPush } from '../../core/mp/push';
import { log } from '../log';
import { knownMemberOf, recordMpEvent, setFollowState } from './follower-member';
import type { PushContext, PushOutcome } from './push-context';

/**
 * An unfollow marks the member not following and keeps everything else (points, coupons,
 * attribution, identities): the person is still a member of the mini-program.
 */
export async function handleUnsubscribe(ctx: PushContext, push: Extract<MpPush, { kind: 'unsubscribe' }>): Promise<PushOutcome> {
  // No user/info here: WeChat no longer tells a non-follower's unionid.
  const member = await knownMemberOf(ctx.config, push.fromUserName);
  if (!member) {
    log('info', { event: 'mp.unsubscribe.unknown', requestId: ctx.requestId, key: ctx.key });
    return {};
  }
  await setFollowState(member._id, push.fromUserName, false, new Date(Number(push.createTime) * 1000), ctx.now);
  await recordMpEvent(member, 'unfollow', ctx.key, ctx.now);
  return {};
}
