import { checkSceneKey, isSceneExpired, type SceneDoc } from '../../core/entry/scene';
import { type MpArrival, mpArrival } from '../../core/mp/scene-touch';
import { findScene } from '../entry/scene-repository';

/** Attribution and landing page of a 公众号 QR value: looks the value up in `scenes`. */
export async function findArrival(sceneKey: string | null, now: Date): Promise<MpArrival> {
  if (!sceneKey || !checkSceneKey(sceneKey).ok) return mpArrival(sceneKey, null, now);
  const scene = await findScene<SceneDoc>(sceneKey);
  return mpArrival(sceneKey, scene, now, scene ? !isSceneExpired(scene, now) : false);
}
