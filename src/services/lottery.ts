import type { AddressInput } from '../../core/contracts/order';
import { callCloud } from './cloud';

export { newRequestId } from './request-id';

/** A lottery (the newest open one without an id), the caller's balance and draws left today. */
export function show(lotteryId?: string) {
  return callCloud('lottery', 'show', lotteryId ? { lotteryId } : {});
}

/**
 * One draw. The same requestId answers the same draw (`repeated`), so a retry never pays twice;
 * the prize is drawn on the server, never in the app.
 */
export function draw(lotteryId: string, requestId: string) {
  return callCloud('lottery', 'draw', { lotteryId, requestId });
}

/** The caller's draws, newest first. */
export function mine(onlyWon = false) {
  return callCloud('lottery', 'mine', onlyWon ? { onlyWon } : {});
}

/** A product prize's address: its order is placed once (a second claim answers the same order). */
export function claim(drawId: string, address: AddressInput) {
  return callCloud('lottery', 'claim', { drawId, address });
}
