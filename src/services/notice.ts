import type { AskMoment, GrantAnswer } from '../../core/notice/grants';
import { callCloud } from './cloud';

export { newRequestId } from './request-id';

/**
 * The subscription templates worth offering at this moment (after a claim, an order, a group join,
 * a check-in): none the member already holds a grant for or banned, at most 3, each with its title.
 */
export function askable(moment: AskMoment) {
  return callCloud('notice', 'askable', { moment });
}

/**
 * The member's reminders (the member center's 消息提醒): every template the app asks for, with the
 * one-time grants left (each accept is one future message) and whether the member banned it.
 */
export function reminders() {
  return callCloud('notice', 'reminders', {});
}

/**
 * The answers of one subscription sheet, per template. `requestId` is made once per sheet: a retried
 * call is counted once, so a lost answer can be sent again without granting twice.
 */
export function recordGrants(input: { requestId: string; moment?: AskMoment; answers: Record<string, GrantAnswer> }) {
  return callCloud('notice', 'recordGrants', input);
}
