import { log } from '../log';
import { cardThumbMediaId } from './welcome-thumb';
import { sendMiniProgramCard } from './mp-api';
import type { PushContext } from './push-context';

/**
 * Sends a mini-program card as a customer-service message. Best effort: the push has been
 * handled whatever happens here, so a refused or failed send is logged, not retried (a retry of
 * the whole push would repeat its other effects for a card the user may already have).
 */
export async function sendCard(
  ctx: PushContext,
  touser: string,
  card: { title: string; pagepath: string; thumbMediaId?: string },
): Promise<boolean> {
  try {
    const thumbMediaId = card.thumbMediaId || (await cardThumbMediaId(ctx.config, ctx.now));
    await sendMiniProgramCard(ctx.config, touser, { title: card.title, pagepath: card.pagepath, thumbMediaId }, ctx.now);
    return true;
  } catch (error) {
    log('warn', {
      event: 'mp.card.failed',
      requestId: ctx.requestId,
      key: ctx.key,
      error: error instanceof Error ? error.message : String(error),
    });
    return false;
  }
}
