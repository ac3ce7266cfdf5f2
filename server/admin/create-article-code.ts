import { randomInt } from 'node:crypto';
import { codeFileName, generateSceneKey, normalizeTarget, sameTarget } from '../../core/admin/article-codes';
import type { ArticleCodeView } from '../../core/contracts/admin';
import type { SceneDoc, SceneTarget } from '../../core/entry/scene';
import { LANDING_PAGE } from '../../core/pages';
import { DuetError } from '../../core/errors';
import { wechatError } from '../../core/wechat-errors';
import { tempUrls } from '../file-urls';
import { cloud } from '../cloud';
import { clockFrom, elapsedMs } from '../clock';
import { findScene, insertScene, releaseSceneImageLease, storeSceneImage, takeSceneImageLease } from '../entry/scene-repository';
import { log } from '../log';
import { assertTargetExists } from './check-targets';

/** A scene as the admin jobs store it: the target plus the pre-generated code image. */
export interface ArticleCodeDoc extends SceneDoc {
  /** The page the code opens (the landing page), kept to tell which codes a page move affects. */
  codePage?: string;
  imageGeneratedAt?: Date;
  updatedAt?: Date;
}

export interface CodeOptions {
  checkPath: boolean;
  envVersion: 'release' | 'trial' | 'develop';
}

export interface ArticleCodeRequest extends SceneTarget {
  scene?: string;
  expiresAt?: string;
}

const GENERATE_ATTEMPTS = 6;
const IMAGE_LEASE_MS = 30_000;
const WAIT_FOR_IMAGE_MS = 10_000;

/** `createArticleCode`: one code, with its image generated once and stored. */
export async function createArticleCode(request: ArticleCodeRequest & CodeOptions, now: Date): Promise<ArticleCodeView> {
  await assertTargetExists(request);
  const { doc, created } = await ensureArticleCode(request, request, now);
  const [tempFileURL] = await tempUrls([doc.fileID as string]);
  return toView(doc, tempFileURL, created);
}

/**
 * The scene (insert-once) and its image. A given key with the same target returns what exists
 * (generating the image only if an earlier run died before storing it); with another target it
 * is ALREADY_EXISTS. A generated key that collides is replaced by a fresh one.
 */
export async function ensureArticleCode(
  request: ArticleCodeRequest,
  options: CodeOptions,
  now: Date,
  /** A key generated earlier (a batch keeps its keys in the cursor); replaced if it collides. */
  proposedKey?: string,
): Promise<{ doc: ArticleCodeDoc & { fileID: string }; created: boolean }> {
  const { doc: stored, created } = await claimScene(request, now, proposedKey);
  if (stored.fileID) return { doc: stored as ArticleCodeDoc & { fileID: string }, created };
  const { fileID, generated } = await generateImageOnce(stored._id, stored.codePage ?? LANDING_PAGE, options, now);
  // A scene left without its image by a failed run counts as created by the run that finishes it.
  return { doc: { ...stored, fileID }, created: created || generated };
}

/** The scene document for a target: inserted once under its key, or the existing one with the same target. */
export async function claimScene(
  request: ArticleCodeRequest,
  now: Date,
  proposedKey?: string,
): Promise<{ doc: ArticleCodeDoc; created: boolean }> {
  const target = normalizeTarget(request);
  for (let attempt = 0; attempt < GENERATE_ATTEMPTS; attempt += 1) {
    const key = request.scene ?? (attempt === 0 && proposedKey ? proposedKey : generateSceneKey(randomInt));
    const doc: ArticleCodeDoc = {
      ...target,
      _id: key,
      codePage: LANDING_PAGE,
      expiresAt: request.expiresAt ? new Date(request.expiresAt) : null,
      createdAt: now,
      updatedAt: now,
    };
    if (await insertScene(doc)) return { doc, created: true };
    const existing = await findScene<ArticleCodeDoc>(key);
    if (!existing) throw new DuetError('CONFLICT', `scene ${key} was removed while being created; run the job again`);
    if (sameTarget(existing, target)) return { doc: existing, created: false };
    if (request.scene) {
      throw new DuetError(
        'ALREADY_EXISTS',
        `scene ${key} already leads to ${describe(existing)}; choose another key or omit scene to generate one`,
      );
    }
  }
  throw new DuetError('UNAVAILABLE', `no free scene key after ${GENERATE_ATTEMPTS} attempts`);
}

