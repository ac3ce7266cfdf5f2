import { requestJson } from '../http-client';
import { log } from '../log';
import { accessToken } from './access-token';
import type { MpConfig } from './config';

/** WeChat's answers for a token that is no longer the latest (40001) or has expired (42001). */
const TOKEN_REFUSED = new Set([40001, 42001]);

/**
 * Internal on purpose, not a DuetError: it carries WeChat's errcode so each caller maps it through
 * `core/wechat-errors.ts` in its own context (an admin job refuses, the gateway logs and moves on).
 */
export class MpApiError extends Error {
  constructor(
    readonly api: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`公众号 API ${api} failed: ${errcode} ${errmsg}`);
    this.name = 'MpApiError';
  }
}

interface MpCall {
  method: 'GET' | 'POST';
  /**
   * Path after `/cgi-bin/`, e.g. `user/info`; or `datacube/<api>` for the statistics, which live
   * outside cgi-bin (`https://api.weixin.qq.com/datacube/<api>`).
   */
  api: string;
  query?: Record<string, string | undefined>;
  json?: unknown;
  multipart?: { field: string; filename: string; contentType: string; data: Buffer };
  /** The caller's time: decides whether the shared access token is still fresh. */
  now: Date;
  /** Default: the HTTP client's 3 s. */
  timeoutMs?: number;
}

type MpAnswer = Record<string, unknown> & { errcode?: number; errmsg?: string };

/**
 * One 公众号 API call with the shared access token. A token WeChat refuses is refreshed once and
 * the call retried once; any other error code is thrown as MpApiError.
 */
export async function callMpApi<T extends MpAnswer>(config: MpConfig, call: MpCall): Promise<T> {
  const send = (token: string) =>
    requestJson<T>({
      method: call.method,
      url: `${config.apiBase}/${call.api.startsWith('datacube/') ? '' : 'cgi-bin/'}${call.api}`,
      query: { ...call.query, access_token: token },
      json: call.json,
      multipart: call.multipart,
      timeoutMs: call.timeoutMs,
    });
  let token = await accessToken(config, call.now);
  let answer = await send(token);
  if (answer.errcode !== undefined && TOKEN_REFUSED.has(answer.errcode)) {
    log('warn', { event: 'mp.token.refused', api: call.api, errcode: answer.errcode });
    token = await accessToken(config, call.now, token);
    answer = await send(token);
  }
  if (answer.errcode) throw new MpApiError(call.api, answer.errcode, String(answer.errmsg ?? ''));
  return answer;
}

export interface FollowerInfo {
  subscribe: number;
  openid: string;
  unionid?: string;
}

/** `user/info`: the follower's unionid when the 公众号 is bound to the Open Platform. */
export function getFollowerInfo(config: MpConfig, openid: string, now: Date): Promise<FollowerInfo & MpAnswer> {
  return callMpApi<FollowerInfo & MpAnswer>(config, { method: 'GET', api: 'user/info', query: { openid, lang: 'zh_CN' }, now });
}

export interface FollowerPage {
  /** Everyone following now. */
  total: number;
  count: number;
  /** Absent when `count` is 0 (the call after the last page). */
  data?: { openid?: string[] };
  /** The page's last openid: the next call continues after it. */
  next_openid?: string;
}

/** `user/get`: up to 10,000 follower openids after `nextOpenid` (from the start when empty). */
export function listFollowers(config: MpConfig, nextOpenid: string, now: Date): Promise<FollowerPage & MpAnswer> {
  // A full page is about 300 KB: more than the default 3 s may be needed on a slow link.
  return callMpApi<FollowerPage & MpAnswer>(config, {
    method: 'GET',
    api: 'user/get',
    query: { next_openid: nextOpenid || undefined },
    now,
    timeoutMs: 10_000,
  });
}

export interface FollowerDetails extends FollowerInfo {
  /** Seconds: when they (last) followed. */
  subscribe_time?: number;
}

/** WeChat's limit for `user/info/batchget` (more is refused with 40032). */
export const FOLLOWERS_PER_BATCHGET = 100;

/** `user/info/batchget`: subscribe state, unionid and follow time of up to 100 openids in one call. */
export async function getFollowersInfo(config: MpConfig, openids: string[], now: Date): Promise<FollowerDetails[]> {
  const answer = await callMpApi<MpAnswer & { user_info_list?: FollowerDetails[] }>(config, {
    method: 'POST',
    api: 'user/info/batchget',
    json: { user_list: openids.map((openid) => ({ openid, lang: 'zh_CN' })) },
    now,
  });
  return answer.user_info_list ?? [];
}

export interface MiniProgramCard {
  title: string;
  pagepath: string;
  thumbMediaId: string;
}

/** A customer-service `miniprogrampage` card (allowed within a minute of a follow, scan or click, 48 h after a message). */
export async function sendMiniProgramCard(config: MpConfig, touser: string, card: MiniProgramCard, now: Date): Promise<void> {
  await callMpApi(config, {
    now,
    method: 'POST',
    api: 'message/custom/send',
    json: {
      touser,
      msgtype: 'miniprogrampage',
      miniprogrampage: { title: card.title, appid: config.miniAppid, pagepath: card.pagepath, thumb_media_id: card.thumbMediaId },
    },
  });
}

/** Uploads a thumb (JPEG, ≤ 64 KB) as temporary media (valid 3 days); returns its media id. */
export async function uploadThumb(config: MpConfig, jpeg: Buffer, now: Date): Promise<{ mediaId: string; createdAt: number }> {
  const answer = await callMpApi<MpAnswer & { thumb_media_id?: string; media_id?: string; created_at?: number }>(config, {
    now,
    method: 'POST',
    api: 'media/upload',
    query: { type: 'thumb' },
    multipart: { field: 'media', filename: 'duet-thumb.jpg', contentType: 'image/jpeg', data: jpeg },
  });
  const mediaId = answer.thumb_media_id ?? answer.media_id;
  if (!mediaId) throw new MpApiError('media/upload', -1, 'answer has no thumb_media_id');
  return { mediaId, createdAt: Number(answer.created_at ?? Math.floor(now.getTime() / 1000)) };
}

/** The statistics APIs (数据统计) Duet pulls: `POST https://api.weixin.qq.com/datacube/<api>`. */
export type DatacubeApiName = 'getusersummary' | 'getarticleread' | 'getarticletotaldetail';

/**
 * One datacube call for the Asia/Shanghai days `beginDate`–`endDate` (both included; WeChat limits
 * the span per API and refuses an end after yesterday with 61501). The answer as WeChat gives it.
 */
export function getDatacube<T extends MpAnswer>(
  config: MpConfig,
  api: DatacubeApiName,
  beginDate: string,
  endDate: string,
  now: Date,
): Promise<T> {
  // A day's article answer lists every article read that day: more than the default 3 s on a slow link.
  return callMpApi<T>(config, {
    method: 'POST',
    api: `datacube/${api}`,
    json: { begin_date: beginDate, end_date: endDate },
    now,
    timeoutMs: 5_000,
  });
}
