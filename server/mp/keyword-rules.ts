import { type KeywordRule, matchKeyword } from '../../core/mp/keyword-reply';
import { buildTextReply } from '../../core/mp/reply';
import type { PushContext, PushOutcome } from './push-context';
import { listKeywordRules } from './repository';
import { sendCard } from './send-card';

export async function findKeywordRule(text: string): Promise<KeywordRule | null> {
  return matchKeyword(await listKeywordRules(), text);
}

/**
 * A rule's answer: text goes back as the passive reply (no API call, inside the 5 s window); a
 * mini-program card cannot be a passive reply, so it goes as a customer-service message.
 */
export async function replyWithRule(
  ctx: PushContext,
  push: { fromUserName: string; toUserName: string },
  rule: KeywordRule,
): Promise<PushOutcome> {
  if (rule.reply.type === 'text') {
    return {
      reply: buildTextReply({
        to: push.fromUserName,
        from: push.toUserName,
        createTime: Math.floor(ctx.now.getTime() / 1000),
        content: rule.reply.content,
      }),
    };
  }
  await sendCard(ctx, push.fromUserName, { title: rule.reply.title, pagepath: rule.reply.pagepath, thumbMediaId: rule.reply.thumbMediaId });
  return {};
}