/**
 * Generates and stores the code image unless another invocation is doing it right now (it holds
 * the scene's image lease): then this one waits for that image instead of making a second.
 */
async function generateImageOnce(
  key: string,
  codePage: string,
  options: CodeOptions,
  now: Date,
): Promise<{ fileID: string; generated: boolean }> {
  const lease = await takeSceneImageLease(key, now, IMAGE_LEASE_MS);
  if (!lease) return { fileID: await waitForImage(key), generated: false };
  const clock = clockFrom(now);
  try {
    const { buffer, contentType } = await wxacode(key, codePage, options);
    const extension = /jpe?g/i.test(contentType) ? 'jpg' : 'png';
    const uploaded = await cloud.uploadFile({ cloudPath: `article-codes/${codeFileName(key)}.${extension}`, fileContent: buffer });
    await storeSceneImage(key, lease, uploaded.fileID, clock());
    return { fileID: uploaded.fileID, generated: true };
  } catch (error) {
    // Let the next run generate it at once rather than after the lease (a failed release is logged).
    await releaseSceneImageLease(key, lease);
    throw error;
  }
}

async function waitForImage(key: string): Promise<string> {
  const started = performance.now();
  while (elapsedMs(started) < WAIT_FOR_IMAGE_MS) {
    const doc = await findScene<ArticleCodeDoc>(key);
    if (doc?.fileID) return doc.fileID;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new DuetError('CONFLICT', `another run is generating the code of scene ${key}; try again in a minute`);
}

/** WeChat's refusals an operator can fix, as INVALID_ARGUMENT; quota and outages as what they are. */
async function wxacode(scene: string, page: string, options: CodeOptions): Promise<{ buffer: Buffer; contentType: string }> {
  try {
    const result = (await cloud.openapi.wxacode.getUnlimited({
      scene,
      page,
      checkPath: options.checkPath,
      envVersion: options.envVersion,
      width: 430,
    })) as { buffer?: Buffer; contentType?: string; errCode?: number; errMsg?: string };
    if (!result.buffer || result.buffer.length === 0)
      throw new DuetError('UNAVAILABLE', `wxacode.getUnlimited answered no image: ${result.errMsg ?? ''}`);
    return { buffer: Buffer.from(result.buffer), contentType: result.contentType ?? 'image/png' };
  } catch (error) {
    if (error instanceof DuetError) throw error;
    const { errCode, errMsg } = (error ?? {}) as { errCode?: number; errMsg?: string };
    log('warn', { event: 'admin.wxacode.failed', scene, page, errCode, errMsg });
    const detail = `wxacode.getUnlimited failed for scene ${scene}, page ${page}: ${errCode} ${errMsg ?? String(error)}`;
    // No errcode: the call never reached WeChat (network, timeout) — an outage like -1.
    const rule = wechatError(typeof errCode === 'number' ? errCode : -1);
    throw new DuetError(rule.code, `${detail} (${rule.reason})`);
  }
}

export function toView(doc: ArticleCodeDoc & { fileID: string }, tempFileURL: string, created: boolean): ArticleCodeView {
  return {
    scene: doc._id,
    article: doc.article ?? null,
    campaign: doc.campaign ?? null,
    channel: doc.channel,
    page: doc.page,
    params: doc.params ?? {},
    codePage: doc.codePage ?? LANDING_PAGE,
    fileID: doc.fileID,
    tempFileURL,
    expiresAt: doc.expiresAt ? new Date(doc.expiresAt).toISOString() : null,
    created,
  };
}

export function describe(target: SceneTarget): string {
  return JSON.stringify(normalizeTarget(target));
}
