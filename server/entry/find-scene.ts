import type { SceneDoc } from '../../core/entry/scene';
import { findById } from '../documents';

export function findScene(key: string): Promise<SceneDoc | null> {
  return findById<SceneDoc>('scenes', key);
}
