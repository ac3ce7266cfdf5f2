import { normalizeTarget } from '../../core/admin/article-codes';
import type { SceneTarget } from '../../core/entry/scene';
import { DuetError } from '../../core/errors';
import { HOME_PAGE } from '../../core/pages';
import { findScene, updateScene } from '../entry/scene-repository';
import { callMpApi } from '../mp/mp-api';
import { type ArticleCodeDoc, claimScene, describe } from './create-article-code';
import { assertTargetExists } from './check-targets';
import { adminMpConfig, mpFailure } from './mp-access';

export interface MpQrRequest {
  scene?: string;
  article?: string;
  campaign?: string;
  channel?: string;
  page?: string;
  params?: Record<string, string>;
  permanent: boolean;
  expireSeconds?: number;
}

interface MpQrRecord {
  ticket: string;
  url: string;
  imageUrl: string;
  permanent: boolean;
  expiresAt: Date | null;
  createdAt: Date;
}

/** WeChat's default for a temporary code is 60 s, useless on a poster: default to the maximum, 30 days. */
const DEFAULT_TEMPORARY_SECONDS = 2_592_000;

/**
 * `createMpQrCode`: a 公众号 parametric code for posters. Its value is a key of `scenes`, so the
 * gateway's follow (`qrscene_<key>`) and SCAN (`<key>`) attribution finds article, campaign and
 * page. A permanent code is made once per scene (WeChat allows 100,000); a temporary one is new
 * each time.
 */
export async function createMpQrCode(request: MpQrRequest, now: Date) {
  const config = adminMpConfig();
  const scene = await sceneFor(request, now);
  const existing = (scene.doc as ArticleCodeDoc & { mpQr?: MpQrRecord }).mpQr;
  if (request.permanent && existing?.permanent) return view(scene.doc._id, existing, false);

  const sceneStr = scene.doc._id;
  const body = request.permanent
    ? { action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: sceneStr } } }
    : {
        expire_seconds: request.expireSeconds ?? DEFAULT_TEMPORARY_SECONDS,
        action_name: 'QR_STR_SCENE',
        action_info: { scene: { scene_str: sceneStr } },
      };
  let answer: { ticket?: string; url?: string; expire_seconds?: number };
  try {
    answer = await callMpApi(config, { method: 'POST', api: 'qrcode/create', json: body, now });
  } catch (error) {
    throw mpFailure(error);
  }
  if (!answer.ticket || !answer.url)
    throw new DuetError('UNAVAILABLE', `qrcode/create answered without a ticket: ${JSON.stringify(answer)}`);
  const record: MpQrRecord = {
    ticket: answer.ticket,
    url: answer.url,
    imageUrl: `${showQrCodeBase(config.apiBase)}?ticket=${encodeURIComponent(answer.ticket)}`,
    permanent: request.permanent,
    expiresAt: answer.expire_seconds ? new Date(now.getTime() + answer.expire_seconds * 1000) : null,
    createdAt: now,
  };
  await updateScene(sceneStr, { mpQr: record, updatedAt: now });
  return view(sceneStr, record, true);
}

/** The scene the code carries: an existing key (its target must match what is given), or a new one. */
async function sceneFor(request: MpQrRequest, now: Date): Promise<{ doc: ArticleCodeDoc }> {
  const given: Partial<SceneTarget> = {};
  for (const field of ['article', 'campaign', 'channel', 'page', 'params'] as const) {
    if (request[field] !== undefined) (given as Record<string, unknown>)[field] = request[field];
  }
  await assertTargetExists({ page: request.page, article: request.article, campaign: request.campaign });
  if (request.scene) {
    const existing = await findScene<ArticleCodeDoc>(request.scene);
    if (existing) {
      const stored = normalizeTarget(existing) as unknown as Record<string, unknown>;
      const differs = Object.entries(normalizeTarget({ ...existing, ...given } as SceneTarget)).some(
        ([field, value]) => JSON.stringify(stored[field]) !== JSON.stringify(value),
      );
      if (differs) throw new DuetError('ALREADY_EXISTS', `scene ${request.scene} already leads to ${describe(existing)}`);
      return { doc: existing };
    }
  }
  const target: SceneTarget & { scene?: string } = {
    ...given,
    scene: request.scene,
    channel: request.channel ?? 'mp_qr',
    page: request.page ?? HOME_PAGE,
  };
  return claimScene(target, now);
}

/** Production serves the image from mp.weixin.qq.com; a local or proxied API base serves it beside the API. */
function showQrCodeBase(apiBase: string): string {
  if (process.env.DUET_MP_SHOWQRCODE_URL) return process.env.DUET_MP_SHOWQRCODE_URL;
  return /^https:\/\/api\.weixin\.qq\.com$/.test(apiBase) ? 'https://mp.weixin.qq.com/cgi-bin/showqrcode' : `${apiBase}/cgi-bin/showqrcode`;
}

function view(scene: string, record: MpQrRecord, created: boolean) {
  return {
    scene,
    ticket: record.ticket,
    url: record.url,
    imageUrl: record.imageUrl,
    permanent: record.permanent,
    expiresAt: record.expiresAt ? new Date(record.expiresAt).toISOString() : null,
    created,
  };
}
