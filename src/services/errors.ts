import type { ErrorCode } from '../../core/errors';

/** A refused or failed call: `message` is Chinese and safe to show. */
export class CloudCallError extends Error {
  readonly code: ErrorCode;
  readonly requestId?: string;

  constructor(code: ErrorCode, message: string, requestId?: string) {
    super(message);
    this.name = 'CloudCallError';
    this.code = code;
    this.requestId = requestId;
  }
}

/** What a store keeps of a failed call: the Chinese message to show, and the cause for support. */
export interface Failure {
  /** Chinese, safe to show. */
  message: string;
  code: ErrorCode;
  /** The function's request id, for an operator to find the log line. */
  requestId?: string;
}

const NETWORK_MESSAGE = '网络异常，请稍后重试';

/**
 * A thrown error as a Failure. Anything that is not a refused call (a bug, a dropped connection)
 * is shown as a network problem, and its cause goes to the console instead of vanishing.
 */
export function toFailure(error: unknown, during: string): Failure {
  if (error instanceof CloudCallError) return { message: error.message, code: error.code, requestId: error.requestId };
  console.warn(`[duet] ${during} failed:`, error);
  return { message: NETWORK_MESSAGE, code: 'UNAVAILABLE' };
}
