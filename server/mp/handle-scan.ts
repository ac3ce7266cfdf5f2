import type { MpPush } from '../../core/mp/push';
import { scanCard } from '../../core/mp/card';
import { sceneKeyOf } from '../../core/mp/push';
import { eventId } from '../../core/funnel/events';
import { recordTouch } from '../member/record-touch';
import { findArrival } from './find-arrival';
import { memberOfFollower } from './follower-member';
import type { PushContext, PushOutcome } from './push-context';
import { sendCard } from './send-card';

/**
 * A follower scanned a parametric code: the raw EventKey is the scene (no `qrscene_` to strip,
 * and one that happens to start with it is kept as is). A known scene also gets a card that opens
 * its page.
 */
export async function handleScan(ctx: PushContext, push: Extract<MpPush, { kind: 'scan' }>): Promise<PushOutcome> {
  const member = await memberOfFollower(ctx.config, push.fromUserName, ctx.now);
  const sceneKey = sceneKeyOf(push);
  const arrival = await findArrival(sceneKey, ctx.now);
  await recordTouch(member._id, arrival.touch, {
    _id: eventId('scan', ctx.key),
    kind: 'scan',
    at: ctx.now,
    channel: 'mp',
    scene: sceneKey,
  });
  const card = scanCard(arrival);
  if (card) await sendCard(ctx, push.fromUserName, card);
  return {};
}
