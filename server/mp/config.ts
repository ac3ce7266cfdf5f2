import { DuetError } from '../../core/errors';
import { aesKeyOf } from './message-crypto';

/**
 * The gateway's settings, from the function's environment variables (cloud console → 云函数 →
 * 配置; the local cloud sets them). Read once per instance and validated: a missing value is an
 * operator mistake, reported in plain English in the log while WeChat gets a 500.
 */
export interface MpConfig {
  /** The 公众号 server token (服务器配置 → 令牌), the key of every push signature. */
  token: string;
  appid: string;
  secret: string;
  /** `https://api.weixin.qq.com` in production; the local cloud's fake otherwise. No trailing slash. */
  apiBase: string;
  /** The mini-program the welcome and keyword cards open. */
  miniAppid: string;
  /** A permanent thumb media id for cards; without it the gateway uploads its own thumb once. */
  thumbMediaId: string | null;
  /**
   * The AES key of 安全模式 / 兼容模式 (from `DUET_MP_AES_KEY`, the 43-character EncodingAESKey). When
   * set, only encrypted pushes are accepted: in plaintext mode the signature does not cover the body.
   */
  aesKey: Buffer | null;
}

let cached: MpConfig | null = null;

/** The settings of this instance, read and validated on first use. */
export function mpConfig(): MpConfig {
  cached ??= readMpConfig(process.env);
  return cached;
}

export function readMpConfig(env: Record<string, string | undefined>): MpConfig {
  const missing = ['DUET_MP_TOKEN', 'DUET_MP_APPID', 'DUET_MP_SECRET', 'DUET_MINI_APPID'].filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    throw new DuetError(
      'FAILED_PRECONDITION',
      `mpGateway is not configured: set ${missing.join(', ')} in the function's environment variables (cloud console → 云函数 → mpGateway → 配置)`,
    );
  }
  const token = String(env.DUET_MP_TOKEN).trim();
  // WeChat's own form: 3-32 letters or digits.
  if (!/^[A-Za-z0-9]{3,32}$/.test(token))
    throw new DuetError('FAILED_PRECONDITION', 'DUET_MP_TOKEN must be 3-32 letters or digits, as in 服务器配置 → 令牌(Token)');
  const apiBase = (env.DUET_MP_API_BASE?.trim() || 'https://api.weixin.qq.com').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(apiBase))
    throw new DuetError('FAILED_PRECONDITION', `DUET_MP_API_BASE must be an http(s) URL, got ${JSON.stringify(apiBase)}`);
  return {
    token,
    appid: String(env.DUET_MP_APPID).trim(),
    secret: String(env.DUET_MP_SECRET).trim(),
    apiBase,
    miniAppid: String(env.DUET_MINI_APPID).trim(),
    thumbMediaId: env.DUET_MP_THUMB_MEDIA_ID?.trim() || null,
    aesKey: readAesKey(env.DUET_MP_AES_KEY),
  };
}

function readAesKey(value: string | undefined): Buffer | null {
  const text = value?.trim();
  if (!text) return null;
  try {
    return aesKeyOf(text);
  } catch {
    throw new DuetError('FAILED_PRECONDITION', 'DUET_MP_AES_KEY must be the 43-character EncodingAESKey (服务器配置 → 消息加解密密钥)');
  }
}
