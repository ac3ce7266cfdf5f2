/** Runs `run` over the items, `limit` at a time; on a failure takes no new item, lets the running ones end, then throws it. */
export async function inFlight<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (next < items.length && !failure) {
      const item = items[next];
      next += 1;
      try {
        await run(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  // Every lane has ended before the run goes on (or releases its lease): no write outlives the run.
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw failure.error;
}
