/**
 * Article codes. A mini-program code carries at most 32 characters of `scene`, so it carries a
 * short key; the `scenes` collection maps the key to what the reader should see and where the
 * reader came from.
 */

/** WeChat's alphabet for `scene` (PLATFORM.md): no `%`, no Chinese, no spaces. */
export const SCENE_PATTERN = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;
export const SCENE_MAX_LENGTH = 32;

export interface SceneTarget {
  article?: string;
  campaign?: string;
  /** e.g. `article`, `poster`, `menu`, `mp_qr`, `share`. */
  channel: string;
  /** App page without a leading slash, e.g. `packages/campaign/landing/index`. */
  page: string;
  params?: Record<string, string>;
}

/** A stored scene (`scenes` collection, `_id` = the key). */
export interface SceneDoc extends SceneTarget {
  _id: string;
  /** Cloud storage file id of the code image, once generated. */
  fileID?: string;
  expiresAt?: Date | null;
  createdAt: Date;
}

export type SceneCheck = { ok: true } | { ok: false; reason: string };

export function checkSceneKey(key: string): SceneCheck {
  if (typeof key !== 'string' || key.length === 0) return { ok: false, reason: 'scene key is empty' };
  if (key.length > SCENE_MAX_LENGTH)
    return { ok: false, reason: `scene key has ${key.length} characters; WeChat allows ${SCENE_MAX_LENGTH}` };
  if (!SCENE_PATTERN.test(key)) {
    const bad = [...key].find((ch) => !SCENE_PATTERN.test(ch));
    return { ok: false, reason: `scene key contains ${JSON.stringify(bad)}, outside WeChat's allowed characters` };
  }
  return { ok: true };
}

/** The landing page receives `query.scene` URL-encoded (PLATFORM.md): decode it, tolerating bad escapes. */
export function decodeScene(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let value = raw;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return value.trim() || null;
}

export function isSceneExpired(scene: Pick<SceneDoc, 'expiresAt'>, now: Date): boolean {
  return Boolean(scene.expiresAt && new Date(scene.expiresAt).getTime() <= now.getTime());
}
