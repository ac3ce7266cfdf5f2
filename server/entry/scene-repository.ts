import type { SceneDoc } from '../../core/entry/scene';
import type { Lease } from '../../core/lease';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, insertOnce } from '../documents';
import { releaseLease, takeLease } from '../lease';

/**
 * `scenes`: the key an article code or 公众号 QR code carries → where it leads. Written by the
 * admin jobs, read by every arrival (member.visit, the gateway's follow and scan).
 */
const SCENES = COLLECTIONS.scenes;

export function findScene<T extends SceneDoc = SceneDoc>(key: string): Promise<T | null> {
  return findById<T>(SCENES, key);
}

/** The stored scenes among `keys` (at most 100 per call, the query limit used here). */
export async function findScenes<T extends SceneDoc = SceneDoc>(keys: string[]): Promise<T[]> {
  if (keys.length > 100) throw new RangeError('findScenes reads at most 100 keys at a time');
  const _ = database().command;
  const found = (await database()
    .collection(SCENES)
    .where({ _id: _.in(keys) })
    .limit(100)
    .get()) as unknown as { data: T[] };
  return found.data;
}

/** Inserts the scene unless its key exists; true when this call created it. */
export function insertScene<T extends SceneDoc>(doc: T): Promise<boolean> {
  return insertOnce(SCENES, doc as T & { _id: string });
}

/** The lease to generate a scene's code image: only while it has none, one generator at a time. */
export function takeSceneImageLease(key: string, now: Date, durationMs: number): Promise<Lease | null> {
  const _ = database().command;
  return takeLease(SCENES, key, { now, durationMs, where: { fileID: _.exists(false) } });
}

/** Stores the generated image and gives the lease back in the same write. */
export async function storeSceneImage(key: string, lease: Lease, fileID: string, now: Date): Promise<void> {
  const stored = await releaseLease(SCENES, key, lease, { fileID, imageGeneratedAt: now, updatedAt: now });
  // Lost the lease (it ran out while WeChat was slow): keep the image if nobody stored one since.
  if (!stored) {
    const _ = database().command;
    await database()
      .collection(SCENES)
      .where({ _id: key, fileID: _.exists(false) })
      .update({ data: { fileID, imageGeneratedAt: now, updatedAt: now } });
  }
}

export function releaseSceneImageLease(key: string, lease: Lease): Promise<boolean> {
  return releaseLease(SCENES, key, lease);
}

export async function updateScene(key: string, fields: Record<string, unknown>): Promise<void> {
  await database().collection(SCENES).doc(key).update({ data: fields });
}
