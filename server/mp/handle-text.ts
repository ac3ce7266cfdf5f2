import type { MpPush } from '../../core/mp/push';
import { handleCheckIn, isCheckInKeyword } from './handle-check-in';
import { findKeywordRule, replyWithRule } from './keyword-rules';
import type { PushContext, PushOutcome } from './push-context';

/** A text message: 签到 checks in; otherwise the first matching keyword rule answers (a card or a text); no match, no answer. */
export async function handleText(ctx: PushContext, push: Extract<MpPush, { kind: 'text' }>): Promise<PushOutcome> {
  if (isCheckInKeyword(push.content)) return handleCheckIn(ctx, push);
  const rule = await findKeywordRule(push.content);
  return rule ? replyWithRule(ctx, push, rule) : {};
}
