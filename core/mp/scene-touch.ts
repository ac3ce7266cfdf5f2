import type { SceneTarget } from '../entry/scene';
import type { Touch } from '../member/attribution';
import { pagePathOf } from './card';

/** Channel of a 公众号 QR value that names no known scene. */
export const UNKNOWN_QR_CHANNEL = 'mp_qr';
/** Channel of a follow without a QR code (search, article, profile card). */
export const PLAIN_FOLLOW_CHANNEL = 'mp';

export interface MpArrival {
  touch: Touch;
  /** Where the welcome card opens. */
  pagepath: string;
}

/**
 * Attribution and landing page of a follow or scan. A known scene names article, campaign,
 * channel and page; an unknown value is still kept (channel `mp_qr`, the raw value as scene) so
 * the operator sees codes made outside Duet; no value at all is a plain follow.
 */
export function mpArrival(sceneKey: string | null, scene: SceneTarget | null, at: Date, sceneUsable = true): MpArrival {
  if (!sceneKey) return { touch: { channel: PLAIN_FOLLOW_CHANNEL, at }, pagepath: pagePathOf(null) };
  if (!scene) return { touch: { scene: sceneKey, channel: UNKNOWN_QR_CHANNEL, at }, pagepath: pagePathOf(null) };
  const touch: Touch = { scene: sceneKey, channel: scene.channel || UNKNOWN_QR_CHANNEL, at };
  if (scene.article) touch.article = scene.article;
  if (scene.campaign) touch.campaign = scene.campaign;
  // An expired scene still tells where the reader came from, but its page may be gone: open home.
  return { touch, pagepath: sceneUsable ? pagePathOf(scene.page, scene.params) : pagePathOf(null) };
}
