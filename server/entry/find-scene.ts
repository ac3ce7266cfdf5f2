import type { SceneDoc } from '../../core/entry/scene';
import { database } from '../cloud';

export async function findScene(key: string): Promise<SceneDoc | null> {
  const result = (await database().collection('scenes').where({ _id: key }).limit(1).get()) as unknown as { data: SceneDoc[] };
  return result.data[0] ?? null;
}
