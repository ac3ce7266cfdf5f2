/**
 * Domain time for work that lasts: starts at the `now` the handler was given and moves with a
 * monotonic timer, so a 40-second batch stamps its last row 40 s later than its first, and tests
 * that set the local cloud's clock still decide every time. Only durations come from the timer.
 */
export function clockFrom(now: Date): () => Date {
  const started = performance.now();
  return () => new Date(now.getTime() + (performance.now() - started));
}

/** Milliseconds since `started` (a `performance.now()` reading): for deadlines and log durations. */
export function elapsedMs(started: number): number {
  return performance.now() - started;
}
