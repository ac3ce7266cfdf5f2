import { createHash, randomBytes, randomInt } from 'node:crypto';

/**
 * Ids, times and signatures shaped like WeChat Pay's (V2, the protocol cloudPay wraps).
 * Pure helpers: the ledger decides when to call them.
 */

/** cloudPay runs in 服务商 (partner) mode: these are the provider's ids, never the developer's. */
export const PROVIDER_APPID = 'wxcd00c1a0d0e7fa01';
export const PROVIDER_MCH_ID = '1800000001';
/** The fake merchant key paySign is computed with (production uses the sub-merchant's API key). */
export const MERCHANT_KEY = 'duetlocalcloudpaymerchantkey0001';

export function nonceStr(length = 16): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[randomInt(alphabet.length)];
  return out;
}

function digits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += String(randomInt(10));
  return out;
}

/** Parts of a time in Beijing time (UTC+8), the zone WeChat Pay writes every timestamp in. */
function beijing(date: Date) {
  const shifted = new Date(date.getTime() + 8 * 3600_000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return {
    yyyy: pad(shifted.getUTCFullYear(), 4),
    MM: pad(shifted.getUTCMonth() + 1),
    dd: pad(shifted.getUTCDate()),
    HH: pad(shifted.getUTCHours()),
    mm: pad(shifted.getUTCMinutes()),
    ss: pad(shifted.getUTCSeconds()),
  };
}

/** `time_end` style: yyyyMMddHHmmss. */
export function compactTime(date: Date): string {
  const t = beijing(date);
  return `${t.yyyy}${t.MM}${t.dd}${t.HH}${t.mm}${t.ss}`;
}

/** `refund_success_time` style: yyyy-MM-dd HH:mm:ss. */
export function spacedTime(date: Date): string {
  const t = beijing(date);
  return `${t.yyyy}-${t.MM}-${t.dd} ${t.HH}:${t.mm}:${t.ss}`;
}

/** `wx` + ddHHmmss-ish prefix + hex, 36 characters like production's prepay ids. */
export function prepayId(date: Date): string {
  const t = beijing(date);
  return `wx${t.dd}${t.HH}${t.mm}${t.ss}${randomBytes(13).toString('hex')}`.slice(0, 36);
}

/** 28 digits starting 4200 like production transaction ids, with the date inside. */
export function transactionId(date: Date): string {
  const t = beijing(date);
  return `4200${digits(6)}${t.yyyy}${t.MM}${t.dd}${digits(10)}`;
}

/** 29 digits starting 503 like production refund ids. */
export function refundId(date: Date): string {
  const t = beijing(date);
  return `503${digits(5)}${t.yyyy}${t.MM}${t.dd}${digits(13)}`;
}

/** WeChat Pay V2 MD5 signature: sorted non-empty fields, `&key=`, MD5, upper case. */
export function md5Sign(fields: Record<string, unknown>, key = MERCHANT_KEY): string {
  const text = Object.keys(fields)
    .filter((k) => k !== 'sign' && fields[k] !== undefined && fields[k] !== null && fields[k] !== '' && typeof fields[k] !== 'object')
    .sort()
    .map((k) => `${k}=${String(fields[k])}`)
    .join('&');
  return createHash('md5').update(`${text}&key=${key}`, 'utf8').digest('hex').toUpperCase();
}

/**
 * The payer's openid under the provider's appid. Production's pay callback carries both this
 * (`openid`) and the mini-program's (`subOpenid`); they differ, so code must use `subOpenid`.
 */
export function providerOpenid(subOpenid: string): string {
  return `oPay${createHash('sha1').update(subOpenid).digest('base64url').slice(0, 24)}`;
}
