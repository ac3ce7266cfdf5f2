import { applyTouch, type Touch } from '../../core/member/attribution';
import { DuetError } from '../../core/errors';
import type { EventDraft } from './event-repository';
import { recordFunnelEvent } from './event-repository';
import { finalMember, updateMember } from './repository';

/**
 * Records an arrival (a visit through a code or card, a 公众号 follow or scan): the member's
 * first-touch / last-touch attribution and its funnel event, credited to the touch it just made.
 * The event is written after the member's update and has a dedupe `_id`, so a retry of the
 * arrival writes the touch again (the same or newer) and the event once.
 */
export async function recordTouch(memberId: string, touch: Touch, event: EventDraft): Promise<void> {
  const { member } = await finalMember(memberId);
  if (!member) throw new DuetError('NOT_FOUND', `recordTouch: member ${memberId} does not exist`);
  const update = applyTouch(member, touch);
  if (Object.keys(update).length > 0) await updateMember(member._id, { ...update, updatedAt: touch.at });
  await recordFunnelEvent(event, { member: { ...member, ...update } });
}
