import { type ErrorCode, messageOf } from './errors';

/** What every Duet function returns: never a bare value, never a thrown error. */
export type Envelope<T> = Ok<T> | Failure;

export interface Ok<T> {
  ok: true;
  data: T;
}

export interface Failure {
  ok: false;
  code: ErrorCode;
  /** Simplified Chinese, safe to show to the user. */
  message: string;
  /** English, for operators and logs. */
  detail?: string;
  requestId?: string;
}

export function ok<T>(data: T): Ok<T> {
  return { ok: true, data };
}

export function failure(code: ErrorCode, detail?: string, requestId?: string): Failure {
  const result: Failure = { ok: false, code, message: messageOf(code) };
  if (detail !== undefined) result.detail = detail;
  if (requestId !== undefined) result.requestId = requestId;
  return result;
}
