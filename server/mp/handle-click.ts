import type { MpPush } from '../../core/mp/push';
import { memberOfFollower, recordMpEvent } from './follower-member';
import { findKeywordRule, replyWithRule } from './keyword-rules';
import type { PushContext, PushOutcome } from './push-context';

/** A menu click (`CLICK`, key = the button's key): recorded in the funnel; a keyword rule for the key answers it. */
export async function handleClick(ctx: PushContext, push: Extract<MpPush, { kind: 'click' }>): Promise<PushOutcome> {
  const member = await memberOfFollower(ctx.config, push.fromUserName, ctx.now);
  await recordMpEvent(member, 'mp_click', ctx.key, ctx.now, { menuKey: push.eventKey });
  const rule = await findKeywordRule(push.eventKey);
  return rule ? replyWithRule(ctx, push, rule) : {};
}
