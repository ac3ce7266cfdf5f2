import type { ErrorCode } from './errors';

/**
 * WeChat's errcodes (公众号 API, open APIs, wxacode, cloudPay) → the product's error code, and
 * whether the same call may succeed later without anyone changing anything. The one table: the
 * admin jobs, the gateway, and later the dispatcher, refunds and payments read it, so one errcode
 * never means two things in two places.
 */
export interface WechatErrorRule {
  code: ErrorCode;
  /** True when retrying later (same request) can succeed: outages, quotas, token churn. */
  retryable: boolean;
  /** English, for operators: what it means and what to do. */
  reason: string;
}

const rule = (code: ErrorCode, retryable: boolean, reason: string): WechatErrorRule => ({ code, retryable, reason });

export const WECHAT_ERRORS: Readonly<Record<number, WechatErrorRule>> = {
  [-1]: rule('UNAVAILABLE', true, 'WeChat is busy; try again'),
  [-604101]: rule(
    'PERMISSION_DENIED',
    false,
    "the function may not call this open API: list it in the function's config.json permissions.openapi",
  ),
  40001: rule('UNAVAILABLE', true, 'access token is not the latest (refreshed and retried once)'),
  42001: rule('UNAVAILABLE', true, 'access token expired (refreshed and retried once)'),
  40013: rule('FAILED_PRECONDITION', false, 'invalid appid: check DUET_MP_APPID / DUET_MINI_APPID'),
  40125: rule('FAILED_PRECONDITION', false, 'invalid app secret: check DUET_MP_SECRET'),
  40164: rule('FAILED_PRECONDITION', false, 'caller IP is not on the 公众号 IP whitelist'),
  48001: rule('PERMISSION_DENIED', false, 'the account has no permission for this API'),
  40003: rule('INVALID_ARGUMENT', false, 'invalid openid for this account'),
  40097: rule('INVALID_ARGUMENT', false, 'invalid argument (e.g. envVersion)'),
  40169: rule('INVALID_ARGUMENT', false, 'invalid scene'),
  41030: rule('INVALID_ARGUMENT', false, 'the page is not in the released version: release it first or pass checkPath: false'),
  40037: rule('INVALID_ARGUMENT', false, 'invalid template id: the templates file names a template this account has not registered'),
  40165: rule('INVALID_ARGUMENT', false, 'invalid mini-program page path for a 公众号 template message'),
  43004: rule('FAILED_PRECONDITION', false, 'the user does not follow the 公众号'),
  43101: rule('FAILED_PRECONDITION', false, 'the user has not granted (or used up) this subscription message'),
  45009: rule('RESOURCE_EXHAUSTED', true, "the API's daily quota is reached; it resets at midnight (Asia/Shanghai)"),
  45015: rule('FAILED_PRECONDITION', false, 'customer-service message outside the 48-hour window'),
  45047: rule('RESOURCE_EXHAUSTED', true, 'too many customer-service messages to this user without a reply'),
  47003: rule('INVALID_ARGUMENT', false, 'template data does not fit its keyword types'),
};

/**
 * The rule for an errcode. Unlisted 4xxxx codes are WeChat refusing the request as given (an
 * operator or a developer can fix it); anything else is taken as an outage worth retrying.
 */
export function wechatError(errcode: number): WechatErrorRule {
  const known = Object.hasOwn(WECHAT_ERRORS, errcode) ? WECHAT_ERRORS[errcode] : undefined;
  if (known) return known;
  if (errcode >= 40000 && errcode < 50000) return rule('INVALID_ARGUMENT', false, 'WeChat refused the request as given');
  return rule('UNAVAILABLE', true, 'WeChat failed to answer the request');
}
