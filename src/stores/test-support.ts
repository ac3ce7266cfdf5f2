/** Test support for the store tests (never imported by the app). */
import fc from 'fast-check';
import { ERROR_CODES, type ErrorCode } from '../../core/errors';
import { CloudCallError } from '../services/errors';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];

/** Whatever a service call may throw: a refusal with any code and message, an Error, or anything at all. */
export const anyThrown = fc.oneof(
  fc
    .record({ code: fc.constantFrom(...codes), message: fc.string({ minLength: 1 }) })
    .map(({ code, message }) => new CloudCallError(code, message)),
  fc.string().map((text) => new Error(text)),
  fc.anything(),
);

/** What a store shows for it: the refusal's own Chinese message, or the network message. */
export function shownMessageOf(thrown: unknown): string {
  return thrown instanceof CloudCallError ? thrown.message : '网络异常，请稍后重试';
}

/** A promise a test settles by hand, to observe a store while its call is in flight. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
