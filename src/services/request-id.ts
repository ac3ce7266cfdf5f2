/**
 * An idempotency key for a claim or an order: 24 chars of [a-z0-9]. Math.random is enough (no
 * crypto in the mini-program's main package): it only has to differ between one member's taps,
 * and the time prefix already separates taps a millisecond apart.
 */
export function newRequestId(): string {
  let id = Date.now().toString(36);
  while (id.length < 24) id += Math.random().toString(36).slice(2);
  return id.slice(0, 24);
}
