import type { ErrorCode } from '../../core/errors';

/** A refused or failed call: `message` is Chinese and safe to show. */
export class CloudCallError extends Error {
  readonly code: ErrorCode;
  readonly requestId?: string;
  /** Which refusal within the code (e.g. `sold_out`), when the function named one. */
  readonly reason?: string;

  constructor(code: ErrorCode, message: string, requestId?: string, reason?: string) {
    super(message);
    this.name = 'CloudCallError';
    this.code = code;
    this.requestId = requestId;
    if (reason) this.reason = reason;
  }
}

/** What a store keeps of a failed call: the Chinese message to show, and the cause for support. */
export interface Failure {
  /** Chinese, safe to show. */
  message: string;
  code: ErrorCode;
  /** The function's request id, for an operator to find the log line. */
  requestId?: string;
  /** Which refusal within the code, when the function named one (e.g. `sold_out`). */
  reason?: string;
}

const NETWORK_MESSAGE = '网络异常，请稍后重试';

/**
 * A thrown error as a Failure. Anything that is not a refused call (a bug, a dropped connection)
 * is shown as a network problem, and its cause goes to the console instead of vanishing.
 */
export function toFailure(error: unknown, during: string): Failure {
  if (error instanceof CloudCallError) {
    const failure: Failure = { message: error.message, code: error.code, requestId: error.requestId };
    if (error.reason) failure.reason = error.reason;
    return failure;
  }
  console.warn(`[duet] ${during} failed:`, error);
  return { message: NETWORK_MESSAGE, code: 'UNAVAILABLE' };
}
