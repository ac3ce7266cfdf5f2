import type { AskMoment, GrantAnswer } from '../../core/notice/grants';
import { toFailure } from '../services/errors';
import * as noticeService from '../services/notice';

/**
 * What both subscription asks (a moment's prompt, the 消息提醒 page) do once WeChat's sheet has
 * answered: read its answer as the ledger counts it and report it, retried with the same requestId
 * (counted once) while the server does not answer. Promise chains, not async functions: this ships
 * in every subpackage that asks, and the ES5 build turns an async function into a state machine.
 */

/** Waits before sending the answers again when the server did not answer. */
export const RECORD_RETRY_DELAYS_MS: readonly number[] = [600, 1500];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls `start` now (not a turn later) and answers its promise; a synchronous throw becomes a rejection. */
export const callNow = <T>(start: () => Promise<T>) => new Promise<T>((resolve) => resolve(start()));

/** WeChat's answer for a template as the ledger counts it: `acceptWithAudio` and the like are accepts. */
export function answerOf(value: string | undefined): GrantAnswer {
  if (value?.startsWith('accept')) return 'accept';
  return value === 'ban' || value === 'filter' ? value : 'reject';
}

/** The sheet's answers to the server; a failure after the retries is only logged (WeChat holds the grant, our ledger missed it). */
export function recordAnswers(
  input: { requestId: string; moment?: AskMoment; answers: Record<string, GrantAnswer> },
  attempt = 0,
): Promise<void> {
  return callNow(() => noticeService.recordGrants(input)).then(
    () => undefined,
    (error) => {
      const failure = toFailure(error, 'notice.recordGrants');
      if (failure.code === 'UNAVAILABLE' && attempt < RECORD_RETRY_DELAYS_MS.length) {
        return sleep(RECORD_RETRY_DELAYS_MS[attempt]).then(() => recordAnswers(input, attempt + 1));
      }
      // Nothing is sent on a grant the ledger does not hold, so nothing goes out twice; nothing to show.
      console.warn('[duet] subscription answers not recorded:', failure.code, failure.requestId ?? '');
    },
  );
}
