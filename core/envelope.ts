import { type ErrorCode, messageOf, type Refusal } from './errors';

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
  /** Which refusal within the code (e.g. `sold_out`), when the action names one. */
  reason?: string;
  /** English, for operators and logs. */
  detail?: string;
  requestId?: string;
}

export function ok<T>(data: T): Ok<T> {
  return { ok: true, data };
}

export function failure(code: ErrorCode, detail?: string, requestId?: string, refusal?: Refusal): Failure {
  const result: Failure = { ok: false, code, message: refusal?.message ?? messageOf(code) };
  if (refusal) result.reason = refusal.reason;
  if (detail !== undefined) result.detail = detail;
  if (requestId !== undefined) result.requestId = requestId;
  return result;
}
