/**
 * The closed set of error codes every Duet function may return. The app shows `zh`;
 * operators read the English `detail` that travels next to it and the logs.
 * Add a code here (and nowhere else) when a rule needs a new kind of refusal.
 */
export const ERROR_CODES = {
  INVALID_ARGUMENT: '请求参数有误，请稍后重试',
  UNAUTHENTICATED: '请先登录',
  PERMISSION_DENIED: '没有权限进行此操作',
  NOT_FOUND: '内容不存在或已下架',
  ALREADY_EXISTS: '请勿重复操作',
  CONFLICT: '操作太频繁，请稍后重试',
  FAILED_PRECONDITION: '当前状态不支持此操作',
  RESOURCE_EXHAUSTED: '已达上限或已售罄',
  SCENE_INVALID: '二维码参数无效',
  SCENE_EXPIRED: '活动已结束，为你打开首页',
  UNAVAILABLE: '服务繁忙，请稍后重试',
  INTERNAL: '系统开小差了，请稍后重试',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** The user-facing (Simplified Chinese) message of a code. */
export function messageOf(code: ErrorCode): string {
  return ERROR_CODES[code];
}

/**
 * The one error type of the product. `detail` is English for operators; it never reaches
 * a user screen. Thrown by domain rules and repositories, turned into the envelope by the
 * handler wrapper.
 */
export class DuetError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  /**
   * A refusal the app tells apart within one code (RESOURCE_EXHAUSTED: `sold_out` or
   * `limit_reached`), with its own Chinese message; without it the code's message is shown.
   */
  readonly refusal?: Refusal;

  constructor(code: ErrorCode, detail?: string, refusal?: Refusal) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'DuetError';
    this.code = code;
    this.detail = detail ?? code;
    if (refusal) this.refusal = refusal;
  }
}

/** A named refusal: `reason` is machine-readable (the app picks a button state by it), `message` Chinese. */
export interface Refusal {
  reason: string;
  message: string;
}

/** `assert(stock > 0, 'RESOURCE_EXHAUSTED', 'coupon template out of stock')` */
export function assert(condition: unknown, code: ErrorCode, detail?: string): asserts condition {
  if (!condition) throw new DuetError(code, detail);
}
