import { applyTouch, type Touch } from '../../core/member/attribution';
import { DuetError } from '../../core/errors';
import { newId } from '../ids';
import { findCurrentMember } from './resolve-member';
import { insertEvent } from './event-repository';
import { updateMember } from './repository';

export type FunnelEvent = 'visit' | 'follow' | 'unfollow' | 'scan' | 'share_open' | 'claim' | 'order' | 'pay' | 'share' | 'join';

/**
 * Records an arrival: a funnel event in `events` (the report's raw data) and the member's
 * first-touch / last-touch attribution.
 */
export async function recordTouch(memberId: string, type: FunnelEvent, touch: Touch): Promise<void> {
  const member = await findCurrentMember(memberId);
  if (!member) throw new DuetError('NOT_FOUND', `recordTouch: member ${memberId} does not exist`);
  await recordEvent(member._id, type, touch);
  const update = applyTouch(member, touch);
  if (Object.keys(update).length > 0) await updateMember(member._id, { ...update, updatedAt: touch.at });
}

/** One row of the funnel. */
export async function recordEvent(
  memberId: string,
  type: FunnelEvent,
  touch: Partial<Touch> & { at: Date },
  extra: Record<string, unknown> = {},
): Promise<void> {
  const doc: Record<string, unknown> = { _id: newId(), memberId, type, at: touch.at, ...extra };
  for (const key of ['scene', 'article', 'campaign', 'channel', 'sharer'] as const) {
    if (touch[key] !== undefined) doc[key] = touch[key];
  }
  await insertEvent(doc as Record<string, unknown> & { _id: string; memberId: string });
}
