import { HOME_PAGE } from '../pages';
import type { Touch } from '../member/attribution';
import { checkSceneKey, decodeScene, isSceneExpired, type SceneDoc } from './scene';

export const NOTICE_UNKNOWN_SCENE = '二维码已失效，为你打开首页';
export const NOTICE_EXPIRED_SCENE = '活动已结束，为你打开首页';

export interface VisitRequest {
  /** Raw `scene` as the page or launch options gave it. */
  scene?: string;
  sharer?: string;
  campaign?: string;
  article?: string;
  to?: string;
  /** The target page's id (a share card of one group): handed to that page, never attributed. */
  id?: string;
  /** A notice's landing marker (`from=notice_sub|notice_mp&nk=<kind>`): a landing, never a touch. */
  from?: string;
  nk?: string;
  /** The app's id for this arrival: the visit event's dedupe key. */
  requestId?: string;
}

export interface VisitFacts {
  /** The scene document for the decoded key, when there is one. */
  sceneDoc: SceneDoc | null;
  /** Whether `sharer` is a member other than the visitor. */
  sharerIsOtherMember: boolean;
  /**
   * Whether the share card's campaign and article exist. A card can say anything: an id that names
   * nothing is dropped (never attributed, never passed on to the page). Absent: nothing is checked.
   */
  existing?: { campaign: boolean; article: boolean };
  now: Date;
}

export interface VisitPlan {
  page: string;
  params: Record<string, string>;
  notice: string | null;
  /** The touch to attribute, or null for a direct visit. */
  touch: Omit<Touch, 'at'> | null;
}

/** The scene key a request carries after decoding, or null when absent or not a valid key. */
export function sceneKeyOf(request: VisitRequest): string | null {
  const key = decodeScene(request.scene);
  return key && checkSceneKey(key).ok ? key : null;
}

/**
 * Where a visitor goes and whom the visit is attributed to. An article code wins over a share
 * card; an unknown, invalid or expired code lands on the home page with a gentle notice.
 */
export function planVisit(request: VisitRequest, facts: VisitFacts): VisitPlan {
  const target = request.to ?? HOME_PAGE;
  if (request.scene !== undefined && request.scene !== '') {
    const key = sceneKeyOf(request);
    const scene = facts.sceneDoc;
    if (!key || !scene || scene._id !== key) return { page: HOME_PAGE, params: {}, notice: NOTICE_UNKNOWN_SCENE, touch: null };
    if (isSceneExpired(scene, facts.now)) return { page: HOME_PAGE, params: {}, notice: NOTICE_EXPIRED_SCENE, touch: null };
    const touch: Omit<Touch, 'at'> = { scene: key, channel: scene.channel };
    if (scene.article) touch.article = scene.article;
    if (scene.campaign) touch.campaign = scene.campaign;
    return { page: scene.page, params: { ...(scene.params ?? {}) }, notice: null, touch };
  }
  if (request.sharer && facts.sharerIsOtherMember) {
    const touch: Omit<Touch, 'at'> = { channel: 'share', sharer: request.sharer };
    const campaign = request.campaign && facts.existing?.campaign !== false ? request.campaign : undefined;
    const article = request.article && facts.existing?.article !== false ? request.article : undefined;
    if (campaign) touch.campaign = campaign;
    if (article) touch.article = article;
    const params: Record<string, string> = { ...targetParams(request) };
    if (campaign) params.campaign = campaign;
    if (article) params.article = article;
    return { page: target, params, notice: null, touch };
  }
  // The sharer opening their own card (or a card with no sharer) still lands on the thing shared.
  return { page: target, params: targetParams(request), notice: null, touch: null };
}

/**
 * What a share card says about the page itself: its `id`. Only with a target page — an id alone
 * names nothing on the home page.
 */
function targetParams(request: VisitRequest): Record<string, string> {
  return request.to && request.id ? { id: request.id } : {};
}

/** What a visit writes: a touch (attributed arrival) or a plain funnel event (direct, or a bad code). */
export type VisitRecord =
  | { kind: 'touch'; touch: Touch }
  | { kind: 'event'; touch: { channel: 'invalid_scene' | 'direct'; at: Date }; extra: Record<string, string> };

/**
 * The record of a planned visit. A share is credited to the sharer's member as it is now
 * (`currentSharerId`: a sharer merged into another member since the card was sent is that one).
 */
export function visitRecord(plan: VisitPlan, request: VisitRequest, currentSharerId: string | null, now: Date): VisitRecord {
  if (plan.touch) {
    const touch: Touch = { ...plan.touch, at: now };
    if (plan.touch.sharer && currentSharerId) touch.sharer = currentSharerId;
    return { kind: 'touch', touch };
  }
  if (plan.notice)
    return { kind: 'event', touch: { channel: 'invalid_scene', at: now }, extra: request.scene ? { rawScene: request.scene } : {} };
  return { kind: 'event', touch: { channel: 'direct', at: now }, extra: {} };
}
