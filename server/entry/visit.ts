import type { VisitResult } from '../../core/contracts/member';
import { planVisit, sceneKeyOf, type VisitRequest } from '../../core/entry/plan-visit';
import { assert } from '../../core/errors';
import type { Caller } from '../handler';
import { recordEvent, recordTouch } from '../member/record-touch';
import { findCurrentMember, resolveMember } from '../member/resolve-member';
import { findScene } from './find-scene';

/**
 * `member.visit`: a reader arrived through an article code, a share card or directly. Resolves
 * the scene, records the visit (funnel event + first/last touch) and tells the app where to go.
 */
export async function visit(caller: Caller, request: VisitRequest, now: Date): Promise<VisitResult> {
  assert(caller.openid, 'UNAUTHENTICATED', 'visit needs an OPENID');
  const member = await resolveMember({ appid: caller.appid ?? 'mini', openid: caller.openid, unionid: caller.unionid }, now);
  const key = sceneKeyOf(request);
  const [sceneDoc, sharer] = await Promise.all([
    key ? findScene(key) : Promise.resolve(null),
    request.sharer && !request.scene ? findCurrentMember(request.sharer) : Promise.resolve(null),
  ]);
  const plan = planVisit(request, { sceneDoc, sharerIsOtherMember: Boolean(sharer && sharer._id !== member._id), now });
  if (plan.touch) {
    // A sharer merged into another member is credited to the member they are now.
    const touch = sharer ? { ...plan.touch, sharer: sharer._id, at: now } : { ...plan.touch, at: now };
    await recordTouch(member._id, 'visit', touch);
  } else {
    await recordEvent(
      member._id,
      'visit',
      { channel: plan.notice ? 'invalid_scene' : 'direct', at: now },
      plan.notice ? { rawScene: request.scene } : {},
    );
  }
  return { page: plan.page, params: plan.params, notice: plan.notice, attributed: plan.touch !== null };
}
