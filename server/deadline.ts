import { log } from './log';

/** The caller stopped waiting: the call itself may still be running. */
export class Deadline extends Error {}

/**
 * Stops waiting for `promise` after `ms` (a call WeChat holds must not hold the request). The call
 * is left to finish on its own; if it fails after the deadline nobody awaits it any more, so that
 * failure is logged here under `call` (the line lands in the same invocation's log, beside the
 * request's other lines). A failure before the deadline reaches the caller as usual.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, call: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      late = true;
      reject(new Deadline(`${call}: no answer within ${ms} ms`));
    }, ms);
  });
  promise.catch((error: unknown) => {
    if (late) log('warn', { event: 'call.failed_after_deadline', call, error: String((error as Error)?.message ?? error) });
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
