import type { VisitResult } from '../../core/contracts/member';
import { eventId, landingOf } from '../../core/funnel/events';
import { planVisit, sceneKeyOf, type VisitRequest, visitRecord } from '../../core/entry/plan-visit';
import { inviterOf, shanghaiDay } from '../../core/points/rules';
import type { Caller } from '../handler';
import { newId } from '../ids';
import { earnInvitePoints } from '../ledger/earn-points';
import { recordFunnelEvent } from '../member/event-repository';
import { recordTouch } from '../member/record-touch';
import { findCurrentMember, memberOfCaller } from '../member/resolve-member';
import { findArticle, findCampaign } from '../content/repository';
import { findScene } from './scene-repository';

/**
 * `member.visit`: a reader arrived through an article code, a share card, a notice or directly.
 * Resolves the scene, records the visit (funnel event + first/last touch) and tells the app where to go.
 * A page opened from a subscription or 公众号 template message (its query carries `from` and `nk`) is
 * a `notice_landing`: the member came back, but a reminder is not a new source, so no touch changes
 * and no inviter is credited.
 */
export async function visit(caller: Caller, request: VisitRequest, now: Date): Promise<VisitResult> {
  const member = await memberOfCaller(caller, now);
  const key = sceneKeyOf(request);
  const landing = landingOf(request);
  const shared = Boolean(request.sharer && !request.scene && !landing);
  const [sceneDoc, sharer, campaign, article] = await Promise.all([
    key ? findScene(key) : Promise.resolve(null),
    shared && request.sharer ? findCurrentMember(request.sharer) : Promise.resolve(null),
    shared && request.campaign ? findCampaign(request.campaign) : Promise.resolve(null),
    shared && request.article ? findArticle(request.article) : Promise.resolve(null),
  ]);
  const plan = planVisit(request, {
    sceneDoc,
    sharerIsOtherMember: Boolean(sharer && sharer._id !== member._id),
    existing: { campaign: Boolean(campaign), article: Boolean(article) },
    now,
  });
  if (landing) {
    // One landing per member, notice kind, page id and Shanghai day: tapping the message again is not another.
    const id = eventId('notice_landing', member._id, shanghaiDay(now), landing.noticeKind, request.id ?? '');
    const page = request.to ?? null;
    await recordFunnelEvent({ _id: id, kind: 'notice_landing', at: now, ...landing, page, pageId: request.id ?? null }, { member });
    return { page: plan.page, params: plan.params, notice: plan.notice, attributed: false };
  }
  const record = visitRecord(plan, request, sharer?._id ?? null, now);
  const draft = {
    _id: request.requestId ? eventId('visit', member._id, request.requestId) : eventId('visit', newId()),
    kind: 'visit' as const,
    at: now,
    channel: record.touch.channel,
    attributed: record.kind === 'touch',
    ...(record.kind === 'event' ? record.extra : {}),
  };
  if (record.kind === 'touch') {
    await recordTouch(member._id, record.touch, draft);
    const inviter = inviterOf(member, record.touch, now);
    if (inviter) await earnInvitePoints(inviter, member._id, now);
  } else await recordFunnelEvent(draft, { member });
  return { page: plan.page, params: plan.params, notice: plan.notice, attributed: plan.touch !== null };
}
