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
