import type { VisitResult } from '../../core/contracts/member';
import { planVisit, sceneKeyOf, type VisitRequest, visitRecord } from '../../core/entry/plan-visit';
import { inviterOf } from '../../core/points/rules';
import type { Caller } from '../handler';
import { earnInvitePoints } from '../ledger/earn-points';
import { recordEvent, recordTouch } from '../member/record-touch';
import { findCurrentMember, memberOfCaller } from '../member/resolve-member';
import { findArticle, findCampaign } from '../content/repository';
import { findScene } from './scene-repository';

/**
 * `member.visit`: a reader arrived through an article code, a share card or directly. Resolves
 * the scene, records the visit (funnel event + first/last touch) and tells the app where to go.
 */
export async function visit(caller: Caller, request: VisitRequest, now: Date): Promise<VisitResult> {
  const member = await memberOfCaller(caller, now);
  const key = sceneKeyOf(request);
  const shared = Boolean(request.sharer && !request.scene);
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
  const record = visitRecord(plan, request, sharer?._id ?? null, now);
  if (record.kind === 'touch') {
    await recordTouch(member._id, 'visit', record.touch);
    const inviter = inviterOf(member, record.touch, now);
    if (inviter) await earnInvitePoints(inviter, member._id, now);
  } else await recordEvent(member._id, 'visit', record.touch, record.extra);
  return { page: plan.page, params: plan.params, notice: plan.notice, attributed: plan.touch !== null };
}
