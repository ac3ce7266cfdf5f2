import type { AddressInput } from '../../core/contracts/order';
import { callCloud } from './cloud';

/** Running bargains (the storefront's 砍价 entry). */
export function list() {
  return callCloud('bargain', 'list', {});
}

/** The caller's tasks, newest first, each with its bargain (none for a visitor). */
export function mine() {
  return callCloud('bargain', 'mine', {});
}

/** One bargain with its whole schedule of cuts, the caller's live task in it and whether they may start one. */
export function offer(bargainId: string) {
  return callCloud('bargain', 'offer', { bargainId });
}

/** Starts the caller's task, or answers the live one they have (`repeated`). */
export function start(bargainId: string) {
  return callCloud('bargain', 'start', { bargainId });
}

/** One task as its owner, a friend or a visitor sees it. */
export function task(taskId: string) {
  return callCloud('bargain', 'task', { taskId });
}

/** A friend's cut: the next fixed amount; a second tap answers the first cut (`repeated`). */
export function cut(taskId: string) {
  return callCloud('bargain', 'cut', { taskId });
}

/** The owner buys at the task's current price (the server computes it); an unpaid order of the task answers again. */
export function buy(taskId: string, address: AddressInput) {
  return callCloud('bargain', 'buy', { taskId, address });
}
